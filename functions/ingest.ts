// ingest: for every document version created under objects/ (S3 event notification), read the
// object once — constant memory, any size — to compute its SHA-256, size and content type, and write
// the manifest `manifests/<key>` (the Manifest of contract.ts):
//   {key, versionId, sha256, size, contentType, processedAt, checksumSha256}
//
// - Read at S3's speed: an object larger than one part (config: part size, concurrency, parallel) is
//   read with parallel ranged GETs when its first GET alone keeps the reader waiting, every part pinned
//   to the version the first GET answered, and hashed in order (./rangedRead.ts); a smaller one, or one
//   the CPU reads no faster in parallel, with its single GET.
// - Integrity: the SHA-256 S3 stored with the version (the api sends one with every PUT) is read with
//   the object and must match the bytes read; a mismatch fails the record (no manifest). The manifest
//   records it (checksumSha256, base64; null for a version stored without one, e.g. a POST upload).
// - Idempotent per version id: a manifest that already describes the version is left alone.
// - Ordered: a manifest is never replaced by one for an older version. S3 events carry a `sequencer`
//   (ordered per key) which is kept in the manifest's metadata; without one (moto), the source
//   object's LastModified is compared instead.
// - Race-free: the manifest is written with If-None-Match: * (first one) or If-Match: <etag> (replacing
//   the one just read); a concurrent writer makes the condition fail and the decision is re-made.
// - Nothing half-written: the manifest is written only after the whole object was read and its length
//   checked, and an S3 PUT is atomic.
// - Errors propagate: a record that fails makes the invocation fail (after the other records were
//   processed), so Lambda retries it and then sends the event to the failure destination.
// - Anything that is not an ObjectCreated event for a key under objects/ in this bucket is skipped.

import { createHash } from "crypto";
import type { S3Event, S3EventRecord } from "aws-lambda";
import { Manifest, MAX_MANIFEST_BYTES, PREFIX } from "./contract";
import { InvocationContext, remainingBudget } from "./invocation";
import { decodeEventKey, DEFAULT_CONTENT_TYPE, printable } from "./keys";
import type { Logger } from "./observability";
import { RangedReadOptions, RangedReadStats, readRanged } from "./rangedRead";
import { getIfExists, isStorageError, ObjectBody, readBody, Storage, storageError } from "./storage";

export type Outcome = "written" | "unchanged" | "stale" | "gone" | "skipped" | "failed";

export interface RecordResult {
    outcome: Outcome;
    key?: string;
    versionId?: string | null;
    reason?: string;
}

export interface IngestResult {
    records: RecordResult[];
}

/** How a large object is read (ENV.ingestPartBytes, ENV.ingestConcurrency, ENV.ingestParallel). */
export type ReadSettings = Pick<RangedReadOptions, "partBytes" | "concurrency" | "parallel">;

export interface IngestOptions {
    storage: Storage;
    log: Logger;
    read: ReadSettings;
    now?: () => number;
    /** Work budget per invocation; the default leaves 2 s of the Lambda's remaining time. */
    budgetMs?: (context: InvocationContext | undefined) => number;
}

/** Bytes kept from the start of an object to recognize its type. */
const SNIFF_BYTES = 512;

/** Attempts at a conditional manifest write before giving up (another writer keeps winning). */
const WRITE_ATTEMPTS = 4;

/**
 * Attempts per part of an object (each resumes where the last one stopped). The SDK client retries a
 * request that fails before its body on its own; these cover a body that fails or ends short.
 */
export const PART_ATTEMPTS = 3;

/** Compares two S3 event sequencers (hex, ordered per key once left-padded to the same length). */
export function compareSequencers(a: string, b: string): number {
    const width = Math.max(a.length, b.length);
    const x = a.toUpperCase().padStart(width, "0");
    const y = b.toUpperCase().padStart(width, "0");
    return x < y ? -1 : x > y ? 1 : 0;
}

function startsWith(bytes: Buffer, signature: number[], offset = 0): boolean {
    if (bytes.length < offset + signature.length) return false;
    return signature.every((byte, i) => bytes[offset + i] === byte);
}

/**
 * The content type recognized from the first bytes of a document: common binary signatures, then
 * UTF-8 text without NULs. application/octet-stream when nothing matches.
 */
export function sniffContentType(head: Buffer): string {
    if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
    if (startsWith(head, [0xff, 0xd8, 0xff])) return "image/jpeg";
    if (startsWith(head, [0x47, 0x49, 0x46, 0x38]) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61) return "image/gif";
    if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
    if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf";
    if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return "application/zip";
    if (startsWith(head, [0x1f, 0x8b])) return "application/gzip";
    if (head.length === 0 || head.includes(0)) return DEFAULT_CONTENT_TYPE;
    // Drop an incomplete multi-byte sequence cut by the sniff window, then require valid UTF-8.
    let end = head.length;
    for (let back = 1; back <= 3 && end - back >= 0; back++) {
        const byte = head[end - back];
        if ((byte & 0xc0) === 0x80) continue; // continuation byte
        if (byte >= 0xc0) {
            const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
            if (back < needed) end -= back;
        }
        break;
    }
    try {
        new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, end));
        return "text/plain; charset=utf-8";
    } catch {
        return DEFAULT_CONTENT_TYPE;
    }
}

const GENERIC_TYPES = ["", "application/octet-stream", "binary/octet-stream"];

interface StoredManifest {
    manifest: Partial<Manifest>;
    etag?: string;
    metadata: Record<string, string>;
}

/** Where an invocation's time went (logged with each record). */
interface Timing {
    /** Reading the current manifest. */
    lookupMs?: number;
    /** Streaming and hashing the object. */
    readMs?: number;
    bytes?: number;
    /** Parts read (1: the single GET), GETs besides the first, part retries, most bytes buffered. */
    parts?: number;
    partRequests?: number;
    partRetries?: number;
    peakBufferedBytes?: number;
    /** The last reading of how busy the reader was while the first GET led alone (parallel "auto"): below 0.5, the ranged parts started. */
    readerBusy?: number;
    /** Writing the manifest. */
    writeMs?: number;
}

interface Digest {
    versionId: string | null;
    sha256: string;
    size: number;
    contentType: string;
    checksumSha256: string | null;
    lastModified?: Date;
}

export function createIngest(options: IngestOptions) {
    const { storage, log } = options;
    const now = options.now ?? Date.now;

    async function readManifest(manifestKey: string, signal: AbortSignal): Promise<StoredManifest | undefined> {
        const object = await getIfExists(storage, manifestKey, { signal });
        if (object === undefined) return undefined;
        const bytes = await readBody(object, MAX_MANIFEST_BYTES);
        let manifest: Partial<Manifest> = {};
        try {
            const parsed = bytes === undefined ? undefined : (JSON.parse(bytes.toString("utf8")) as unknown);
            if (typeof parsed === "object" && parsed !== null) manifest = parsed as Partial<Manifest>;
        } catch {
            // An unreadable manifest is replaced (conditionally, on its ETag).
        }
        return { manifest, etag: object.etag, metadata: object.metadata };
    }

    function isStale(existing: StoredManifest | undefined, sequencer: string | undefined, lastModified: Date | undefined): boolean {
        if (existing === undefined) return false;
        const previous = existing.metadata.sequencer;
        if (sequencer && previous) return compareSequencers(previous, sequencer) > 0;
        const previousModified = Date.parse(existing.metadata["source-last-modified"] ?? "");
        if (lastModified !== undefined && Number.isFinite(previousModified)) return previousModified > lastModified.getTime();
        return false;
    }

    async function digest(objectKey: string, object: ObjectBody, signal: AbortSignal, timing: Timing): Promise<Digest> {
        const started = now();
        const hash = createHash("sha256");
        let size = 0;
        const head = Buffer.alloc(SNIFF_BYTES);
        let headLength = 0;
        const read = readRanged(storage, objectKey, object, { ...options.read, attempts: PART_ATTEMPTS, signal });
        const record = (stats: RangedReadStats) =>
            Object.assign(timing, {
                parts: stats.parts,
                partRequests: stats.requests,
                partRetries: stats.retries,
                peakBufferedBytes: stats.peakBufferedBytes,
                ...(stats.readerBusy === undefined ? {} : { readerBusy: Math.round(stats.readerBusy * 100) / 100 }),
            });
        try {
            for await (const chunk of read.chunks) {
                hash.update(chunk);
                size += chunk.length;
                if (headLength < SNIFF_BYTES) {
                    const take = Math.min(SNIFF_BYTES - headLength, chunk.length);
                    head.set(chunk.subarray(0, take), headLength);
                    headLength += take;
                }
            }
        } catch (error) {
            record(read.stats);
            // Keep S3's own verdict (a version gone, an object changed) for the caller to act on.
            if (isStorageError(error) && error.storageErrorKind !== "unavailable") throw error;
            throw storageError("unavailable", `reading ${printable(objectKey)} failed after ${size} bytes: ${(error as Error)?.message ?? error}`, error);
        }
        record(read.stats);
        if (size !== object.size) {
            throw storageError("unavailable", `reading ${printable(objectKey)} returned ${size} bytes, expected ${object.size}`);
        }
        const sha256 = hash.digest();
        if (object.checksumSha256 !== undefined && object.checksumSha256 !== sha256.toString("base64")) {
            throw storageError("unavailable", `the bytes read from ${printable(objectKey)} do not match the SHA-256 S3 stored with them`);
        }
        timing.readMs = now() - started;
        timing.bytes = size;
        const stored = (object.contentType ?? "").trim();
        const contentType = GENERIC_TYPES.includes(stored.toLowerCase()) ? sniffContentType(head.subarray(0, headLength)) : stored;
        return {
            versionId: object.versionId ?? null,
            sha256: sha256.toString("hex"),
            size,
            contentType,
            checksumSha256: object.checksumSha256 ?? null,
            lastModified: object.lastModified,
        };
    }

    async function ingestRecord(record: S3EventRecord, signal: AbortSignal, timing: Timing): Promise<RecordResult> {
        if (record?.eventSource !== "aws:s3" || typeof record.eventName !== "string" || typeof record.s3?.object?.key !== "string") {
            return { outcome: "skipped", reason: "not an S3 event record" };
        }
        if (!record.eventName.startsWith("ObjectCreated:")) {
            return { outcome: "skipped", reason: `event ${printable(record.eventName)} is not an object creation` };
        }
        if (record.s3.bucket?.name !== storage.bucket) {
            return { outcome: "skipped", reason: `bucket ${printable(String(record.s3.bucket?.name))} is not this function's bucket` };
        }
        let objectKey: string;
        try {
            objectKey = decodeEventKey(record.s3.object.key);
        } catch {
            throw new Error(`the event's object key ${printable(record.s3.object.key)} is not valid URL-encoded UTF-8`);
        }
        if (!objectKey.startsWith(PREFIX.objects) || objectKey.length === PREFIX.objects.length) {
            return { outcome: "skipped", key: objectKey, reason: `not a document under ${PREFIX.objects}` };
        }
        const key = objectKey.slice(PREFIX.objects.length);
        const manifestKey = PREFIX.manifests + key;
        if (Buffer.byteLength(manifestKey, "utf8") > 1024) {
            throw new Error(`the manifest key for ${printable(objectKey)} would be longer than S3's 1024 bytes`);
        }
        const eventVersion = typeof record.s3.object.versionId === "string" && record.s3.object.versionId !== "" ? record.s3.object.versionId : undefined;
        const sequencer = typeof record.s3.object.sequencer === "string" && /^[0-9A-Fa-f]+$/.test(record.s3.object.sequencer) ? record.s3.object.sequencer : undefined;

        // The object's GET goes out with the manifest's, so that their round trips overlap; its body is
        // read only once the manifest says the version is new. A duplicate event (S3 delivers at least
        // once) costs a GET whose body is never read. Its outcome is settled into a value at once: a GET
        // that fails while the lookup is still out must not be an unhandled rejection, on which Lambda's
        // runtime aborts the invocation (Runtime.UnhandledPromiseRejection).
        const lookupStarted = now();
        const reading: Promise<{ object?: ObjectBody; error?: unknown }> = getIfExists(storage, objectKey, { versionId: eventVersion, signal }).then(
            (object) => ({ object }),
            (error: unknown) => ({ error }),
        );
        const unread = () => void reading.then((settled) => settled.object?.discard());
        let existing: StoredManifest | undefined;
        try {
            existing = await readManifest(manifestKey, signal);
        } catch (error) {
            unread();
            throw error;
        }
        timing.lookupMs = now() - lookupStarted;
        if (eventVersion !== undefined && existing?.manifest.versionId === eventVersion) {
            unread();
            return { outcome: "unchanged", key, versionId: eventVersion, reason: "this version is already ingested" };
        }
        if (isStale(existing, sequencer, undefined)) {
            unread();
            return { outcome: "stale", key, versionId: eventVersion, reason: "a newer version is already ingested" };
        }
        const settled = await reading;
        if ("error" in settled) throw settled.error;
        const object = settled.object;
        if (object === undefined) {
            return { outcome: "gone", key, versionId: eventVersion, reason: "the object version no longer exists" };
        }
        let described: Digest;
        try {
            described = await digest(objectKey, object, signal, timing);
        } catch (error) {
            // The version was deleted while its parts were read (S3: 404 NoSuchVersion).
            if (isStorageError(error) && error.storageErrorKind === "not_found") {
                return { outcome: "gone", key, versionId: object.versionId ?? eventVersion, reason: "the object version was deleted while it was read" };
            }
            throw error;
        }
        for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            if (attempt > 1) existing = await readManifest(manifestKey, signal);
            if (existing !== undefined && existing.manifest.versionId === described.versionId && described.versionId !== null) {
                return { outcome: "unchanged", key, versionId: described.versionId, reason: "this version is already ingested" };
            }
            if (isStale(existing, sequencer, described.lastModified)) {
                return { outcome: "stale", key, versionId: described.versionId, reason: "a newer version is already ingested" };
            }
            const manifest: Manifest = {
                key,
                versionId: described.versionId,
                sha256: described.sha256,
                size: described.size,
                contentType: described.contentType,
                processedAt: new Date(now()).toISOString(),
                checksumSha256: described.checksumSha256,
            };
            const metadata: Record<string, string> = {};
            if (sequencer) metadata.sequencer = sequencer;
            if (described.lastModified) metadata["source-last-modified"] = described.lastModified.toISOString();
            const writeStarted = now();
            try {
                await storage.put(manifestKey, JSON.stringify(manifest), {
                    contentType: "application/json",
                    metadata,
                    ...(existing?.etag ? { ifMatch: existing.etag } : { ifNoneMatch: "*" }),
                    signal,
                });
                timing.writeMs = now() - writeStarted;
                return { outcome: "written", key, versionId: described.versionId };
            } catch (error) {
                if (isStorageError(error) && error.storageErrorKind === "precondition_failed" && attempt < WRITE_ATTEMPTS) {
                    log.info("manifest changed while ingesting; deciding again", { key: objectKey, attempt });
                    continue;
                }
                throw error;
            }
        }
        throw new Error(`the manifest of ${printable(objectKey)} kept changing; giving up after ${WRITE_ATTEMPTS} attempts`);
    }

    return async function ingest(event: S3Event, context?: InvocationContext): Promise<IngestResult> {
        log.startInvocation(context);
        const records = Array.isArray(event?.Records) ? event.Records : [];
        if (records.length === 0) {
            log.info("no records to ingest", { event: (event as { Event?: unknown } | undefined)?.Event ?? null });
            return { records: [] };
        }
        const signal = AbortSignal.timeout(options.budgetMs?.(context) ?? remainingBudget(context, 60_000, 2_000));
        const results: RecordResult[] = [];
        const failures: string[] = [];
        for (const record of records) {
            const started = now();
            const timing: Timing = {};
            try {
                const result = await ingestRecord(record, signal, timing);
                results.push(result);
                log.info("ingest", { ...result, ...timing, durationMs: now() - started });
            } catch (error) {
                const key = typeof record?.s3?.object?.key === "string" ? record.s3.object.key : undefined;
                results.push({ outcome: "failed", key, reason: (error as Error)?.message ?? String(error) });
                failures.push(`${printable(key ?? "?")}: ${(error as Error)?.message ?? error}`);
                log.error("ingest failed", { key, error, retryable: isStorageError(error) ? error.retryable : false, durationMs: now() - started });
            }
        }
        if (failures.length > 0) {
            // Lambda retries the whole event; the records that succeeded are idempotent.
            const error = new Error(`ingest failed for ${failures.length} of ${records.length} record(s): ${failures.join("; ")}`) as Error & { results?: RecordResult[] };
            error.name = "IngestError";
            error.results = results;
            throw error;
        }
        return { records: results };
    };
}
