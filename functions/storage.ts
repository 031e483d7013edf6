// The storage port: the handful of S3 operations the functions use, over one bucket, with S3's errors
// turned into a small set of kinds the handlers can act on, plus the one reader of whole bodies and the
// one "get, or undefined when missing". Built from an SDK module and client that the caller passes in
// (the callbacks `require` the SDK at cold start), so this module only imports SDK *types* and stays
// serializable. Presigned URLs and POST policies are signed by functions/sigv4.ts with the credentials
// the client resolves.

import type * as S3 from "@aws-sdk/client-s3";
import { amzDate, bucketAddress, Credentials, presignedPost, presignedUrl, PresignedPost, uriEncode } from "./sigv4";

/**
 * not_found: no such key/version. precondition_failed: an If-Match/If-None-Match did not hold (or a
 * concurrent conditional write won). not_modified: a read's If-None-Match held (HTTP 304).
 * unavailable: S3 unreachable, slow (timed out), throttling or failing (5xx), or a body that arrived
 * other than S3 described it — retrying may succeed.
 * denied: S3 or KMS refused the caller (IAM, key policy, disabled key).
 * invalid: S3 rejected the request itself (4xx) — a bug or input that validation let through.
 */
export type StorageErrorKind = "not_found" | "precondition_failed" | "not_modified" | "unavailable" | "denied" | "invalid";

export interface StorageError extends Error {
    storageErrorKind: StorageErrorKind;
    retryable: boolean;
    /** The S3 error code (e.g. NoSuchKey, SlowDown) or the network error code. */
    s3Code?: string;
    httpStatusCode?: number;
}

export function isStorageError(error: unknown): error is StorageError {
    return error instanceof Error && typeof (error as Partial<StorageError>).storageErrorKind === "string";
}

export function storageError(kind: StorageErrorKind, message: string, cause?: unknown, details: { s3Code?: string; httpStatusCode?: number } = {}): StorageError {
    const error = new Error(message, cause === undefined ? undefined : { cause }) as StorageError;
    error.name = "StorageError";
    error.storageErrorKind = kind;
    error.retryable = kind === "unavailable";
    if (details.s3Code !== undefined) error.s3Code = details.s3Code;
    if (details.httpStatusCode !== undefined) error.httpStatusCode = details.httpStatusCode;
    return error;
}

const NETWORK_CODES = ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED", "UND_ERR_SOCKET", "ERR_STREAM_PREMATURE_CLOSE"];
const UNAVAILABLE_NAMES = ["AbortError", "TimeoutError", "RequestTimeout", "RequestTimeoutException", "SlowDown", "Throttling", "ThrottlingException", "ServiceUnavailable", "InternalError", "NetworkingError", "KMS.ThrottlingException", "KMS.KMSInternalException"];
const NOT_FOUND_NAMES = ["NoSuchKey", "NotFound", "NoSuchVersion"];
const DENIED_NAMES = ["AccessDenied", "Forbidden", "KMS.DisabledException", "KMS.AccessDeniedException", "KMS.KMSInvalidStateException", "KMS.NotFoundException", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "AllAccessDisabled", "NoSuchBucket"];

/** Classifies anything the SDK (or the network under it) throws. Never throws itself. */
export function classifyError(error: unknown, operation: string): StorageError {
    if (isStorageError(error)) return error;
    const e = (error ?? {}) as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
    const name = typeof e.name === "string" ? e.name : "";
    const code = typeof e.code === "string" ? e.code : name;
    const status = e.$metadata?.httpStatusCode;
    const message = `${operation} failed: ${name || "error"}${e.message ? `: ${e.message}` : ""}`;
    const details = { s3Code: code || undefined, httpStatusCode: status };
    if (NOT_FOUND_NAMES.includes(name) || (status === 404 && name !== "NoSuchBucket")) {
        return storageError("not_found", message, error, details);
    }
    // A conditional write that raced another one is answered 409 ConditionalRequestConflict
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html, If-Match / If-None-Match): for the
    // client, the condition did not hold.
    if (name === "PreconditionFailed" || status === 412 || name === "ConditionalRequestConflict") {
        return storageError("precondition_failed", message, error, details);
    }
    if (name === "NotModified" || status === 304) {
        return storageError("not_modified", message, error, details);
    }
    if (DENIED_NAMES.includes(name) || status === 403) {
        return storageError("denied", message, error, details);
    }
    if (
        UNAVAILABLE_NAMES.includes(name) ||
        NETWORK_CODES.includes(code) ||
        status === undefined ||
        status >= 500 ||
        status === 429 ||
        status === 408 ||
        e.$retryable !== undefined
    ) {
        // No HTTP status at all means the request never got an S3 answer: network, timeout, abort.
        return storageError("unavailable", message, error, details);
    }
    return storageError("invalid", message, error, details);
}

export interface ObjectInfo {
    key: string;
    size: number;
    etag?: string;
    versionId?: string;
    contentType?: string;
    lastModified?: Date;
    metadata: Record<string, string>;
    replicationStatus?: string;
    /** The SHA-256 S3 stored with the version (base64), when it has a full-object one. */
    checksumSha256?: string;
    /** What a ranged GET answered (206, `Content-Range: bytes start-end/size`); `size` above is then the part's length. */
    range?: ContentRange;
}

/** A `Content-Range: bytes <start>-<end>/<size>` answer (end inclusive, size of the whole version). */
export interface ContentRange {
    start: number;
    end: number;
    size: number;
}

export interface ObjectBody extends ObjectInfo {
    /**
     * The bytes, streamed. Consume it or call discard(), or the connection is never released. A failure
     * mid-body is the stream's own error: its readers classify it (readBody, rangedRead.ts). The SDK's
     * stream is handed out as it is because every layer of async iteration costs per chunk: a wrapper
     * that delegated with `yield*` took 500–740 ms of CPU to read 256 MiB where the stream alone took
     * 250–450 (nodejs/node#31979: `yield*` is the slowest way to pass on an async iterable).
     */
    body: AsyncIterable<Uint8Array>;
    discard(): void;
}

export interface ListedObject {
    key: string;
    size: number;
    lastModified?: Date;
}

export interface CallOptions {
    signal?: AbortSignal;
}

export interface PutOptions extends CallOptions {
    contentType?: string;
    metadata?: Record<string, string>;
    /** Base64 SHA-256 of the body: S3 stores it with the version and rejects a body that does not match. */
    checksumSha256?: string;
    /** Base64 MD5 of the body (Content-MD5): S3 rejects a body that does not match. */
    contentMd5?: string;
    /** "*": create only. */
    ifNoneMatch?: string;
    /** Replace only this ETag. */
    ifMatch?: string;
    /** S3's default (STANDARD) when left out. */
    storageClass?: string;
}

export interface ReadOptions extends CallOptions {
    versionId?: string;
    /** Only when the current ETag is this one (else precondition_failed). */
    ifMatch?: string;
    /** Only when the current ETag is not this one, or "*" (else not_modified). */
    ifNoneMatch?: string;
    /**
     * Only bytes start..end (both inclusive): `Range: bytes=start-end`, answered 206 with a
     * Content-Range (RFC 9110 §14; S3 takes a single range per GET:
     * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html). Sent without ChecksumMode:
     * S3 returns no checksum for an arbitrary range, and for a range that happens to match a multipart
     * part it returns that part's checksum, which an SDK would check against the wrong bytes
     * (aws/aws-sdk-js-v3#5345, boto/botocore#3346).
     */
    range?: { start: number; end: number };
}

export interface Storage {
    readonly bucket: string;
    put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<{ versionId?: string; etag?: string; checksumSha256?: string }>;
    get(key: string, options?: ReadOptions): Promise<ObjectBody>;
    head(key: string, options?: ReadOptions): Promise<ObjectInfo>;
    delete(key: string, options?: CallOptions): Promise<{ versionId?: string; deleteMarker: boolean }>;
    /** One page of keys under prefix, ascending, strictly after startAfter. */
    list(prefix: string, options: CallOptions & { startAfter?: string; maxKeys: number }): Promise<{ items: ListedObject[]; truncated: boolean }>;
    /** A URL that performs `method` (GET or HEAD) on the current version of key until it expires. */
    presignUrl(key: string, options: { method: "GET" | "HEAD"; expiresIn: number }): Promise<string>;
    /** A browser-style POST upload of exactly this key and content type, at most maxBytes. */
    presignPost(key: string, options: { contentType: string; maxBytes: number; expiresIn: number; storageClass?: string }): Promise<PresignedPost & { url: string }>;
}

/** The SDK module parts the adapter uses; the callbacks pass `require("@aws-sdk/client-s3")`. */
export type S3Module = Pick<typeof S3, "PutObjectCommand" | "GetObjectCommand" | "HeadObjectCommand" | "DeleteObjectCommand" | "ListObjectsV2Command">;

/** What presigning needs: the credentials the client resolves, the region, the endpoint override. */
export interface SignerOptions {
    credentials: () => Promise<Credentials>;
    region: string;
    /** The S3 endpoint the client was given (an emulator), if any. */
    endpoint?: string;
    now?: () => number;
}

export interface S3StorageOptions {
    sdk: S3Module;
    client: S3.S3Client;
    bucket: string;
    /** Only the api presigns. */
    signer?: SignerOptions;
}

/**
 * The full-object SHA-256 S3 reports (with ChecksumMode ENABLED). A multipart upload's composite
 * checksum (`…-<parts>`, ChecksumType COMPOSITE) is a checksum of part checksums, not of the bytes.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
function fullObjectSha256(out: { ChecksumSHA256?: string; ChecksumType?: string }): string | undefined {
    const value = out.ChecksumSHA256;
    if (value === undefined || value.includes("-") || (out.ChecksumType !== undefined && out.ChecksumType !== "FULL_OBJECT")) return undefined;
    return value;
}

/** `bytes <start>-<end>/<size>`, or undefined for anything else (`*` sizes, other units). */
export function parseContentRange(header: string | undefined): ContentRange | undefined {
    const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header?.trim() ?? "");
    if (match === null) return undefined;
    const [start, end, size] = match.slice(1).map(Number);
    return Number.isSafeInteger(size) && start <= end && end < size ? { start, end, size } : undefined;
}

/** What GetObject and HeadObject both say about an object. */
function objectInfo(key: string, out: S3.HeadObjectCommandOutput | S3.GetObjectCommandOutput): ObjectInfo {
    const range = parseContentRange((out as S3.GetObjectCommandOutput).ContentRange);
    return {
        ...(range !== undefined ? { range } : {}),
        key,
        size: out.ContentLength ?? 0,
        etag: out.ETag,
        versionId: out.VersionId,
        contentType: out.ContentType,
        lastModified: out.LastModified,
        metadata: out.Metadata ?? {},
        replicationStatus: out.ReplicationStatus,
        checksumSha256: fullObjectSha256(out),
    };
}

/** The object, or undefined when there is no such key (or version). */
export async function getIfExists(storage: Storage, key: string, options?: ReadOptions): Promise<ObjectBody | undefined> {
    try {
        return await storage.get(key, options);
    } catch (error) {
        if (isStorageError(error) && error.storageErrorKind === "not_found") return undefined;
        throw error;
    }
}

/**
 * The whole body, or undefined (and the body discarded) when it is larger than limit. A body that
 * ends at another length than S3 announced is an unavailable error: never a truncated document.
 */
export async function readBody(object: ObjectBody, limit: number): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let total = 0;
    try {
        for await (const chunk of object.body) {
            total += chunk.length;
            if (total > limit) {
                object.discard();
                return undefined;
            }
            chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        }
    } catch (error) {
        object.discard();
        throw isStorageError(error) ? error : classifyError(error, "GetObject (reading the body)");
    }
    if (total !== object.size) {
        throw storageError("unavailable", `reading ${object.key} returned ${total} bytes, expected ${object.size}`);
    }
    return Buffer.concat(chunks, total);
}

/**
 * A whole-object GET asks S3 for the checksums stored with the version (`x-amz-checksum-mode: ENABLED`)
 * as a header, not as the command's ChecksumMode: given ChecksumMode, the SDK also recomputes the stored
 * checksum over the body as it streams (aws-sdk-js-v3#6497) — a second SHA-256 beside the one every
 * reader here computes and compares itself, or, for an object uploaded without a checksum (S3 then
 * stores a CRC64NVME: https://docs.aws.amazon.com/AmazonS3/latest/API/API_Checksum.html), a CRC64NVME
 * in JavaScript, slower than SHA-256. The header is added before signing, so it is signed like the rest.
 * A HEAD has no body and keeps ChecksumMode. Ranges ask for none (ReadOptions.range).
 */
const ASK_FOR_STORED_CHECKSUMS = { step: "build", name: "askForStoredChecksums" } as const;

function askForStoredChecksums<Args extends { request: unknown }, Result>(next: (args: Args) => Result): (args: Args) => Result {
    return (args) => {
        (args.request as { headers: Record<string, string> }).headers["x-amz-checksum-mode"] = "ENABLED";
        return next(args);
    };
}

export function createS3Storage(options: S3StorageOptions): Storage {
    const { sdk, client, bucket } = options;

    async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
        try {
            return await run();
        } catch (error) {
            throw classifyError(error, operation);
        }
    }

    function signer(): SignerOptions {
        if (options.signer === undefined) {
            throw new Error("This storage was built without a signer");
        }
        return options.signer;
    }

    async function signing() {
        const { credentials, region, endpoint, now = Date.now } = signer();
        const at = now();
        return { credentials: await credentials(), region, at, date: amzDate(at), address: bucketAddress(bucket, region, endpoint) };
    }

    function readInput(key: string, opts: ReadOptions) {
        const range = opts.range === undefined ? {} : { Range: `bytes=${opts.range.start}-${opts.range.end}` };
        return { Bucket: bucket, Key: key, VersionId: opts.versionId, IfMatch: opts.ifMatch, IfNoneMatch: opts.ifNoneMatch, ...range };
    }

    return {
        bucket,
        put(key, body, opts = {}) {
            return call("PutObject", async () => {
                const out = await client.send(
                    new sdk.PutObjectCommand({
                        Bucket: bucket,
                        Key: key,
                        Body: body,
                        ContentType: opts.contentType,
                        Metadata: opts.metadata,
                        ...(opts.checksumSha256 !== undefined ? { ChecksumAlgorithm: "SHA256", ChecksumSHA256: opts.checksumSha256 } : {}),
                        ContentMD5: opts.contentMd5,
                        IfNoneMatch: opts.ifNoneMatch,
                        IfMatch: opts.ifMatch,
                        StorageClass: opts.storageClass as S3.StorageClass | undefined,
                    }),
                    { abortSignal: opts.signal },
                );
                return { versionId: out.VersionId, etag: out.ETag, checksumSha256: fullObjectSha256(out) };
            });
        },
        get(key, opts = {}) {
            return call("GetObject", async () => {
                const command = new sdk.GetObjectCommand(readInput(key, opts));
                if (opts.range === undefined) command.middlewareStack.add(askForStoredChecksums, ASK_FOR_STORED_CHECKSUMS);
                const out = await client.send(command, { abortSignal: opts.signal });
                const body = out.Body as unknown as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
                return {
                    ...objectInfo(key, out),
                    body: body ?? (async function* () {})(),
                    discard() {
                        body?.destroy?.();
                    },
                };
            });
        },
        head(key, opts = {}) {
            return call("HeadObject", async () => {
                const out = await client.send(new sdk.HeadObjectCommand({ ...readInput(key, opts), ChecksumMode: "ENABLED" }), { abortSignal: opts.signal });
                return objectInfo(key, out);
            });
        },
        delete(key, opts = {}) {
            return call("DeleteObject", async () => {
                const out = await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: opts.signal });
                return { versionId: out.VersionId, deleteMarker: out.DeleteMarker === true };
            });
        },
        list(prefix, opts) {
            return call("ListObjectsV2", async () => {
                const out = await client.send(
                    new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: opts.startAfter, MaxKeys: opts.maxKeys }),
                    { abortSignal: opts.signal },
                );
                const items: ListedObject[] = [];
                for (const o of out.Contents ?? []) {
                    if (o.Key !== undefined) items.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified });
                }
                return { items, truncated: out.IsTruncated === true };
            });
        },
        presignUrl(key, opts) {
            return call("PresignUrl", async () => {
                const { credentials, region, date, address } = await signing();
                return presignedUrl({ method: opts.method, origin: address.origin, path: address.pathPrefix + uriEncode(key, true), credentials, region, amzDate: date, expiresIn: opts.expiresIn });
            });
        },
        presignPost(key, opts) {
            return call("PresignPost", async () => {
                const { credentials, region, at, date, address } = await signing();
                const post = presignedPost({ bucket, key, contentType: opts.contentType, maxBytes: opts.maxBytes, storageClass: opts.storageClass, credentials, region, amzDate: date, expiresAt: at + opts.expiresIn * 1000 });
                return { url: address.origin + address.pathPrefix, ...post };
            });
        },
    };
}
