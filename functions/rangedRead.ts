// Reading one object version at the speed S3 serves it, not the speed of one connection: AWS's S3
// performance guidance is to fetch byte ranges of a large object over concurrent connections, 8 or
// 16 MB each ("Use byte-range fetches",
// https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/use-byte-range-fetches.html),
// because a single GET is bounded by what one connection carries.
//
// The caller has already made one plain GET (it gives the size, ETag, version id and stored checksum
// in one answer). An object of at most one part is read from that answer alone: the single-stream path,
// no other request. A larger one: the plain GET's body serves part 0 (up to the part boundary where the
// ranged parts start, below) and is dropped after it; the other parts are ranged GETs (`Range: bytes=a-b`,
// answered 206 with `Content-Range: bytes a-b/size`, RFC 9110 §14.4), at most `concurrency` parts in
// flight, each part pinned to the version and ETag the first answer described. Parts may arrive in any
// order; the bytes are handed out strictly in order.
//
// Why ranges and not `PartNumber`: a part number addresses the parts of the multipart upload that made
// the object ("Effectively performs a 'ranged' GET request for the part specified", API_GetObject), so
// its sizes are the uploader's, not ours, and an object PUT in one request has a single part. (moto 5.2
// answers PartNumber of a multipart object with the whole object.) A range works for any object.
//
// When: more connections help only while the reader waits on the one it has. With `parallel: "auto"`
// the first answer leads alone, and how busy the process is (the event loop's utilization) is read
// after PROBE_BYTES and PROBE_MS, then at every part boundary it reaches: busy at least half of that
// time — the CPU is the limit, as on a small function, or S3 serves faster than SHA-256 hashes — it
// reads on alone; otherwise the ranged parts start from the next part boundary, and stay. Read at every
// boundary, a verdict taken in a busy moment (a collection, code being compiled) costs one part at most.
// `"always"` starts the ranged parts at once.
//
// Memory: a part is buffered only while an earlier part is still being consumed, so at most
// `concurrency` parts are held, and the part being consumed is passed through as it arrives.
//
// Sent ahead: the GETs of the next `concurrency` parts after the window go out too, their bodies left
// unread (TCP's window holds the bytes back) until their turn. A part's turn comes once the part
// `concurrency` places before it is consumed, about one part's transfer later: that is how long S3 has
// to answer it before the reader would wait, whatever the concurrency. (With one GET sent ahead, parts
// started together ended together and the next window's GETs went out together, each then waiting for
// its first byte: `npm run bench -- --only ingest` gave ingest.throttled 2.67× with one, 3.11× with four.)
// MAX_SENT_AHEAD keeps the GETs in flight within the SDK's 50 sockets (node-http-handler's default
// `maxSockets`); an unread body holds its connection, not memory.
//
// Pinning: with the version id, a concurrent overwrite of the key cannot mix versions — S3 serves the
// named version or answers 404 NoSuchVersion once it is deleted (API_GetObject, VersionId). Without one
// (an unversioned bucket), If-Match on the first answer's ETag makes S3 refuse with 412 once the key
// holds other bytes. Either way every answer's Content-Range (start, end and total size), ETag and
// version id are checked against what was asked for.
//
// Failures: a part whose request or body fails (network, 5xx, throttling, a timeout, fewer bytes than
// its range) is retried, resuming from its first missing byte, up to `attempts` times in all; anything
// else (the version gone, the object changed, a refusal) fails at once. The first failure that is final
// aborts every other part. Every request carries the caller's signal: the invocation's time budget
// bounds every part and every retry.

import { performance } from "perf_hooks";
import { INGEST_PARALLEL_MODES, IngestParallelMode, MAX_SENT_AHEAD } from "./contract";
import { printable } from "./keys";
import { ContentRange, isStorageError, ObjectBody, ReadOptions, Storage, StorageError, classifyError, storageError } from "./storage";

export interface RangedReadOptions {
    /** Bytes per part; an object of at most this many bytes is read with its first GET alone. */
    partBytes: number;
    /** Parts in flight at once, the one being consumed included. */
    concurrency: number;
    /** Attempts per part, the first included. */
    attempts: number;
    /** `auto`: ranged parts only once the first answer keeps the reader waiting (above); `always`. */
    parallel: IngestParallelMode;
    signal: AbortSignal;
    /** Starts measuring; the function it returns gives the share of the time since then that the process was busy. */
    busyMeter?: () => () => number;
    /** Pause before retry n (1-based); defaults to 100 ms × 2^(n-1), at most 1 s. */
    backoffMs?: (retry: number) => number;
}

/** What a read cost: read after the iteration ends (or fails). */
export interface RangedReadStats {
    parts: number;
    /** GETs made besides the first one (ranged parts and retries). */
    requests: number;
    retries: number;
    /** The most bytes held in part buffers at any moment. */
    peakBufferedBytes: number;
    /** With `parallel: "auto"` and several parts: the last reading of how busy the reader was while the first answer led alone (0–1). */
    readerBusy?: number;
}

interface Part {
    index: number;
    /** First byte of the part. */
    start: number;
    /** One past its last byte. */
    end: number;
    received: number;
    chunks: Uint8Array[];
    buffered: number;
    done: boolean;
    /** Resolved once the part may fill a buffer (it is among the `concurrency` parts from the one being consumed). */
    turn: Promise<void>;
    giveTurn: () => void;
    /** Wakes the consumer waiting on this part. */
    wake?: () => void;
}

/** The first reading of `parallel: "auto"`: after at least this many bytes and this long, unless a part boundary comes sooner. */
export const PROBE_BYTES = 1024 * 1024;
export const PROBE_MS = 20;

/**
 * Parallel parts once the reader was busy less than this share of the time since the last reading. At a
 * share b, more connections can make the reader at most 1/b times faster, but reading in parts costs
 * about 1.5 times the CPU per byte of one stream (the bench: 810–870 against 530–560 ms per 256 MiB), so
 * they gain nothing above b ≈ 0.67; below 0.5 they can still gain a third or more.
 */
export const PARALLEL_BELOW_BUSY = 0.5;

/** The event loop's utilization since the call (Node's perf_hooks): the share of the time it was not waiting. */
export function eventLoopBusy(): () => number {
    const start = performance.eventLoopUtilization();
    return () => performance.eventLoopUtilization(start).utilization;
}

const defaultBackoff = (retry: number) => Math.min(1000, 100 * 2 ** (retry - 1));

function sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
        if (signal.aborted) return resolve();
        const timer = setTimeout(done, ms);
        signal.addEventListener("abort", done, { once: true });
        function done() {
            clearTimeout(timer);
            signal.removeEventListener("abort", done);
            resolve();
        }
    });
}

/**
 * The bytes of the version `first` describes, in order, read as described at the top of this module.
 * `first` must be a plain (unranged) GET of `key` whose body has not been read yet.
 */
export function readRanged(storage: Storage, key: string, first: ObjectBody, options: RangedReadOptions): { chunks: AsyncIterable<Uint8Array>; stats: RangedReadStats } {
    const { partBytes, concurrency, attempts } = options;
    const validMode = (INGEST_PARALLEL_MODES as readonly string[]).includes(options.parallel);
    if (!(Number.isSafeInteger(partBytes) && partBytes > 0 && Number.isSafeInteger(concurrency) && concurrency > 0 && Number.isSafeInteger(attempts) && attempts > 0 && validMode)) {
        throw new Error(`invalid ranged read options: partBytes ${partBytes}, concurrency ${concurrency}, attempts ${attempts}, parallel ${options.parallel}`);
    }
    const size = first.size;
    // Part 0 is the first answer's, [0, firstEnd): a part boundary or the end, moved on while the first
    // answer leads alone. Part i ≥ 1 is [firstEnd + (i - 1) × partBytes, + partBytes). With one
    // connection, reading on is never slower than reading ranges.
    let firstEnd = options.parallel === "auto" && concurrency === 1 ? size : Math.min(size, partBytes);
    const partCount = () => 1 + Math.ceil((size - firstEnd) / partBytes);
    let count = partCount();
    /** Whether the parts are settled: false while the first answer leads alone in `auto`. */
    let decided = count === 1 || options.parallel === "always";
    /** While it leads: the busy meter since the last reading, and whether the first reading was taken. */
    let probe: { busy: () => number; startedAt: number; read: boolean } | undefined;
    const sentAhead = Math.min(concurrency, MAX_SENT_AHEAD);
    const backoff = options.backoffMs ?? defaultBackoff;
    const stats: RangedReadStats = { parts: count, requests: 0, retries: 0, peakBufferedBytes: 0 };
    const stop = new AbortController();
    const signal = AbortSignal.any([options.signal, stop.signal]);
    const ended = signal.aborted ? Promise.resolve() : new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    const parts: Array<Part | undefined> = [];
    let buffered = 0;
    let failure: StorageError | undefined;
    let firstUsed = false;
    let launched = 0;
    let consuming = 0;
    const where = printable(key);

    /** Sends the GETs of the window from the part being consumed and of the parts sent ahead; the window's parts may fill. */
    function advance(): void {
        const reach = decided ? Math.min(count, consuming + concurrency + sentAhead) : 1;
        for (; launched < reach; launched++) launch(launched);
        for (let inWindow = consuming; inWindow < Math.min(launched, consuming + concurrency); inWindow++) parts[inWindow]!.giveTurn();
    }

    function startProbe(read: boolean): void {
        probe = { busy: (options.busyMeter ?? eventLoopBusy)(), startedAt: performance.now(), read };
    }

    /** The ranged parts start after part 0 as it now ends (a part boundary). */
    function goParallel(): void {
        decided = true;
        probe = undefined;
        advance();
    }

    /** Part 0, led by the first answer, is about to take `chunk`: reads the meter when a reading is due. */
    function lead(part: Part, chunk: Uint8Array): void {
        const through = part.received + chunk.length;
        const boundary = through >= firstEnd;
        if (!boundary && (probe!.read || through < PROBE_BYTES || performance.now() - probe!.startedAt < PROBE_MS)) return;
        stats.readerBusy = probe!.busy();
        if (stats.readerBusy < PARALLEL_BELOW_BUSY) return goParallel();
        if (boundary) {
            // Reads on alone to the next boundary past this chunk.
            firstEnd = Math.min(size, (Math.floor(through / partBytes) + 1) * partBytes);
            part.end = firstEnd;
            count = stats.parts = partCount();
            if (count === 1) {
                decided = true;
                probe = undefined;
                return;
            }
        }
        startProbe(true);
    }

    function fail(error: StorageError): void {
        failure ??= error;
        stop.abort();
        for (const part of parts) part?.wake?.();
    }

    function changed(message: string): StorageError {
        return storageError("precondition_failed", `${where} changed while it was read: ${message}`);
    }

    /** The answer must be exactly the bytes asked for, of the same version. */
    function check(answer: ObjectBody, from: number, end: number): void {
        if (first.versionId !== undefined && answer.versionId !== first.versionId) throw changed(`version ${answer.versionId} answered for ${first.versionId}`);
        if (first.etag !== undefined && answer.etag !== first.etag) throw changed(`ETag ${answer.etag} answered for ${first.etag}`);
        const whole = from === 0 && end === size;
        const range: ContentRange | undefined = answer.range;
        if (whole && range === undefined) {
            if (answer.size !== size) throw changed(`${answer.size} bytes answered for ${size}`);
            return;
        }
        if (range === undefined) {
            throw storageError("invalid", `GetObject of ${where} answered the whole object to Range: bytes=${from}-${end - 1}`);
        }
        if (range.size !== size) throw changed(`its size is now ${range.size}, it was ${size}`);
        if (range.start !== from || range.end !== end - 1 || answer.size !== end - from) {
            throw storageError("unavailable", `GetObject of ${where} answered bytes ${range.start}-${range.end} (${answer.size} bytes) to Range: bytes=${from}-${end - 1}`);
        }
    }

    function request(part: Part): Promise<ObjectBody> {
        const from = part.start + part.received;
        stats.requests++;
        const pin: ReadOptions = { versionId: first.versionId, ifMatch: first.etag, signal };
        // A whole-object re-read (an object of one part, failed before its first byte) is a plain GET:
        // an empty object has no byte range at all (S3 answers 416 InvalidRange).
        return from === 0 && part.end === size ? storage.get(key, pin) : storage.get(key, { ...pin, range: { start: from, end: part.end - 1 } });
    }

    /** Moves the answer's bytes into the part, stopping at the part's end (the first GET goes on past it). */
    async function drain(part: Part, answer: ObjectBody): Promise<void> {
        const onAbort = () => answer.discard();
        signal.addEventListener("abort", onAbort, { once: true });
        try {
            if (!decided && part.index === 0) startProbe(false);
            for await (const chunk of answer.body) {
                if (!decided && part.index === 0) lead(part, chunk);
                const room = part.end - part.start - part.received;
                const take = chunk.length <= room ? chunk : chunk.subarray(0, room);
                if (take.length > 0) {
                    part.chunks.push(take);
                    part.received += take.length;
                    part.buffered += take.length;
                    buffered += take.length;
                    stats.peakBufferedBytes = Math.max(stats.peakBufferedBytes, buffered);
                    part.wake?.();
                }
                if (take.length < chunk.length) {
                    if (answer === first && count > 1) break;
                    throw storageError("unavailable", `GetObject of ${where} answered more than the ${part.end - part.start} bytes of part ${part.index}`);
                }
                if (part.received === part.end - part.start && answer === first && count > 1) break;
            }
        } finally {
            signal.removeEventListener("abort", onAbort);
            if (answer === first && count > 1) answer.discard();
        }
    }

    async function fetchPart(part: Part): Promise<void> {
        for (let attempt = 1; ; attempt++) {
            try {
                let answer: ObjectBody;
                if (part.index === 0 && !firstUsed) {
                    firstUsed = true;
                    answer = first;
                } else {
                    answer = await request(part);
                    check(answer, part.start + part.received, part.end);
                }
                // A part sent ahead waits here with its body unread; once the read is over (failed, out
                // of time, or the consumer stopped), its connection is dropped rather than left to the
                // SDK, and the abort is reported like any other (below), so the consumer never waits on it.
                await Promise.race([part.turn, ended]);
                if (signal.aborted) {
                    answer.discard();
                    throw signal.reason;
                }
                await drain(part, answer);
                const length = part.end - part.start;
                if (part.received !== length) {
                    throw storageError("unavailable", `GetObject of ${where} ended after ${part.received} of the ${length} bytes of part ${part.index} (bytes ${part.start}-${part.end - 1})`);
                }
                part.done = true;
                part.wake?.();
                return;
            } catch (error) {
                const classified = isStorageError(error) ? error : classifyError(error, `GetObject of ${where} (part ${part.index})`);
                if (signal.aborted || !classified.retryable || attempt >= attempts) {
                    fail(signal.aborted && failure === undefined ? classifyError(options.signal.reason ?? error, `GetObject of ${where}`) : classified);
                    return;
                }
                stats.retries++;
                // A first answer that failed while it led: the ranged parts start after its part.
                if (!decided) goParallel();
                await sleep(backoff(attempt), signal);
            }
        }
    }

    function launch(index: number): void {
        const start = index === 0 ? 0 : firstEnd + (index - 1) * partBytes;
        let giveTurn = () => {};
        const turn = new Promise<void>((resolve) => (giveTurn = resolve));
        const part: Part = { index, start, end: index === 0 ? firstEnd : Math.min(size, start + partBytes), received: 0, chunks: [], buffered: 0, done: false, turn, giveTurn };
        parts[index] = part;
        void fetchPart(part);
    }

    async function* ordered(): AsyncGenerator<Uint8Array> {
        try {
            for (let index = 0; index < count; index++) {
                // The window moves on: one more part may fill, one more GET is sent ahead (above).
                consuming = index;
                advance();
                const part = parts[index]!;
                for (;;) {
                    if (failure !== undefined) throw failure;
                    const chunk = part.chunks.shift();
                    if (chunk !== undefined) {
                        part.buffered -= chunk.length;
                        buffered -= chunk.length;
                        yield chunk;
                        continue;
                    }
                    if (part.done) break;
                    await new Promise<void>((resolve) => (part.wake = resolve));
                    part.wake = undefined;
                }
                parts[index] = undefined;
            }
        } finally {
            // Done, failed, or the consumer stopped early: nothing may keep a connection or a buffer.
            stop.abort();
            if (!firstUsed) first.discard();
        }
    }

    return { chunks: ordered(), stats };
}
