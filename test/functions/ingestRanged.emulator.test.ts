// ingest reading a document in parallel ranged GETs (functions/rangedRead.ts), on moto behind the
// fault proxy, which records every request (its Range, If-Match and version id, the bytes answered)
// and injects the faults. Parts are small here (the handlers get a small TANDEM_INGEST_PART_BYTES) so
// that many parts cost little.
//
// What moto 5.2 does with these requests (moto/s3/responses.py): `Range: bytes=a-b` is answered 206 with
// `Content-Range: bytes a-b/size` and without the x-amz-checksum-* headers (`_handle_range_header`); a
// `versionId` selects that version or answers 404 NoSuchVersion; `If-Match` is compared with the ETag
// of the version selected (`_get_key`), 412 otherwise — the same semantics as S3's GetObject.

import * as assert from "assert";
import { createHash, randomBytes } from "crypto";
import * as fc from "fast-check";
import type * as S3 from "@aws-sdk/client-s3";
import { ENV, MAX_SENT_AHEAD, PREFIX } from "../../functions/contract";
import type { IngestParallelMode, Manifest } from "../../functions/contract";
import { createIngest, PART_ATTEMPTS, sniffContentType } from "../../functions/ingest";
import { createLogger } from "../../functions/observability";
import { createS3Storage } from "../../functions/storage";
import { FaultProxy, SeenRequest, startFaultProxy } from "../../tools/local/faultProxy";
import { clientConfig, provisionApp, RegionFixture, useMoto } from "../../tools/local/emulator";
import { captureFunctionOutput, lambdaContext, linesSince, makeHandlers, outputMark, s3Event } from "../support/lambda";
import { assertWithinCap } from "../support/withinCap";
import { until } from "../support/poll";
import { fuzzSeed, printSeed } from "./fuzzSeed";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;

const PART = 64 * 1024;
const CONCURRENCY = 3;
const SEED = fuzzSeed();

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest();

/** `bytes=a-b` → [a, b]. */
function rangeOf(request: SeenRequest): [number, number] {
    const match = /^bytes=(\d+)-(\d+)$/.exec(request.range ?? "");
    assert.ok(match, `not a byte range: ${request.range}`);
    return [Number(match[1]), Number(match[2])];
}

describe("functions: ingest in ranged parts (moto behind the fault proxy)", function () {
    const moto = useMoto();
    let primary: RegionFixture;
    let s3: S3.S3Client;
    let proxy: FaultProxy;
    let ranged: ReturnType<typeof makeHandlers>;

    // Ranged parts whatever the reader's load ("always"): what these tests are about. "auto", the default,
    // is tested in rangedRead.test.ts, and against the capped proxy below.
    const settings = (partBytes: number, concurrency: number, parallel: IngestParallelMode = "always") => ({
        [ENV.ingestPartBytes]: String(partBytes),
        [ENV.ingestConcurrency]: String(concurrency),
        [ENV.ingestParallel]: parallel,
    });

    before(async () => {
        captureFunctionOutput();
        printSeed(SEED);
        ({ primary } = await provisionApp(moto.endpoint));
        s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, primary.region));
        proxy = await startFaultProxy(moto.endpoint);
        ranged = makeHandlers(proxy.endpoint, primary, settings(PART, CONCURRENCY));
    });
    afterEach(() => proxy.setRules([]));
    after(async () => {
        s3?.destroy();
        await proxy?.close();
    });

    /** Stores `body` with its SHA-256 (as the api does), so ingest also checks it against S3's. */
    async function put(key: string, body: Buffer, bucket = primary.bucket): Promise<{ versionId?: string; etag: string }> {
        const out = await s3.send(new s3sdk.PutObjectCommand({ Bucket: bucket, Key: PREFIX.objects + key, Body: body, ChecksumAlgorithm: "SHA256", ChecksumSHA256: sha256(body).toString("base64") }));
        return { versionId: out.VersionId, etag: out.ETag! };
    }

    async function manifestOf(key: string): Promise<Manifest | undefined> {
        try {
            const out = await s3.send(new s3sdk.GetObjectCommand({ Bucket: primary.bucket, Key: PREFIX.manifests + key }));
            return JSON.parse(await out.Body!.transformToString()) as Manifest;
        } catch (error) {
            if ((error as Error).name === "NoSuchKey") return undefined;
            throw error;
        }
    }

    /** The GETs of the document `key` the proxy saw since `from`. */
    const documentGets = (key: string, from: number) => proxy.seen.slice(from).filter((r) => r.method === "GET" && r.path.endsWith(`/${PREFIX.objects}${key}`));

    /** The `ingest` log line of the last record since `mark`. */
    function ingestLine(mark: number): Record<string, any> {
        const line = linesSince(mark).filter((l) => l.message === "ingest" || l.message === "ingest failed").pop();
        assert.ok(line, "no ingest log line");
        return line;
    }

    function assertDescribes(manifest: Manifest | undefined, body: Buffer, versionId: string | undefined) {
        assert.ok(manifest, "no manifest");
        assert.strictEqual(manifest.sha256, sha256(body).toString("hex"));
        assert.strictEqual(manifest.size, body.length);
        assert.strictEqual(manifest.versionId, versionId ?? null);
        assert.strictEqual(manifest.checksumSha256, sha256(body).toString("base64"));
    }

    it("reads a document of several parts with ranged GETs, each pinned to the version, into the manifest one stream gives", async () => {
        // Text, so that the sniffed type is not the default either.
        const body = Buffer.from("%PDF-1.7\n" + "x".repeat(5 * PART + 123));
        const { versionId, etag } = await put("r/doc", body);
        // The single-stream reading first (one part covers it), then the ranged one, of the same version.
        const single = makeHandlers(proxy.endpoint, primary, settings(body.length, 1));
        assert.strictEqual((await single.ingest(s3Event(primary.bucket, "objects/r/doc"), lambdaContext())).records[0].outcome, "written");
        const fromOneStream = (await manifestOf("r/doc"))!;
        await s3.send(new s3sdk.DeleteObjectCommand({ Bucket: primary.bucket, Key: PREFIX.manifests + "r/doc" }));

        const from = proxy.seen.length;
        const mark = outputMark();
        // moto's events carry no version id: the parts are pinned to the one the first GET answered.
        const result = await ranged.ingest(s3Event(primary.bucket, "objects/r/doc"), lambdaContext());
        assert.strictEqual(result.records[0].outcome, "written", JSON.stringify(result));
        const manifest = await manifestOf("r/doc");
        assertDescribes(manifest, body, versionId);
        assert.deepStrictEqual({ ...manifest, processedAt: "" }, { ...fromOneStream, processedAt: "" });
        assert.strictEqual(manifest!.contentType, "application/pdf");

        const [first, ...parts] = documentGets("r/doc", from);
        assert.strictEqual(first.range, undefined, "the first GET is a plain one");
        const covered = parts.map(rangeOf).sort((a, b) => a[0] - b[0]);
        assert.deepStrictEqual(covered, [1, 2, 3, 4, 5].map((n) => [n * PART, Math.min(body.length, (n + 1) * PART) - 1]));
        for (const part of parts) {
            assert.strictEqual(part.query.get("versionId"), versionId);
            assert.strictEqual(part.ifMatch, etag);
        }
        const line = ingestLine(mark);
        assert.strictEqual(line.parts, 6);
        assert.strictEqual(line.partRequests, 5);
        assert.ok(line.peakBufferedBytes <= CONCURRENCY * PART, `buffered ${line.peakBufferedBytes} bytes`);
    });

    it("reads a document of at most one part with its single GET", async () => {
        for (const size of [0, 1, PART - 1, PART]) {
            const key = `one/${size}`;
            const body = randomBytes(size);
            const { versionId } = await put(key, body);
            const from = proxy.seen.length;
            assert.strictEqual((await ranged.ingest(s3Event(primary.bucket, PREFIX.objects + key), lambdaContext())).records[0].outcome, "written");
            assertDescribes(await manifestOf(key), body, versionId);
            const gets = documentGets(key, from);
            assert.strictEqual(gets.length, 1, `${size} bytes: ${gets.length} GETs`);
            assert.strictEqual(gets[0].range, undefined);
        }
    });

    it("gives the SHA-256, size and type of one stream for sizes around the part boundaries (fast-check)", async function () {
        this.timeout(120_000);
        const handlers = new Map<string, ReturnType<typeof makeHandlers>>();
        let run = 0;
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom(1024, 1500, 4096),
                fc.integer({ min: 1, max: 4 }),
                fc.integer({ min: 0, max: 6 }),
                fc.integer({ min: -2, max: 2 }),
                fc.boolean(),
                async (partBytes, concurrency, parts, offset, text) => {
                    const size = Math.max(0, parts * partBytes + offset);
                    const body = text ? Buffer.from("a".repeat(size)) : randomBytes(size);
                    const key = `prop/${run++}`;
                    const { versionId } = await put(key, body);
                    const id = `${partBytes}x${concurrency}`;
                    if (!handlers.has(id)) handlers.set(id, makeHandlers(proxy.endpoint, primary, settings(partBytes, concurrency)));
                    const mark = outputMark();
                    const result = await handlers.get(id)!.ingest(s3Event(primary.bucket, PREFIX.objects + key), lambdaContext());
                    assert.strictEqual(result.records[0].outcome, "written", JSON.stringify(result));
                    const manifest = await manifestOf(key);
                    assertDescribes(manifest, body, versionId);
                    assert.strictEqual(manifest!.contentType, sniffContentType(body.subarray(0, 512)));
                    const line = ingestLine(mark);
                    assert.strictEqual(line.parts, Math.max(1, Math.ceil(size / partBytes)));
                    assert.ok(line.peakBufferedBytes <= concurrency * partBytes);
                },
            ),
            { numRuns: 40, seed: SEED, endOnFailure: true },
        );
    });

    describe("a part that fails", () => {
        const body = randomBytes(4 * PART);
        const inPart2 = (r: { method: string; range?: string }) => r.method === "GET" && r.range !== undefined && Number(/^bytes=(\d+)/.exec(r.range)?.[1]) >= 2 * PART && Number(/^bytes=(\d+)/.exec(r.range)?.[1]) < 3 * PART;

        it("is retried from its first missing byte, and the manifest is right", async () => {
            const { versionId } = await put("fail/once", body);
            proxy.setRules([{ match: inPart2, times: 1, fault: { kind: "truncate", afterBytes: 10_000 } }]);
            const from = proxy.seen.length;
            const mark = outputMark();
            assert.strictEqual((await ranged.ingest(s3Event(primary.bucket, "objects/fail/once"), lambdaContext())).records[0].outcome, "written");
            assertDescribes(await manifestOf("fail/once"), body, versionId);
            const part2 = documentGets("fail/once", from).filter(inPart2).map(rangeOf);
            assert.strictEqual(part2.length, 2);
            assert.deepStrictEqual(part2[0], [2 * PART, 3 * PART - 1]);
            assert.ok(part2[1][0] > 2 * PART && part2[1][0] <= 2 * PART + 10_000 && part2[1][1] === 3 * PART - 1, `resumed with ${part2[1]}`);
            assert.strictEqual(ingestLine(mark).partRetries, 1);
        });

        it("sent ahead and cut while its body waits unread for its turn is resumed from its first missing byte when its turn comes", async () => {
            const long = randomBytes(8 * PART);
            const { versionId } = await put("fail/ahead", long);
            // Parts 0 to CONCURRENCY − 1 are the window: this part's GET is sent ahead, and its connection
            // is cut (as a server or a middlebox drops an idle connection) before the reader gets to it.
            const sentAhead = CONCURRENCY + 1;
            const inSentAhead = (r: { method: string; range?: string }) => r.method === "GET" && r.range?.startsWith(`bytes=${sentAhead * PART}-`) === true;
            proxy.setRules([{ match: inSentAhead, times: 1, fault: { kind: "truncate", afterBytes: 1_000 } }]);
            const from = proxy.seen.length;
            const mark = outputMark();
            assert.strictEqual((await ranged.ingest(s3Event(primary.bucket, "objects/fail/ahead"), lambdaContext())).records[0].outcome, "written");
            assertDescribes(await manifestOf("fail/ahead"), long, versionId);
            const part = documentGets("fail/ahead", from)
                .filter((r) => r.range !== undefined && rangeOf(r)[1] === (sentAhead + 1) * PART - 1)
                .map(rangeOf);
            assert.strictEqual(part.length, 2, `the part's GETs: ${JSON.stringify(part)}`);
            assert.ok(part[1][0] >= sentAhead * PART && part[1][0] <= sentAhead * PART + 1_000, `resumed with ${part[1]}`);
            assert.strictEqual(ingestLine(mark).partRetries, 1);
        });

        it("fails the record when it keeps failing, after its attempts, and writes no manifest", async () => {
            await put("fail/always", body);
            proxy.setRules([{ match: inPart2, fault: { kind: "truncate", afterBytes: 1_000 } }]);
            const from = proxy.seen.length;
            await assert.rejects(ranged.ingest(s3Event(primary.bucket, "objects/fail/always"), lambdaContext()), /ingest failed for 1 of 1/);
            assert.strictEqual(await manifestOf("fail/always"), undefined);
            // Each attempt is one request: the SDK retries a request that fails before its body, not a body.
            assert.strictEqual(documentGets("fail/always", from).filter(inPart2).length, PART_ATTEMPTS);
        });

        it("fails the record when S3 keeps answering 500 for it, and writes no manifest", async () => {
            await put("fail/500", body);
            proxy.setRules([{ match: inPart2, fault: { kind: "status", status: 500 } }]);
            await assert.rejects(ranged.ingest(s3Event(primary.bucket, "objects/fail/500"), lambdaContext()), /ingest failed for 1 of 1.*InternalError/);
            assert.strictEqual(await manifestOf("fail/500"), undefined);
        });

        it("refused (403) closes every other GET, those sent ahead with their bodies unread included: nothing left open, no manifest", async () => {
            // Capped so that no answer is all relayed before the refusal: each part takes ~250 ms.
            const capped = await startFaultProxy(moto.endpoint, { bytesPerSecond: 250e3 });
            try {
                const long = randomBytes(10 * PART);
                await put("fail/refused", long);
                capped.setRules([{ match: inPart2, fault: { kind: "status", status: 403 } }]);
                const handlers = makeHandlers(capped.endpoint, primary, settings(PART, CONCURRENCY));
                await assert.rejects(handlers.ingest(s3Event(primary.bucket, "objects/fail/refused"), lambdaContext()), /ingest failed for 1 of 1.*AccessDenied/);
                assert.strictEqual(await manifestOf("fail/refused"), undefined);
                const gets = capped.seen.filter((r) => r.method === "GET" && r.path.endsWith("/objects/fail/refused"));
                // Parts 0 to CONCURRENCY − 1 are the window; the GETs of the next ones were sent ahead.
                const sentAhead = gets.filter((r) => r.range !== undefined && rangeOf(r)[0] >= CONCURRENCY * PART);
                assert.ok(sentAhead.length >= 1, "a GET was sent ahead of the window");
                await until("every GET of the document to be closed or complete", () => gets.every((r) => r.closedAt !== undefined || r.status === 403), 2_000);
            } finally {
                await capped.close();
            }
        });

        it("that is short (fewer bytes than its range, cleanly framed) is retried, and fails the record if it stays short", async () => {
            const { versionId } = await put("short/once", body);
            proxy.setRules([{ match: inPart2, times: 1, fault: { kind: "short", bytes: PART / 2 } }]);
            assert.strictEqual((await ranged.ingest(s3Event(primary.bucket, "objects/short/once"), lambdaContext())).records[0].outcome, "written");
            assertDescribes(await manifestOf("short/once"), body, versionId);

            await put("short/always", body);
            proxy.setRules([{ match: inPart2, fault: { kind: "short", bytes: PART / 2 } }]);
            await assert.rejects(ranged.ingest(s3Event(primary.bucket, "objects/short/always"), lambdaContext()), /answered bytes .* to Range: bytes=131072-196607/);
            assert.strictEqual(await manifestOf("short/always"), undefined);
        });

        it("that stalls is bounded by the invocation's remaining time, and writes no manifest", async () => {
            await put("stall/part", body);
            proxy.setRules([{ match: inPart2, fault: { kind: "stall", afterBytes: 1_000 } }]);
            await assert.rejects(ranged.ingest(s3Event(primary.bucket, "objects/stall/part"), lambdaContext(3_000)), /ingest failed for 1 of 1/);
            assert.strictEqual(await manifestOf("stall/part"), undefined);
        });
    });

    describe("a concurrent change to the document", () => {
        const v1Body = randomBytes(4 * PART + 7);
        const v2Body = randomBytes(2 * PART + 3);
        /** While the first ranged GET is on its way, `change` runs against moto directly. */
        const duringTheRead = (change: () => Promise<unknown>) =>
            proxy.setRules([{ match: (r) => r.method === "GET" && r.range !== undefined, times: 1, fault: { kind: "before", run: async () => void (await change()) } }]);

        for (const withVersion of [true, false]) {
            it(`an overwrite gives the manifest of exactly the event's version (${withVersion ? "the event's version id" : "no version id in the event, as moto sends"})`, async () => {
                const key = `overwrite/${withVersion}`;
                const { versionId: v1 } = await put(key, v1Body);
                let v2: string | undefined;
                duringTheRead(async () => (v2 = (await put(key, v2Body)).versionId));
                const from = proxy.seen.length;
                const result = await ranged.ingest(s3Event(primary.bucket, PREFIX.objects + key, withVersion ? { versionId: v1 } : {}), lambdaContext());
                assert.strictEqual(result.records[0].outcome, "written", JSON.stringify(result));
                assert.ok(v2 !== undefined && v2 !== v1, "the key was overwritten during the read");
                assertDescribes(await manifestOf(key), v1Body, v1);
                // Every ranged GET names v1 (and so does the first GET when the event does).
                const pinned = documentGets(key, from).filter((get) => withVersion || get.range !== undefined);
                assert.ok(pinned.length >= 4);
                for (const get of pinned) assert.strictEqual(get.query.get("versionId"), v1);
            });
        }

        it("the version deleted during the read is `gone`, and no manifest is written", async () => {
            const { versionId } = await put("deleted/doc", v1Body);
            duringTheRead(() => s3.send(new s3sdk.DeleteObjectCommand({ Bucket: primary.bucket, Key: "objects/deleted/doc", VersionId: versionId })));
            const result = await ranged.ingest(s3Event(primary.bucket, "objects/deleted/doc", { versionId }), lambdaContext());
            assert.strictEqual(result.records[0].outcome, "gone", JSON.stringify(result));
            assert.strictEqual(await manifestOf("deleted/doc"), undefined);
        });

        it("without versioning, an overwrite between parts fails the record (If-Match: 412), and no manifest is written", async () => {
            const bucket = "tandem-unversioned-ranged";
            await s3.send(new s3sdk.CreateBucketCommand({ Bucket: bucket }));
            const client = new s3sdk.S3Client({ ...clientConfig(proxy.endpoint, primary.region), responseChecksumValidation: "WHEN_REQUIRED" });
            try {
                const storage = createS3Storage({ sdk: s3sdk, client, bucket });
                const ingest = createIngest({ storage, log: createLogger({ service: "test" }), read: { partBytes: PART, concurrency: CONCURRENCY, parallel: "always" } });
                const { versionId } = await put("plain/doc", v1Body, bucket);
                assert.strictEqual(versionId, undefined, "the bucket is not versioned");
                duringTheRead(() => put("plain/doc", v2Body, bucket));
                await assert.rejects(ingest(s3Event(bucket, "objects/plain/doc"), lambdaContext()), /PreconditionFailed|changed while it was read/);
                const listed = await s3.send(new s3sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX.manifests }));
                assert.strictEqual(listed.KeyCount, 0);
            } finally {
                client.destroy();
            }
        });
    });

    it("goes faster than one connection's cap: by default (auto) parts on several connections, each within the cap (the proxy's record)", async () => {
        const capped = await startFaultProxy(moto.endpoint, { bytesPerSecond: 4e6 });
        try {
            const body = randomBytes(8 * PART);
            const { versionId } = await put("capped/doc", body);
            const handlers = makeHandlers(capped.endpoint, primary, settings(PART, CONCURRENCY, "auto"));
            const mark = outputMark();
            assert.strictEqual((await handlers.ingest(s3Event(primary.bucket, "objects/capped/doc"), lambdaContext())).records[0].outcome, "written");
            // The first GET kept the reader waiting (64 KiB at 4 MB/s: 16 ms for a few ms of work), read at
            // the first part boundary (or, were the process busy then, at the next one).
            const line = ingestLine(mark);
            assert.ok(line.readerBusy < 0.5, `reader busy ${line.readerBusy}`);
            assert.ok(line.parts >= 7 && line.partRequests === line.parts - 1, `${line.parts} parts, ${line.partRequests} ranged GETs`);
            assertDescribes(await manifestOf("capped/doc"), body, versionId);
            const gets = capped.seen.filter((r) => r.method === "GET" && r.path.endsWith("/objects/capped/doc"));
            assertWithinCap(capped, gets);
            // The most ranged GETs that were open at once (each from its arrival to its last byte): the
            // window's parts and those sent ahead. (The first, plain GET is left out: the proxy only sees
            // it end when it next writes to the connection the client dropped after part 0.)
            const events = gets.filter((g) => g.range !== undefined).flatMap((g) => [[g.startedAt, 1], [g.endedAt!, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            let open = 0;
            let most = 0;
            for (const [, delta] of events) most = Math.max(most, (open += delta));
            assert.ok(most >= 2 && most <= CONCURRENCY + Math.min(CONCURRENCY, MAX_SENT_AHEAD), `${most} ranged GETs at once`);
            assert.ok(new Set(gets.map((g) => g.connection)).size >= 2);
        } finally {
            await capped.close();
        }
    });
});
