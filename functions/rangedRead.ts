// Reading one object version at the speed S3 serves it, not the speed of one connection: AWS's S3
// performance guidance is to fetch byte ranges of a large object over concurrent connections, 8 or
// 16 MB each ("Use byte-range fetches",
// https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/use-byte-range-fetches.html),
// because a single GET is bounded by what one connection carries.
//
// The caller has already made one plain GET (it gives the size, ETag, version id and stored checksum
// in one answer). An object of at most one part is read from that answer alone: the single-stream path,
// no other request. A larger one: the plain GET's body serves part 0 and is dropped after it; the other
// parts are ranged GETs (`Range: bytes=a-b`, answered 206 with `Content-Range: bytes a-b/size`, RFC 9110
// §14.4), at most `concurrency` parts in flight, each part pinned to the version and ETag the first
// answer described. Parts may arrive in any order; the bytes are handed out strictly in order.
//
// Why ranges and not `PartNumber`: a part number addresses the parts of the multipart upload that made
// the object ("Effectively performs a 'ranged' GET request for the part specified", API_GetObject), so
// its sizes are the uploader's, not ours, and an object PUT in one request has a single part. (moto 5.2
// answers PartNumber of a multipart object with the whole object.) A range works for any object.
//
// Memory: a part is buffered only while an earlier part is still being consumed, so at most
// `concurrency` parts are held, and the part being consumed is passed through as it arrives.
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

import { printable } from "./keys";
import { ContentRange, isStorageError, ObjectBody, ReadOptions, Storage, StorageError, classifyError, storageError } from "./storage";

export interface RangedReadOptions {
    /** Bytes per part; an object of at most this many bytes is read with its first GET alone. */
    partBytes: number;
    /** Parts in flight at once, the one being consumed included. */
    concurrency: number;
    /** Attempts per part, the first included. */
    attempts: number;
    signal: AbortSignal;
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
    if (!(Number.isSafeInteger(partBytes) && partBytes > 0 && Number.isSafeInteger(concurrency) && concurrency > 0 && Number.isSafeInteger(attempts) && attempts > 0)) {
        throw new Error(`invalid ranged read options: partBytes ${partBytes}, concurrency ${concurrency}, attempts ${attempts}`);
    }
    const size = first.size;
    const count = Math.max(1, Math.ceil(size / partBytes));
    const backoff = options.backoffMs ?? defaultBackoff;
    const stats: RangedReadStats = { parts: count, requests: 0, retries: 0, peakBufferedBytes: 0 };
    const stop = new AbortController();
    const signal = AbortSignal.any([options.signal, stop.signal]);
    const parts: Array<Part | undefined> = [];
    let buffered = 0;
    let failure: StorageError | undefined;
    let firstUsed = false;
    const where = printable(key);

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
            for await (const chunk of answer.body) {
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
                await part.turn;
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
                await sleep(backoff(attempt), signal);
            }
        }
    }

    function launch(index: number): void {
        const start = index * partBytes;
        let giveTurn = () => {};
        const turn = new Promise<void>((resolve) => (giveTurn = resolve));
        const part: Part = { index, start, end: Math.min(size, start + partBytes), received: 0, chunks: [], buffered: 0, done: false, turn, giveTurn };
        parts[index] = part;
        void fetchPart(part);
    }

    async function* ordered(): AsyncGenerator<Uint8Array> {
        let launched = 0;
        try {
            for (let index = 0; index < count; index++) {
                // The GET of the part after the window goes out now and waits for its turn with its body
                // unread (TCP holds it back), so that S3's time to first byte overlaps the transfers
                // before it rather than following them; only the window's parts fill buffers.
                for (; launched < Math.min(count, index + concurrency + 1); launched++) launch(launched);
                for (let inWindow = index; inWindow < Math.min(count, index + concurrency); inWindow++) parts[inWindow]!.giveTurn();
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
