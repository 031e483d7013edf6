// The storage port: the handful of S3 operations the functions use, over one bucket, with S3's errors
// turned into a small set of kinds the handlers can act on. Built from an SDK module and client that
// the caller passes in (the callbacks `require` the SDK at cold start), so this module only imports
// SDK *types* and stays serializable.

import type * as S3 from "@aws-sdk/client-s3";
import type { getSignedUrl as GetSignedUrl } from "@aws-sdk/s3-request-presigner";

/**
 * not_found: no such key/version. precondition_failed: an If-Match/If-None-Match did not hold.
 * unavailable: S3 unreachable, slow (timed out), throttling or failing (5xx) — retrying may succeed.
 * denied: S3 or KMS refused the caller (IAM, key policy, disabled key).
 * invalid: S3 rejected the request itself (4xx) — a bug or input that validation let through.
 */
export type StorageErrorKind = "not_found" | "precondition_failed" | "unavailable" | "denied" | "invalid";

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
    if (name === "PreconditionFailed" || status === 412) {
        return storageError("precondition_failed", message, error, details);
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
}

export interface ObjectBody extends ObjectInfo {
    /** The bytes, streamed. Consume it or call discard(), or the connection is never released. */
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
    /** Base64 SHA-256 of the body: S3 verifies it and rejects a corrupted upload. */
    checksumSha256?: string;
    /** "*": create only. */
    ifNoneMatch?: string;
    /** Replace only this ETag. */
    ifMatch?: string;
}

export interface Storage {
    readonly bucket: string;
    put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<{ versionId?: string; etag?: string }>;
    get(key: string, options?: CallOptions & { versionId?: string }): Promise<ObjectBody>;
    head(key: string, options?: CallOptions & { versionId?: string }): Promise<ObjectInfo>;
    delete(key: string, options?: CallOptions): Promise<{ versionId?: string; deleteMarker: boolean }>;
    /** One page of keys under prefix, ascending, strictly after startAfter. */
    list(prefix: string, options: CallOptions & { startAfter?: string; maxKeys: number }): Promise<{ items: ListedObject[]; truncated: boolean }>;
    presignPut(key: string, options: { contentType: string; expiresIn: number }): Promise<{ url: string; headers: Record<string, string> }>;
    presignGet(key: string, options: { versionId?: string; expiresIn: number }): Promise<string>;
}

/** The SDK module parts the adapter uses; the callbacks pass `require("@aws-sdk/client-s3")`. */
export type S3Module = Pick<typeof S3, "PutObjectCommand" | "GetObjectCommand" | "HeadObjectCommand" | "DeleteObjectCommand" | "ListObjectsV2Command">;

export interface S3StorageOptions {
    sdk: S3Module;
    client: S3.S3Client;
    bucket: string;
    /** `require("@aws-sdk/s3-request-presigner").getSignedUrl`; only the api needs it. */
    getSignedUrl?: typeof GetSignedUrl;
}

/** What GetObject and HeadObject both say about an object. */
function objectInfo(key: string, out: S3.HeadObjectCommandOutput | S3.GetObjectCommandOutput): ObjectInfo {
    return {
        key,
        size: out.ContentLength ?? 0,
        etag: out.ETag,
        versionId: out.VersionId,
        contentType: out.ContentType,
        lastModified: out.LastModified,
        metadata: out.Metadata ?? {},
        replicationStatus: out.ReplicationStatus,
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

    function presigner(): typeof GetSignedUrl {
        if (options.getSignedUrl === undefined) {
            throw new Error("This storage was built without a presigner");
        }
        return options.getSignedUrl;
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
                        ChecksumSHA256: opts.checksumSha256,
                        IfNoneMatch: opts.ifNoneMatch,
                        IfMatch: opts.ifMatch,
                    }),
                    { abortSignal: opts.signal },
                );
                return { versionId: out.VersionId, etag: out.ETag };
            });
        },
        get(key, opts = {}) {
            return call("GetObject", async () => {
                const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key, VersionId: opts.versionId }), { abortSignal: opts.signal });
                const body = out.Body as unknown as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
                // A connection that fails mid-body surfaces as a classified (unavailable) error too.
                const stream: AsyncIterable<Uint8Array> = (async function* guarded() {
                    if (body === undefined) return;
                    try {
                        yield* body;
                    } catch (error) {
                        throw classifyError(error, "GetObject (reading the body)");
                    }
                })();
                return {
                    ...objectInfo(key, out),
                    body: stream,
                    discard() {
                        body?.destroy?.();
                    },
                };
            });
        },
        head(key, opts = {}) {
            return call("HeadObject", async () => {
                const out = await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: opts.versionId }), { abortSignal: opts.signal });
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
        presignPut(key, opts) {
            return call("PresignPutObject", async () => {
                const url = await presigner()(client, new sdk.PutObjectCommand({ Bucket: bucket, Key: key, ContentType: opts.contentType }), {
                    expiresIn: opts.expiresIn,
                    // Sign the content type, so the upload must declare the type that was asked for.
                    signableHeaders: new Set(["content-type"]),
                });
                return { url, headers: { "content-type": opts.contentType } };
            });
        },
        presignGet(key, opts) {
            return call("PresignGetObject", () =>
                presigner()(client, new sdk.GetObjectCommand({ Bucket: bucket, Key: key, VersionId: opts.versionId }), { expiresIn: opts.expiresIn }),
            );
        },
    };
}
