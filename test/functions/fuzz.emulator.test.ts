// Property-based fuzzing (fast-check) of the api with arbitrary HTTP requests and of ingest with
// arbitrary S3 event records, on a real S3 API (moto):
// - no unhandled exception, ever;
// - no 5xx caused by client input (S3 is healthy here), every error in the {error:{code,message}} shape;
// - every accepted write reads back byte-identical, with its content type (a HEAD answers no body);
// - ingest either processes each record or fails with its own IngestError (so Lambda retries), and a
//   manifest it writes always describes the object's real bytes.
// The number of generated cases is in each test's title and in FUZZ_RUNS.

import * as assert from "assert";
import { createHash } from "crypto";
import * as fc from "fast-check";
import type * as S3 from "@aws-sdk/client-s3";
import type { S3Event } from "aws-lambda";
import { ENV, PREFIX } from "../../functions/contract";
import type { FunctionUrlResult } from "../../functions/http";
import { DEFAULT_CONTENT_TYPE } from "../../functions/keys";
import { bodyBytes, captureFunctionOutput, lambdaContext, makeHandlers, urlEvent } from "../support/lambda";
import { clientConfig, provisionApp, RegionFixture, useMoto } from "../../tools/local/emulator";
import { fuzzSeed, printSeed } from "./fuzzSeed";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;

/** Generated cases per property (the report quotes these). */
export const FUZZ_RUNS = { primaryRequests: 400, standbyRequests: 150, s3Events: 200 };
const SEED = fuzzSeed();

const tricky = fc.constantFrom("a", "/", ".", "..", "%", "+", " ", "é", "😀", "?", "#", "\\", "~", "\u0000", "\n", "\u007f", "\u0085", "\ud800", "\ufffe", "%2F", "%25", "&", "=", "日");
const keyText = fc.oneof(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
    fc.string({ unit: tricky, minLength: 1, maxLength: 24 }),
    fc.array(fc.constantFrom("docs", "a b", "x+y", "..", ".", "", "é", "😀", "100%"), { minLength: 1, maxLength: 6 }).map((s) => s.join("/")),
    fc.integer({ min: 1000, max: 1030 }).map((n) => "k".repeat(n - 2) + "é"),
);
const encodePath = (key: string) => key.split("/").map((s) => { try { return encodeURIComponent(s); } catch { return s; } }).join("/");
const rawKey = fc.oneof(
    { weight: 4, arbitrary: keyText.map(encodePath) },
    { weight: 1, arbitrary: keyText.map((k) => { try { return encodeURIComponent(k); } catch { return k; } }) },
    { weight: 1, arbitrary: keyText },
    { weight: 1, arbitrary: fc.constantFrom("%E0%A4%A", "%", "%%", "%zz", "a%2", "%C0%AF", "%ED%A0%80", "%00", "a/%2E%2E/b", "%2Fabs") },
);
const path = fc.oneof(
    { weight: 6, arbitrary: rawKey.map((k) => `/objects/${k}`) },
    { weight: 2, arbitrary: rawKey.map((k) => `/uploads/${k}`) },
    { weight: 2, arbitrary: rawKey.map((k) => `/manifests/${k}`) },
    { weight: 2, arbitrary: fc.constantFrom("/health", "/objects", "/objects/", "/", "", "//objects/a", "/HEALTH", "/objects//", "/health/") },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => "/" + s) },
);
const method = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom("GET", "PUT", "PUT", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS", "get") },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const queryValue = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("0", "1", "7", "1000", "1001", "-1", "1e3", "", "%", "YQ", "YQ==", "!!"));
const query = fc.oneof(
    fc.constant(""),
    fc.record({ prefix: queryValue, cursor: queryValue, limit: queryValue }, { requiredKeys: [] }).map((q) => new URLSearchParams(q as Record<string, string>).toString()),
    fc.string({ maxLength: 40 }),
);
// moto (werkzeug) parses a PUT body sent as multipart/form-data or application/x-www-form-urlencoded
// as a form and stores nothing; real S3 stores any body verbatim. Those two types are left out here.
const MOTO_FORM_TYPES = /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)/i;
const contentType = fc
    .oneof(
        { weight: 4, arbitrary: fc.constantFrom("text/plain", "application/json; charset=utf-8", "image/png", 'multipart/mixed; boundary="x y"', "application/vnd.a+json", "TEXT/HTML", " text/plain ") },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
        { weight: 1, arbitrary: fc.constantFrom("text/*", "*/*", "text", "a/b;", "a/b\r\nx: y", "x/" + "y".repeat(300)) },
    )
    .filter((type) => !MOTO_FORM_TYPES.test(type));
/** Present with probability 1/(1+absentWeight). */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, absentWeight: number) =>
    fc.oneof({ weight: absentWeight, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
const headers = fc
    .record({
        "content-type": sometimes(contentType, 1),
        "if-match": sometimes(fc.oneof(fc.string({ maxLength: 20 }), fc.constant('"0123456789abcdef0123456789abcdef"')), 9),
        "if-none-match": sometimes(fc.oneof(fc.constant("*"), fc.string({ maxLength: 5 })), 9),
        "content-length": sometimes(fc.oneof(fc.nat().map(String), fc.string({ maxLength: 6 })), 9),
    })
    .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
const body = fc.option(
    fc.oneof(
        fc.uint8Array({ maxLength: 1100 }).map((b) => Buffer.from(b)),
        fc.string({ unit: "grapheme", maxLength: 200 }).map((s) => Buffer.from(s, "utf8")),
    ),
    { nil: undefined },
);
const uploadBody = fc.oneof(
    fc.record({ contentType: contentType }, { requiredKeys: [] }).map((o) => Buffer.from(JSON.stringify(o))),
    fc.json().map((j) => Buffer.from(j)),
    fc.string({ maxLength: 30 }).map((s) => Buffer.from(s)),
);
/** Mostly well-formed requests to each route (with arbitrary keys, headers, bodies), plus pure noise. */
const request = fc.oneof(
    { weight: 6, arbitrary: fc.record({ method: fc.constant("PUT"), path: rawKey.map((k) => `/objects/${k}`), query: fc.constant(""), headers, body, base64: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ method: fc.constant("GET"), path: rawKey.map((k) => `/objects/${k}`), query: fc.constant(""), headers, body: fc.constant(undefined), base64: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ method: fc.constant("DELETE"), path: rawKey.map((k) => `/objects/${k}`), query: fc.constant(""), headers, body: fc.constant(undefined), base64: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ method: fc.constant("GET"), path: fc.constantFrom("/objects", "/objects/"), query, headers, body: fc.constant(undefined), base64: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ method: fc.constant("POST"), path: rawKey.map((k) => `/uploads/${k}`), query: fc.constant(""), headers, body: fc.option(uploadBody, { nil: undefined }), base64: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ method: fc.constant("GET"), path: rawKey.map((k) => `/manifests/${k}`), query: fc.constant(""), headers, body: fc.constant(undefined), base64: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ method, path, query, headers, body, base64: fc.boolean() }) },
);

function checkResponse(result: FunctionUrlResult, method: string, what: string): void {
    assert.ok(result && typeof result === "object", `${what}: no result`);
    assert.ok(Number.isInteger(result.statusCode), `${what}: no status`);
    assert.strictEqual(result.headers?.["x-content-type-options"], "nosniff", `${what}: nosniff`);
    if (method.toUpperCase() === "HEAD") {
        assert.strictEqual(result.body, undefined, `${what}: a HEAD has no body`);
    } else if (result.statusCode! >= 400) {
        const body = JSON.parse(result.body ?? "null") as { error?: { code?: unknown; message?: unknown } };
        assert.strictEqual(typeof body?.error?.code, "string", `${what}: error shape`);
        assert.strictEqual(typeof body?.error?.message, "string", `${what}: error shape`);
        assert.match(String(result.headers?.["content-type"]), /^application\/json/);
    }
}

describe("functions: fuzzing", function () {
    const moto = useMoto();
    let primary: RegionFixture;
    let standby: RegionFixture;
    let s3: S3.S3Client;
    let p: ReturnType<typeof makeHandlers>;
    let s: ReturnType<typeof makeHandlers>;

    before(async () => {
        captureFunctionOutput();
        printSeed(SEED);
        ({ primary, standby } = await provisionApp(moto.endpoint));
        // A small inline limit so that 413s are part of the search.
        p = makeHandlers(moto.endpoint, primary, { [ENV.maxInlineBytes]: "1024" });
        s = makeHandlers(moto.endpoint, standby);
        s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, primary.region));
    });
    after(() => s3?.destroy());

    it(`api (primary): ${FUZZ_RUNS.primaryRequests} arbitrary requests — no exception, no 5xx, accepted writes read back identical`, async function () {
        this.timeout(240_000);
        const statuses = new Map<number, number>();
        await fc.assert(
            fc.asyncProperty(request, async (r) => {
                const what = `${r.method} ${JSON.stringify(r.path)}`;
                const event = urlEvent(r.method, r.path, { query: r.query, headers: r.headers as Record<string, string>, body: r.body, base64: r.base64 });
                if (r.body !== undefined && !r.base64) {
                    // A non-base64 body is text: the bytes that arrive are the UTF-8 of the string.
                    event.body = r.body.toString("utf8");
                }
                const result = await p.api(event, lambdaContext());
                checkResponse(result, r.method, what);
                statuses.set(result.statusCode!, (statuses.get(result.statusCode!) ?? 0) + 1);
                assert.ok(result.statusCode! < 500, `${what} answered ${result.statusCode} ${result.body}`);
                if (result.statusCode === 201) {
                    const created = JSON.parse(result.body!) as { key: string; versionId: string };
                    const sent = r.body === undefined ? Buffer.alloc(0) : r.base64 ? r.body : Buffer.from(r.body.toString("utf8"), "utf8");
                    const read = await p.api(urlEvent("GET", `/objects/${encodePath(created.key)}`), lambdaContext());
                    assert.strictEqual(read.statusCode, 200, `${what}: wrote ${JSON.stringify(created.key)} but GET answered ${read.statusCode} ${read.body}`);
                    assert.ok(bodyBytes(read).equals(sent), `${what}: the bytes read back differ`);
                    const declared = (r.headers as Record<string, string>)["content-type"];
                    const expected = declared === undefined || declared.trim() === "" ? DEFAULT_CONTENT_TYPE : declared.trim();
                    assert.strictEqual(read.headers!["content-type"], expected);
                    assert.strictEqual(read.headers!["x-tandem-version-id"], created.versionId);
                }
            }),
            { numRuns: FUZZ_RUNS.primaryRequests, seed: SEED, endOnFailure: true },
        );
        if (process.env.FUZZ_STATS === "1") console.log("    statuses:", JSON.stringify([...statuses].sort()));
        assert.ok((statuses.get(201) ?? 0) > 0 && (statuses.get(400) ?? 0) > 0, `the search reached both accepted and rejected requests: ${JSON.stringify([...statuses])}`);
    });

    it(`api (standby): ${FUZZ_RUNS.standbyRequests} arbitrary requests — the only 5xx is a refused write`, async function () {
        this.timeout(120_000);
        await fc.assert(
            fc.asyncProperty(request, async (r) => {
                const result = await s.api(urlEvent(r.method, r.path, { query: r.query, headers: r.headers as Record<string, string>, body: r.body, base64: r.base64 }), lambdaContext());
                checkResponse(result, r.method, r.method);
                if (result.statusCode! >= 500) {
                    assert.strictEqual(result.statusCode, 503);
                    assert.strictEqual(JSON.parse(result.body!).error.code, "standby_read_only");
                    assert.ok(["PUT", "DELETE", "POST"].includes(r.method), `${r.method} refused`);
                }
            }),
            { numRuns: FUZZ_RUNS.standbyRequests, seed: SEED, endOnFailure: true },
        );
        const listed = await s3.send(new s3sdk.ListObjectsV2Command({ Bucket: standby.bucket }));
        assert.strictEqual(listed.KeyCount ?? 0, 0, "nothing was written on the standby");
    });

    it(`ingest: ${FUZZ_RUNS.s3Events} arbitrary S3 events — processed or an IngestError, and every manifest is right`, async function () {
        this.timeout(240_000);
        const existing = ["fuzz/a b.txt", "fuzz/plus+.bin", "fuzz/100%.txt", "fuzz/日本/😀", "fuzz/tab\tkey"];
        const versions = new Map<string, string>();
        for (const key of existing) {
            const out = await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: PREFIX.objects + key, Body: `body of ${key}` }));
            versions.set(key, out.VersionId!);
        }
        const s3Encode = (key: string) => encodeURIComponent(key).replace(/%20/g, "+");
        const eventKey = fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...existing).map((k) => s3Encode(PREFIX.objects + k)) },
            { weight: 2, arbitrary: keyText.map((k) => { try { return s3Encode(PREFIX.objects + k); } catch { return PREFIX.objects + k; } }) },
            { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
            { weight: 1, arbitrary: fc.constantFrom("objects%2F%E0%A4%A", "manifests%2Fx", "canary/probes/1", "objects/", "objects%2F", "%", "objects/a%2") },
        );
        const record = fc.record({
            eventSource: fc.oneof({ weight: 5, arbitrary: fc.constant("aws:s3") }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
            eventName: fc.oneof(
                { weight: 5, arbitrary: fc.constantFrom("ObjectCreated:Put", "ObjectCreated:CompleteMultipartUpload", "ObjectCreated:Copy") },
                { weight: 1, arbitrary: fc.constantFrom("ObjectRemoved:Delete", "s3:TestEvent") },
                { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
            ),
            bucket: fc.oneof({ weight: 5, arbitrary: fc.constant(primary.bucket) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }),
            key: eventKey,
            versionId: fc.option(fc.oneof(fc.string({ maxLength: 10 }), fc.uuid()), { nil: undefined }),
            sequencer: fc.option(fc.oneof(fc.string({ unit: fc.constantFrom(..."0123456789ABCDEFabcdef"), minLength: 1, maxLength: 18 }), fc.string({ maxLength: 6 })), { nil: undefined }),
        });
        const outcomes = new Map<string, number>();
        await fc.assert(
            fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 3 }), async (records) => {
                const event = {
                    Records: records.map((r) => ({
                        eventVersion: "2.1",
                        eventSource: r.eventSource,
                        awsRegion: "us-east-1",
                        eventTime: new Date().toISOString(),
                        eventName: r.eventName,
                        s3: {
                            s3SchemaVersion: "1.0",
                            configurationId: "ingest",
                            bucket: { name: r.bucket, arn: `arn:aws:s3:::${r.bucket}`, ownerIdentity: { principalId: "x" } },
                            object: { key: r.key, size: 1, eTag: "e", ...(r.versionId !== undefined ? { versionId: r.versionId } : {}), ...(r.sequencer !== undefined ? { sequencer: r.sequencer } : {}) },
                        },
                    })),
                } as unknown as S3Event;
                let results: Array<{ outcome: string; key?: string }>;
                try {
                    results = (await p.ingest(event, lambdaContext())).records;
                } catch (error) {
                    assert.strictEqual((error as Error).name, "IngestError", `unexpected ${(error as Error).stack}`);
                    results = (error as Error & { results: Array<{ outcome: string; key?: string }> }).results;
                    assert.ok(results.some((r) => r.outcome === "failed"));
                }
                assert.strictEqual(results.length, records.length);
                for (const result of results) {
                    outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
                    assert.ok(["written", "unchanged", "stale", "gone", "skipped", "failed"].includes(result.outcome));
                    if (result.outcome === "written" || result.outcome === "unchanged") {
                        const manifest = JSON.parse(await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: primary.bucket, Key: PREFIX.manifests + result.key }))).Body!.transformToString());
                        const object = await s3.send(new s3sdk.GetObjectCommand({ Bucket: primary.bucket, Key: PREFIX.objects + result.key, VersionId: manifest.versionId }));
                        const bytes = Buffer.from(await object.Body!.transformToByteArray());
                        assert.strictEqual(manifest.sha256, createHash("sha256").update(bytes).digest("hex"));
                        assert.strictEqual(manifest.size, bytes.length);
                        if (manifest.checksumSha256 !== null) assert.strictEqual(manifest.checksumSha256, createHash("sha256").update(bytes).digest("base64"));
                    }
                }
            }),
            { numRuns: FUZZ_RUNS.s3Events, seed: SEED, endOnFailure: true },
        );
        if (process.env.FUZZ_STATS === "1") console.log("    outcomes:", JSON.stringify([...outcomes].sort()));
        assert.ok((outcomes.get("written") ?? 0) + (outcomes.get("unchanged") ?? 0) > 0, JSON.stringify([...outcomes]));
        // Every manifest describes a document version that exists (this bucket also holds the documents
        // the api fuzzing above created).
        const manifests = await s3.send(new s3sdk.ListObjectsV2Command({ Bucket: primary.bucket, Prefix: PREFIX.manifests }));
        for (const m of manifests.Contents ?? []) {
            const manifest = JSON.parse(await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: primary.bucket, Key: m.Key! }))).Body!.transformToString());
            const head = await s3.send(new s3sdk.HeadObjectCommand({ Bucket: primary.bucket, Key: PREFIX.objects + m.Key!.slice(PREFIX.manifests.length), VersionId: manifest.versionId }));
            assert.strictEqual(head.ContentLength, manifest.size, m.Key);
        }
    });
});
