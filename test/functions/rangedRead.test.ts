// functions/rangedRead.ts on a storage held in memory: when `parallel: "auto"` opens more connections
// than the first GET. (The ranged parts themselves, their pinning and their failures are tested against
// moto behind the fault proxy in ingestRanged.emulator.test.ts.)
import * as assert from "assert";
import { randomBytes } from "crypto";
import * as fc from "fast-check";
import { setTimeout as sleep } from "timers/promises";
import { S3Client } from "@aws-sdk/client-s3";
import { MAX_INGEST_CONCURRENCY, MAX_SENT_AHEAD } from "../../functions/contract";
import { eventLoopBusy, PARALLEL_BELOW_BUSY, PROBE_BYTES, PROBE_MS, RangedReadOptions, readRanged } from "../../functions/rangedRead";
import { ObjectBody, ReadOptions, Storage, storageError } from "../../functions/storage";
import { fuzzSeed, printSeed } from "./fuzzSeed";

const PART = 64 * 1024;

interface Served {
    range?: { start: number; end: number };
    /** Bytes of the first (plain) answer already handed out when this request was made, and ms since its body was first read. */
    firstSentBefore: number;
    sinceFirstRead: number;
    /** Bytes the reader had been handed (`consumed`, when given) when the GET was made, and when its body was first read. */
    consumedAtRequest?: number;
    consumedAtBodyRead?: number;
    discarded: boolean;
}

/**
 * One object version in memory, served in `chunkBytes` chunks (a size that does not divide the parts),
 * `pauseMs` apart when asked; `cutFirstAfter` ends the first answer's body with an error after that many bytes.
 */
function memoryStorage(body: Buffer, options: { chunkBytes?: number; pauseMs?: number; cutFirstAfter?: number; consumed?: () => number; refuse?: (range: ReadOptions["range"]) => boolean } = {}) {
    const chunkBytes = options.chunkBytes ?? 10_000;
    const served: Served[] = [];
    let firstSent = 0;
    let firstReadAt = NaN;
    const get = async (_key: string, read: ReadOptions = {}): Promise<ObjectBody> => {
        const isFirst = served.length === 0;
        const record: Served = { range: read.range, firstSentBefore: firstSent, sinceFirstRead: performance.now() - firstReadAt, consumedAtRequest: options.consumed?.(), discarded: false };
        served.push(record);
        if (options.refuse?.(read.range)) throw storageError("denied", "access denied");
        const start = read.range?.start ?? 0;
        const end = read.range ? read.range.end + 1 : body.length;
        async function* chunks() {
            if (isFirst) firstReadAt = performance.now();
            record.consumedAtBodyRead = options.consumed?.();
            for (let at = start; at < end; at += chunkBytes) {
                if (options.pauseMs) await sleep(options.pauseMs);
                const chunk = body.subarray(at, Math.min(end, at + chunkBytes));
                if (isFirst && options.cutFirstAfter !== undefined && at + chunk.length > options.cutFirstAfter) throw storageError("unavailable", "connection reset");
                if (isFirst) firstSent += chunk.length;
                yield chunk;
            }
        }
        return {
            key: "objects/doc",
            size: end - start,
            versionId: "v1",
            etag: '"e1"',
            ...(read.range ? { range: { start, end: end - 1, size: body.length } } : {}),
            metadata: {},
            body: chunks(),
            discard() {
                record.discarded = true;
            },
        } as ObjectBody;
    };
    return { storage: { bucket: "b", get } as unknown as Storage, served };
}

async function readAll(storage: Storage, options: Partial<RangedReadOptions> & Pick<RangedReadOptions, "parallel">, onChunk: (chunk: Uint8Array) => void = () => {}) {
    const first = await storage.get("objects/doc");
    const read = readRanged(storage, "objects/doc", first, { partBytes: PART, concurrency: 4, attempts: 3, signal: new AbortController().signal, backoffMs: () => 1, ...options });
    const chunks: Uint8Array[] = [];
    for await (const chunk of read.chunks) {
        onChunk(chunk);
        chunks.push(chunk);
    }
    return { bytes: Buffer.concat(chunks), stats: read.stats };
}

/** A meter that reports `busy` (its readings in turn, the last one from then on) and counts its uses. */
function fixedMeter(...busy: number[]) {
    const meter = { started: 0, read: 0, busyMeter: () => (meter.started++, () => busy[Math.min(busy.length - 1, meter.read++)]) };
    return meter;
}

describe("functions: when a ranged read opens more connections (rangedRead.ts, parallel auto)", () => {
    const body = randomBytes(5 * PART + 123);

    it("reads on with the first GET alone while the reader is busy at least half the time (the CPU is the limit), read at every part boundary", async () => {
        const { storage, served } = memoryStorage(body);
        const meter = fixedMeter(PARALLEL_BELOW_BUSY);
        const { bytes, stats } = await readAll(storage, { parallel: "auto", busyMeter: meter.busyMeter });
        assert.ok(bytes.equals(body));
        assert.deepStrictEqual(served.map((s) => s.range), [undefined], "one plain GET, no range");
        assert.deepStrictEqual({ parts: stats.parts, requests: stats.requests, readerBusy: stats.readerBusy }, { parts: 1, requests: 0, readerBusy: PARALLEL_BELOW_BUSY });
        // A reading at each of the five boundaries; after the last one the first GET has the rest.
        assert.deepStrictEqual({ started: meter.started, read: meter.read }, { started: 5, read: 5 });
    });

    it("starts the ranged parts at the boundary where the reader first waited, after leading alone until then", async () => {
        const { storage, served } = memoryStorage(body);
        const { bytes, stats } = await readAll(storage, { parallel: "auto", busyMeter: fixedMeter(0.9, 0.8, 0.2).busyMeter });
        assert.ok(bytes.equals(body));
        // Busy at the first two boundaries, waiting at the third: the first GET served bytes 0 to 3 × PART.
        assert.deepStrictEqual(
            served.slice(1).map((s) => s.range),
            [3, 4, 5].map((n) => ({ start: n * PART, end: Math.min(body.length, (n + 1) * PART) - 1 })),
        );
        assert.deepStrictEqual({ parts: stats.parts, requests: stats.requests, readerBusy: stats.readerBusy }, { parts: 4, requests: 3, readerBusy: 0.2 });
    });

    it("reads the other parts in ranged GETs when the reader waited more than half the probe (one connection is the limit)", async () => {
        const { storage, served } = memoryStorage(body);
        const { bytes, stats } = await readAll(storage, { parallel: "auto", busyMeter: fixedMeter(0.49).busyMeter });
        assert.ok(bytes.equals(body));
        assert.deepStrictEqual(
            served.slice(1).map((s) => s.range),
            [1, 2, 3, 4, 5].map((n) => ({ start: n * PART, end: Math.min(body.length, (n + 1) * PART) - 1 })),
        );
        assert.deepStrictEqual({ parts: stats.parts, requests: stats.requests, readerBusy: stats.readerBusy }, { parts: 6, requests: 5, readerBusy: 0.49 });
    });

    for (const pauseMs of [1, 3]) {
        it(`reads the meter within the first part once it has both PROBE_BYTES and PROBE_MS, not at its end (64 KiB every ${pauseMs} ms)`, async () => {
            const partBytes = 4 * PROBE_BYTES;
            const large = randomBytes(3 * partBytes);
            const { storage, served } = memoryStorage(large, { chunkBytes: 64 * 1024, pauseMs });
            const { bytes, stats } = await readAll(storage, { parallel: "auto", partBytes, busyMeter: fixedMeter(0).busyMeter });
            assert.ok(bytes.equals(large));
            assert.strictEqual(stats.requests, 2);
            const firstRanged = served[1];
            assert.ok(firstRanged.firstSentBefore >= PROBE_BYTES && firstRanged.firstSentBefore < partBytes, `the parts started after ${firstRanged.firstSentBefore} bytes`);
            // The meter starts just before the body is first read: a millisecond of slack.
            assert.ok(firstRanged.sinceFirstRead >= PROBE_MS - 1, `the parts started ${firstRanged.sinceFirstRead} ms after the first answer's body was first read`);
        });
    }

    it("starts the ranged parts when the first GET fails while it leads, and resumes it from its first missing byte", async () => {
        const { storage, served } = memoryStorage(body, { cutFirstAfter: 30_000 });
        const meter = fixedMeter(1);
        const { bytes, stats } = await readAll(storage, { parallel: "auto", busyMeter: meter.busyMeter });
        assert.ok(bytes.equals(body));
        assert.strictEqual(meter.read, 0, "nothing measured");
        assert.strictEqual(stats.retries, 1);
        const part0 = served.slice(1).filter((s) => s.range!.start < PART);
        assert.deepStrictEqual(part0.map((s) => s.range), [{ start: 30_000, end: PART - 1 }], "part 0 resumed where the first answer stopped");
        assert.strictEqual(served.length, 7, "the first GET, part 0 again, parts 1 to 5");
        assert.strictEqual(stats.parts, 6);
    });

    it("resumes the first GET, once it reads on to the end, with one GET of the rest of the object", async () => {
        // 1,000-byte chunks: the reading at the last boundary (5 × PART) leaves 5,000 bytes to the first
        // GET alone, and it fails 2,320 bytes after that boundary.
        const tail = randomBytes(5 * PART + 5_000);
        const { storage, served } = memoryStorage(tail, { chunkBytes: 1_000, cutFirstAfter: 330_000 });
        const { bytes, stats } = await readAll(storage, { parallel: "auto", busyMeter: fixedMeter(1).busyMeter });
        assert.ok(bytes.equals(tail));
        assert.deepStrictEqual(served.map((s) => s.range), [undefined, { start: 330_000, end: tail.length - 1 }]);
        assert.deepStrictEqual({ parts: stats.parts, retries: stats.retries }, { parts: 1, retries: 1 });
    });

    it("starts the ranged parts after the part a leading first GET fails in", async () => {
        const { storage, served } = memoryStorage(body, { cutFirstAfter: 3 * PART });
        const { bytes, stats } = await readAll(storage, { parallel: "auto", busyMeter: fixedMeter(1).busyMeter });
        assert.ok(bytes.equals(body));
        // It led through 2 × PART, and failed at byte 190,000 of the part ending at 3 × PART.
        assert.deepStrictEqual(
            served.slice(1).map((s) => s.range).sort((a, b) => a!.start - b!.start),
            [{ start: 190_000, end: 3 * PART - 1 }, ...[3, 4, 5].map((n) => ({ start: n * PART, end: Math.min(body.length, (n + 1) * PART) - 1 }))],
        );
        assert.deepStrictEqual({ parts: stats.parts, retries: stats.retries }, { parts: 4, retries: 1 });
    });

    it("probes nothing with one connection (it reads on), or with parallel always (ranged parts at once)", async () => {
        const one = memoryStorage(body);
        const meter = fixedMeter(0);
        const single = await readAll(one.storage, { parallel: "auto", concurrency: 1, busyMeter: meter.busyMeter });
        assert.ok(single.bytes.equals(body));
        assert.deepStrictEqual(one.served.map((s) => s.range), [undefined]);
        assert.strictEqual(single.stats.readerBusy, undefined);

        const always = memoryStorage(body);
        const ranged = await readAll(always.storage, { parallel: "always", busyMeter: meter.busyMeter });
        assert.ok(ranged.bytes.equals(body));
        assert.strictEqual(always.served.length, 6);
        assert.strictEqual(always.served[1].firstSentBefore, 0, "the parts were asked for before the first answer's first byte");
        assert.strictEqual(meter.started, 0);
    });

    it("sends the GETs of the next `concurrency` parts ahead of the window, and reads a part's body only in its turn", async () => {
        const concurrency = 3;
        const object = randomBytes(20 * PART);
        let consumed = 0;
        const { storage, served } = memoryStorage(object, { consumed: () => consumed });
        const { bytes, stats } = await readAll(storage, { parallel: "always", concurrency }, (chunk) => (consumed += chunk.length));
        assert.ok(bytes.equals(object));
        assert.ok(MAX_SENT_AHEAD >= concurrency, "this test's concurrency is not capped by MAX_SENT_AHEAD");
        for (const [p, request] of served.slice(1).entries()) {
            const part = p + 1;
            assert.strictEqual(request.range!.start, part * PART);
            // Sent once the reader reached the part 2 × concurrency − 1 places before it: one window ahead of its turn.
            assert.strictEqual(request.consumedAtRequest, Math.max(0, part - 2 * concurrency + 1) * PART, `the GET of part ${part}`);
            // Read once the reader reached the part concurrency − 1 places before it.
            assert.strictEqual(request.consumedAtBodyRead, Math.max(0, part - concurrency + 1) * PART, `the body of part ${part}`);
        }
        assert.ok(stats.peakBufferedBytes <= concurrency * PART, `${stats.peakBufferedBytes} bytes buffered`);
    });

    it("drops the answers of the parts sent ahead once the read is over: a part refused, or the reader stopping", async () => {
        const object = randomBytes(12 * PART);
        const refused = memoryStorage(object, { refuse: (range) => range?.start === 2 * PART });
        await assert.rejects(readAll(refused.storage, { parallel: "always", concurrency: 3 }), /access denied/);
        // Parts 0–2 are the window, 3–5 sent ahead.
        const waiting = refused.served.filter((s) => s.range !== undefined && s.range.start >= 3 * PART);
        assert.strictEqual(waiting.length, 3, "GETs sent ahead");
        assert.ok(waiting.every((s) => s.discarded), "every answer sent ahead was dropped");

        const stopped = memoryStorage(object);
        const first = await stopped.storage.get("objects/doc");
        const read = readRanged(stopped.storage, "objects/doc", first, { partBytes: PART, concurrency: 2, attempts: 3, parallel: "always", signal: new AbortController().signal });
        for await (const chunk of read.chunks) if (chunk.length > 0) break;
        await sleep(10);
        assert.ok(stopped.served.length > 3 && stopped.served.every((s) => s.discarded), "every answer not read to its end was dropped");
    });

    for (const parallel of ["auto", "always"] as const) {
        it(`fails at once, dropping the first answer, when its time is already up (${parallel}): it neither reads nor waits`, async () => {
            const { storage, served } = memoryStorage(randomBytes(6 * PART));
            const first = await storage.get("objects/doc");
            const outOfTime = AbortSignal.abort(new DOMException("The operation timed out.", "TimeoutError"));
            const read = readRanged(storage, "objects/doc", first, { partBytes: PART, concurrency: 2, attempts: 3, parallel, signal: outOfTime });
            const consumed = (async () => {
                for await (const chunk of read.chunks) void chunk;
            })();
            const outcome = await Promise.race([consumed.then(() => "read", (error: Error) => error), sleep(2_000).then(() => "still waiting")]);
            assert.ok(outcome instanceof Error, `the read ended with ${String(outcome)}`);
            assert.match(outcome.message, /timed out/);
            assert.ok(served.every((s) => s.discarded), "every answer was dropped");
        });
    }

    it("keeps the GETs in flight within the sockets the SDK's HTTP handler opens by default (node-http-handler maxSockets)", async () => {
        // The functions' clients are built with requestHandler options only (functions/callbacks.ts), so
        // the SDK's default agent is theirs; one socket stays free for the manifest's requests.
        const client = new S3Client({ region: "us-east-1", requestHandler: { connectionTimeout: 1000 } });
        try {
            const config = await (client.config.requestHandler as unknown as { configProvider: Promise<{ httpsAgent: { maxSockets: number } }> }).configProvider;
            assert.ok(MAX_INGEST_CONCURRENCY + MAX_SENT_AHEAD < config.httpsAgent.maxSockets, `${MAX_INGEST_CONCURRENCY} + ${MAX_SENT_AHEAD} against ${config.httpsAgent.maxSockets} sockets`);
        } finally {
            client.destroy();
        }
    });

    it("gives the object's bytes, from one GET or from parts that tile the rest, whatever the readings, sizes and a failure of the first GET (fast-check)", async () => {
        const seed = fuzzSeed();
        printSeed(seed);
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom(1000, 1024, 4096),
                fc.constantFrom(100, 1000, 4096, 10_000),
                fc.integer({ min: 1, max: 4 }),
                fc.integer({ min: 0, max: 6 }),
                fc.integer({ min: -2, max: 2 }),
                // Shares in hundredths: fast-check's doubles crowd near 0.
                fc.array(fc.integer({ min: 0, max: 100 }).map((n) => n / 100), { minLength: 1, maxLength: 8 }),
                fc.option(fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000)),
                async (partBytes, chunkBytes, concurrency, parts, offset, readings, cutAt) => {
                    const object = randomBytes(Math.max(0, parts * partBytes + offset));
                    const cutFirstAfter = cutAt === null ? undefined : Math.floor(cutAt * object.length);
                    const { storage, served } = memoryStorage(object, { chunkBytes, cutFirstAfter });
                    const { bytes, stats } = await readAll(storage, { parallel: "auto", partBytes, concurrency, busyMeter: fixedMeter(...readings).busyMeter });
                    assert.ok(bytes.equals(object), "the object's bytes, in order");
                    assert.strictEqual(served[0].range, undefined, "the first GET is a plain one");
                    assert.strictEqual(stats.requests, served.length - 1);
                    for (const { range } of served.slice(1)) {
                        // Re-reading a whole object that failed before its first byte is a plain GET again.
                        if (range === undefined && stats.parts === 1 && stats.retries > 0) continue;
                        assert.ok(range && range.start <= range.end && range.end < object.length, `range ${JSON.stringify(range)} of ${object.length} bytes`);
                        // A range ends where a part does: at a part boundary, or at the object's end.
                        assert.ok((range.end + 1) % partBytes === 0 || range.end === object.length - 1, `range ${JSON.stringify(range)} ends inside a part`);
                    }
                    const failed = cutFirstAfter !== undefined && served.length > 1 && stats.retries > 0;
                    if (!failed && readings.every((busy) => busy >= PARALLEL_BELOW_BUSY)) {
                        assert.strictEqual(served.length, 1, "busy throughout: the first GET alone");
                        assert.strictEqual(stats.parts, 1);
                    }
                    if (!failed && concurrency > 1 && object.length > partBytes && readings[0] < PARALLEL_BELOW_BUSY) {
                        // Waiting at the first reading (the first boundary: these parts are under PROBE_BYTES).
                        const starts = served.slice(1).map((s) => s.range!.start);
                        assert.deepStrictEqual(starts.sort((a, b) => a - b), Array.from({ length: Math.ceil(object.length / partBytes) - 1 }, (_, i) => (i + 1) * partBytes));
                    }
                },
            ),
            { numRuns: 200, seed },
        );
    });

    it("refuses a parallel mode it does not know", async () => {
        const { storage } = memoryStorage(body);
        await assert.rejects(readAll(storage, { parallel: "sometimes" as "auto" }), /invalid ranged read options: .*parallel sometimes/);
    });

    describe("measured by the event loop's utilization (Node's perf_hooks)", () => {
        it("reads on alone when hashing is the work: every chunk there at once, the reader never waits", async () => {
            const { storage, served } = memoryStorage(body);
            // ~1 ms of work per 10,000-byte chunk.
            const { bytes, stats } = await readAll(storage, { parallel: "auto" }, () => {
                const until = performance.now() + 1;
                while (performance.now() < until);
            });
            assert.ok(bytes.equals(body));
            assert.strictEqual(served.length, 1);
            assert.ok(stats.readerBusy! >= PARALLEL_BELOW_BUSY, `busy ${stats.readerBusy}`);
        });

        it("reads in parallel when the connection is the wait: 5 ms between chunks, a reader with little to do", async () => {
            const { storage, served } = memoryStorage(body, { pauseMs: 5 });
            const { bytes, stats } = await readAll(storage, { parallel: "auto" });
            assert.ok(bytes.equals(body));
            // Ranged parts from the first boundary (or, were the process busy then, from a later one).
            assert.ok(served.length >= 4, `${served.length} GETs`);
            assert.ok(stats.readerBusy! < PARALLEL_BELOW_BUSY, `busy ${stats.readerBusy}`);
        });

        it("measures from its call: an idle wait reads near 0, a busy loop near 1", async () => {
            const idle = eventLoopBusy();
            await sleep(30);
            assert.ok(idle() < 0.5, `idle ${idle()}`);
            const busy = eventLoopBusy();
            const until = performance.now() + 30;
            while (performance.now() < until);
            assert.ok(busy() > 0.5, `busy ${busy()}`);
        });
    });
});
