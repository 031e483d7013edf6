// Unit tests of the plain helpers: key rules, content types, cursors, configuration, log and EMF lines,
// content sniffing, event sequencers, probe keys, storage error classification.

import * as assert from "assert";
import * as fc from "fast-check";
import { probeKey, probeWrittenAt } from "../../functions/canary";
import { loadConfig } from "../../functions/config";
import { ENV, MAX_INGEST_CONCURRENCY, MAX_INGEST_PART_BYTES, MAX_INLINE_BYTES_LIMIT, MAX_UPLOAD_BYTES_LIMIT, METRICS, PREFIX, SERVICES } from "../../functions/contract";
import { compareSequencers, sniffContentType } from "../../functions/ingest";
import { decodeCursor, decodeEventKey, encodeCursor, keyProblem, MAX_KEY_BYTES, parseContentType, prefixProblem } from "../../functions/keys";
import { createLogger, createMetrics, errorFields } from "../../functions/observability";
import { classifyError } from "../../functions/storage";

describe("functions: key rules", () => {
    it("bounds keys so that objects/<key> and manifests/<key> both fit S3's 1024 bytes", () => {
        assert.strictEqual(MAX_KEY_BYTES, 1014);
        assert.strictEqual(keyProblem("a".repeat(1014)), undefined);
        assert.match(keyProblem("a".repeat(1015))!, /1015 bytes/);
        // Counted in UTF-8 bytes, not characters: é is two bytes, 😀 four.
        assert.strictEqual(keyProblem("é".repeat(507)), undefined);
        assert.match(keyProblem("é".repeat(507) + "a")!, /1015 bytes/);
        assert.match(keyProblem("😀".repeat(254))!, /1016 bytes/);
    });

    const accepted = ["a", "a/b/c.txt", "dir/file name with spaces.txt", "plus+sign", "100%", "日本語/ドキュメント", "😀", "a..b", ".hidden", "x/.../y", "q?x=1#frag", "back\\slash"];
    for (const key of accepted) {
        it(`accepts ${JSON.stringify(key)}`, () => assert.strictEqual(keyProblem(key), undefined));
    }

    const rejected: Array<[string, RegExp]> = [
        ["", /empty/],
        ["/a", /start with/],
        ["a/", /end with/],
        ["a//b", /empty path segment/],
        ["..", /'\.' or '\.\.'/],
        ["a/../b", /'\.' or '\.\.'/],
        ["./a", /'\.' or '\.\.'/],
        ["a\u0000b", /control/],
        ["tab\there", /control/],
        ["new\nline", /control/],
        ["del\u007f", /control/],
        ["c1\u0085", /control/],
        ["bad\ufffe", /FFFE/],
        ["lone\ud800", /surrogate/],
        ["\udc00lone", /surrogate/],
    ];
    for (const [key, reason] of rejected) {
        it(`rejects ${JSON.stringify(key)}`, () => assert.match(keyProblem(key) ?? "accepted", reason));
    }

    it("accepts empty and '/'-terminated prefixes but not control characters", () => {
        assert.strictEqual(prefixProblem(""), undefined);
        assert.strictEqual(prefixProblem("dir/"), undefined);
        assert.match(prefixProblem("a\u0001")!, /control/);
    });

    it("decodes event keys: + is a space, %2B a plus, %2F a slash", () => {
        assert.strictEqual(decodeEventKey("objects%2Fa+b%2Bc%25d%2F%C3%A9+%C3%BC.txt"), "objects/a b+c%d/é ü.txt");
        assert.strictEqual(decodeEventKey("objects/plain"), "objects/plain");
        assert.throws(() => decodeEventKey("objects/%E0%A4%A"), URIError);
    });
});

describe("functions: content types", () => {
    it("defaults a missing type and keeps parameters", () => {
        assert.deepStrictEqual(parseContentType(undefined), { contentType: "application/octet-stream" });
        assert.deepStrictEqual(parseContentType("  "), { contentType: "application/octet-stream" });
        assert.deepStrictEqual(parseContentType("text/plain; charset=utf-8"), { contentType: "text/plain; charset=utf-8" });
        assert.deepStrictEqual(parseContentType('multipart/mixed; boundary="a b"'), { contentType: 'multipart/mixed; boundary="a b"' });
        assert.deepStrictEqual(parseContentType("application/vnd.api+json"), { contentType: "application/vnd.api+json" });
    });
    for (const bad of ["text", "text/", "/plain", "text/plain;", "text/pla in", "tëxt/plain", "*/*", "text/*", "a/b; c", "a/b\r\nx: y", "x/" + "y".repeat(300)]) {
        it(`rejects ${JSON.stringify(bad.slice(0, 30))}`, () => assert.ok("problem" in parseContentType(bad)));
    }
});

describe("functions: listing cursors", () => {
    it("round-trips any valid key and rejects anything else", () => {
        fc.assert(
            fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (key) => {
                fc.pre(prefixProblem(key) === undefined && key.length > 0);
                assert.strictEqual(decodeCursor(encodeCursor(key)), key);
            }),
            { numRuns: 300 },
        );
        for (const bad of ["", "!!!", "a b", "YQ==", "_w", "x".repeat(3000)]) assert.strictEqual(decodeCursor(bad), undefined, bad);
    });
});

describe("functions: configuration", () => {
    const good = {
        AWS_REGION: "us-west-2",
        [ENV.bucket]: "tandem-data-123456789012-us-west-2",
        [ENV.role]: "standby",
        [ENV.peerRegion]: "us-east-1",
        [ENV.presignExpirySeconds]: "900",
        [ENV.maxInlineBytes]: "4194304",
        [ENV.maxUploadBytes]: "1073741824",
        [ENV.storageClass]: "STANDARD",
        [ENV.ingestPartBytes]: "16777216",
        [ENV.ingestConcurrency]: "4",
        [ENV.ingestParallel]: "auto",
        [ENV.service]: SERVICES.api,
        [ENV.metricsNamespace]: METRICS.namespace,
    };

    it("reads a valid environment", () => {
        assert.deepStrictEqual(loadConfig(good), {
            region: "us-west-2",
            bucket: "tandem-data-123456789012-us-west-2",
            role: "standby",
            peerRegion: "us-east-1",
            presignExpirySeconds: 900,
            maxInlineBytes: 4194304,
            maxUploadBytes: 1073741824,
            storageClass: "STANDARD",
            ingestPartBytes: 16777216,
            ingestConcurrency: 4,
            ingestParallel: "auto",
            service: "tandem-api",
            metricsNamespace: "Tandem",
        });
    });

    it("lists every problem in one clear error", () => {
        assert.throws(
            () => loadConfig({ ...good, [ENV.bucket]: undefined, [ENV.role]: "leader", [ENV.maxInlineBytes]: "5e6", [ENV.peerRegion]: "us-west-2" }),
            (error: Error) =>
                /TANDEM_BUCKET is not set/.test(error.message) &&
                /TANDEM_ROLE="leader" must be "primary" or "standby"/.test(error.message) &&
                /TANDEM_MAX_INLINE_BYTES="5e6" must be an integer from 1 to 4400000/.test(error.message) &&
                /TANDEM_PEER_REGION must differ from AWS_REGION/.test(error.message),
        );
        assert.throws(() => loadConfig({}), /AWS_REGION is not set/);
        assert.throws(() => loadConfig({ ...good, [ENV.maxInlineBytes]: String(MAX_INLINE_BYTES_LIMIT + 1) }), /TANDEM_MAX_INLINE_BYTES/);
        assert.throws(() => loadConfig({ ...good, [ENV.presignExpirySeconds]: "0" }), /TANDEM_PRESIGN_EXPIRY_SECONDS/);
        assert.throws(() => loadConfig({ ...good, [ENV.maxUploadBytes]: String(MAX_UPLOAD_BYTES_LIMIT + 1) }), /TANDEM_MAX_UPLOAD_BYTES="5368709121" must be an integer from 1 to 5368709120/);
        assert.throws(() => loadConfig({ ...good, [ENV.maxUploadBytes]: undefined }), /TANDEM_MAX_UPLOAD_BYTES is not set/);
        assert.throws(() => loadConfig({ ...good, [ENV.ingestPartBytes]: "0" }), new RegExp(`TANDEM_INGEST_PART_BYTES="0" must be an integer from 1 to ${MAX_INGEST_PART_BYTES}`));
        assert.throws(() => loadConfig({ ...good, [ENV.ingestConcurrency]: String(MAX_INGEST_CONCURRENCY + 1) }), new RegExp(`TANDEM_INGEST_CONCURRENCY="${MAX_INGEST_CONCURRENCY + 1}" must be an integer from 1 to ${MAX_INGEST_CONCURRENCY}`));
        assert.throws(() => loadConfig({ ...good, [ENV.ingestParallel]: "never" }), /TANDEM_INGEST_PARALLEL="never" must be one of auto, always/);
        assert.throws(() => loadConfig({ ...good, [ENV.ingestParallel]: undefined }), /TANDEM_INGEST_PARALLEL is not set/);
        assert.throws(() => loadConfig({ ...good, [ENV.bucket]: "Not_A_Bucket" }), /not a valid S3 bucket name/);
        assert.throws(() => loadConfig({ ...good, [ENV.metricsNamespace]: "AWS/S3" }), /namespace/);
    });
});

describe("functions: logs and EMF", () => {
    it("writes one JSON line per log call with the invocation's request id and cold-start flag", () => {
        const lines: string[] = [];
        const log = createLogger({ service: "svc", write: (l) => lines.push(l), keys: { region: "r" }, now: () => 0 });
        log.startInvocation({ awsRequestId: "req-1", functionName: "fn" });
        log.info("first", { n: 1 });
        log.debug("hidden");
        log.startInvocation({ awsRequestId: "req-2" });
        log.error("second", { error: new Error("boom") });
        assert.strictEqual(lines.length, 2);
        const [a, b] = lines.map((l) => JSON.parse(l));
        assert.deepStrictEqual(a, { timestamp: "1970-01-01T00:00:00.000Z", level: "INFO", message: "first", service: "svc", region: "r", requestId: "req-1", functionName: "fn", coldStart: true, n: 1 });
        assert.strictEqual(b.requestId, "req-2");
        assert.strictEqual(b.coldStart, false);
        assert.strictEqual(b.error.message, "boom");
        assert.strictEqual(b.error.name, "Error");
    });

    it("never throws on unserializable attributes", () => {
        const lines: string[] = [];
        const log = createLogger({ service: "svc", write: (l) => lines.push(l) });
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        log.info("loop", { circular });
        assert.match(JSON.parse(lines[0]).logError, /circular/i);
    });

    it("publishes metrics with exactly one dimension set: [[service]]", () => {
        const lines: string[] = [];
        const metrics = createMetrics({ namespace: METRICS.namespace, service: SERVICES.canary, dimension: METRICS.serviceDimension, write: (l) => lines.push(l), now: () => 1234 });
        metrics.publishStoredMetrics();
        assert.strictEqual(lines.length, 0, "nothing stored, nothing written");
        metrics.addMetric(METRICS.replicationLag, "Seconds", 12.5);
        metrics.publishStoredMetrics();
        assert.deepStrictEqual(JSON.parse(lines[0]), {
            ReplicationLagSeconds: 12.5,
            service: "tandem-canary",
            _aws: { Timestamp: 1234, CloudWatchMetrics: [{ Namespace: "Tandem", Dimensions: [["service"]], Metrics: [{ Name: "ReplicationLagSeconds", Unit: "Seconds" }] }] },
        });
        metrics.publishStoredMetrics();
        assert.strictEqual(lines.length, 1, "published metrics are cleared");
        assert.throws(() => metrics.addMetric("x", "Seconds", NaN), /finite/);
        assert.throws(() => metrics.addMetric("service", "Count", 1), /reserved/);
    });

    it("keeps the SDK's error details", () => {
        const error = Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403, requestId: "abc" }, $fault: "client" });
        const fields = errorFields(error);
        assert.strictEqual(fields.httpStatusCode, 403);
        assert.strictEqual(fields.awsRequestId, "abc");
        assert.strictEqual(fields.name, "AccessDenied");
    });
});

describe("functions: storage errors", () => {
    const sdkError = (name: string, status?: number) => Object.assign(new Error(name), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } });
    const cases: Array<[unknown, string]> = [
        [sdkError("NoSuchKey", 404), "not_found"],
        [sdkError("NotFound", 404), "not_found"],
        [sdkError("PreconditionFailed", 412), "precondition_failed"],
        [sdkError("ConditionalRequestConflict", 409), "precondition_failed"],
        [sdkError("NotModified", 304), "not_modified"],
        [sdkError("AccessDenied", 403), "denied"],
        [sdkError("NoSuchBucket", 404), "denied"],
        [sdkError("InternalError", 500), "unavailable"],
        [sdkError("SlowDown", 503), "unavailable"],
        [sdkError("AbortError"), "unavailable"],
        [Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), "unavailable"],
        [sdkError("TimeoutError"), "unavailable"],
        [sdkError("InvalidArgument", 400), "invalid"],
        ["a string", "unavailable"],
    ];
    for (const [error, kind] of cases) {
        it(`classifies ${error instanceof Error ? error.name : String(error)} as ${kind}`, () => {
            const classified = classifyError(error, "Op");
            assert.strictEqual(classified.storageErrorKind, kind);
            assert.strictEqual(classified.retryable, kind === "unavailable");
        });
    }
});

describe("functions: ingest helpers", () => {
    it("orders S3 sequencers after left-padding", () => {
        assert.strictEqual(compareSequencers("0055AED6DCD90281E5", "0055AED6DCD90281E6"), -1);
        assert.strictEqual(compareSequencers("FF", "0100"), -1);
        assert.strictEqual(compareSequencers("0a", "0A"), 0);
        assert.strictEqual(compareSequencers("10", "0F"), 1);
    });

    it("recognizes common types from the first bytes", () => {
        assert.strictEqual(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), "image/png");
        assert.strictEqual(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), "image/jpeg");
        assert.strictEqual(sniffContentType(Buffer.from("GIF89a...")), "image/gif");
        assert.strictEqual(sniffContentType(Buffer.from("%PDF-1.7\n")), "application/pdf");
        assert.strictEqual(sniffContentType(Buffer.from([0x50, 0x4b, 0x03, 0x04])), "application/zip");
        assert.strictEqual(sniffContentType(Buffer.from([0x1f, 0x8b, 8])), "application/gzip");
        assert.strictEqual(sniffContentType(Buffer.from("héllo wörld")), "text/plain; charset=utf-8");
        // A multi-byte character cut by the sniff window is still text.
        assert.strictEqual(sniffContentType(Buffer.from("ab€").subarray(0, 4)), "text/plain; charset=utf-8");
        assert.strictEqual(sniffContentType(Buffer.from([0x61, 0, 0x62])), "application/octet-stream");
        assert.strictEqual(sniffContentType(Buffer.from([0xc3, 0x28, 0x61, 0x62])), "application/octet-stream");
        assert.strictEqual(sniffContentType(Buffer.alloc(0)), "application/octet-stream");
    });
});

describe("functions: canary probe keys", () => {
    it("sort newest first and carry their write time", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 9_999_999_999_998 }), fc.integer({ min: 1, max: 10_000_000 }), (t, dt) => {
                fc.pre(t + dt <= 9_999_999_999_999);
                const older = probeKey(t, "us-east-1", "aaaa");
                const newer = probeKey(t + dt, "us-east-1", "aaaa");
                assert.ok(newer < older, `${newer} should sort before ${older}`);
                assert.strictEqual(probeWrittenAt(older), t);
                assert.ok(older.startsWith(PREFIX.probes));
            }),
            { numRuns: 500 },
        );
        assert.strictEqual(probeWrittenAt("canary/probes/junk"), undefined);
        assert.strictEqual(probeWrittenAt("objects/0000000000001-x"), undefined);
    });
});
