// The api's document operations (the routes are in routes.ts): write a document only when its bytes
// are provably the client's, serve it safely, and say precisely why a request is refused.

import type { LambdaFunctionURLEvent } from "aws-lambda";
import { MAX_MANIFEST_BYTES, MAX_UPLOAD_POLICY_SECONDS, PREFIX } from "./contract";
import type { FunctionConfig } from "./config";
import { declaredChecksums, requestBytes, sha256Base64, verifyBody } from "./integrity";
import { documentHeaders, encodeKeyPath, header, HttpResponse, httpDate, httpError, jsonResponse, queryParameters, requestBody } from "./http";
import { decodeCursor, encodeCursor, parseContentType, prefixProblem, printable } from "./keys";
import { getIfExists, isStorageError, ObjectBody, ObjectInfo, readBody, Storage, storageError } from "./storage";

/** Listing page size: default and maximum. */
export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;

/** Largest `POST /uploads` request body (a small JSON object). */
const MAX_UPLOAD_REQUEST_BYTES = 4096;
/** How long before a standby is worth retrying for a write: a failover takes minutes. */
const RETRY_AFTER_STANDBY = "300";

// RFC 9110 §8.8.3 entity-tag: [W/] DQUOTE *etagc DQUOTE (S3's ETags are strong, quoted hex).
const ENTITY_TAG = /^(W\/)?"[\x21\x23-\x7e]{1,128}"$/;

type Conditions = { ifMatch?: string; ifNoneMatch?: string };

/**
 * If-Match / If-None-Match: `*` or one entity tag each (a list is refused rather than half-honoured).
 * A write's If-None-Match can only be `*` (create only); If-Match is always a strong comparison.
 */
function conditions(event: LambdaFunctionURLEvent, write: boolean): Conditions {
    const result: Conditions = {};
    const ifMatch = header(event, "if-match")?.trim();
    if (ifMatch !== undefined && ifMatch !== "*" && !(ENTITY_TAG.test(ifMatch) && !ifMatch.startsWith("W/"))) {
        throw httpError(400, "bad_request", "If-Match must be '*' or one quoted (strong) ETag");
    }
    const ifNoneMatch = header(event, "if-none-match")?.trim();
    if (ifNoneMatch !== undefined && ifNoneMatch !== "*" && (write || !ENTITY_TAG.test(ifNoneMatch))) {
        throw httpError(400, "bad_request", write ? "If-None-Match supports only '*' (create only)" : "If-None-Match must be '*' or one quoted ETag");
    }
    if (ifMatch !== undefined && ifNoneMatch !== undefined) {
        throw httpError(400, "bad_request", "send If-Match or If-None-Match, not both");
    }
    if (write && ifMatch === "*") {
        throw httpError(400, "bad_request", "a write's If-Match must be one quoted ETag");
    }
    if (ifMatch !== undefined) result.ifMatch = ifMatch;
    if (ifNoneMatch !== undefined) result.ifNoneMatch = ifNoneMatch.replace(/^W\//, "");
    return result;
}

/** RFC 9110 §13.1.1: If-Match is false when there is no current representation. */
function noCurrentDocument(): Error {
    return httpError(412, "precondition_failed", "If-Match cannot hold: there is no such document");
}

export interface DocumentContext {
    config: FunctionConfig;
    storage: Storage;
    now: () => number;
}

export function createDocuments({ config, storage, now }: DocumentContext) {
    function refuseOnStandby(): void {
        if (config.role === "standby") {
            throw httpError(
                503,
                "standby_read_only",
                `this region (${config.region}) is the standby and serves reads only; send writes to the primary region ${config.peerRegion}`,
                { "retry-after": RETRY_AFTER_STANDBY, "x-tandem-primary-region": config.peerRegion },
            );
        }
    }

    function tooLarge(key: string) {
        return httpError(
            413,
            "payload_too_large",
            `documents over ${config.maxInlineBytes} bytes are uploaded through a presigned POST: POST /uploads/${encodeKeyPath(printable(key, 200))}`,
        );
    }

    function expiresAt(seconds: number): string {
        return new Date(now() + seconds * 1000).toISOString();
    }

    async function put(event: LambdaFunctionURLEvent, key: string, signal: AbortSignal): Promise<HttpResponse> {
        const type = parseContentType(header(event, "content-type"));
        if ("problem" in type) throw httpError(415, "unsupported_media_type", type.problem);
        const condition = conditions(event, true);
        const declared = declaredChecksums(event);
        const length = header(event, "content-length")?.trim();
        if (length !== undefined && !/^\d{1,16}$/.test(length)) throw httpError(400, "bad_request", "Content-Length must be a number of bytes");
        if (length !== undefined && Number(length) > config.maxInlineBytes) throw tooLarge(key);
        const received = requestBytes(event);
        if (received.bytes.length > config.maxInlineBytes) throw tooLarge(key);
        const body = verifyBody(event, received, declared);
        refuseOnStandby();
        let out;
        try {
            out = await storage.put(PREFIX.objects + key, body.bytes, {
                contentType: type.contentType,
                checksumSha256: body.sha256,
                contentMd5: body.md5,
                ifNoneMatch: condition.ifNoneMatch,
                ifMatch: condition.ifMatch,
                storageClass: config.storageClass,
                signal,
            });
        } catch (error) {
            // S3 answers If-Match on a missing key with 404 NoSuchKey (so does moto:
            // moto/s3/responses.py put_object, `if if_match: ... raise MissingKey`); HTTP says 412.
            if (condition.ifMatch !== undefined && isStorageError(error) && error.storageErrorKind === "not_found") throw noCurrentDocument();
            throw error;
        }
        if (out.checksumSha256 !== undefined && out.checksumSha256 !== body.sha256) {
            throw new Error(`S3 stored ${printable(key)} with SHA-256 ${out.checksumSha256}, not the ${body.sha256} it was sent`);
        }
        const answer = { key, versionId: out.versionId ?? null, etag: out.etag ?? null, checksumSha256: out.checksumSha256 ?? body.sha256 };
        return jsonResponse(201, answer, { location: `/objects/${encodeKeyPath(key)}` });
    }

    function readHeaders(key: string, object: ObjectInfo): Record<string, string> {
        const headers: Record<string, string> = { ...documentHeaders(key, object.contentType), "cache-control": "no-store" };
        if (object.etag) headers.etag = object.etag;
        if (object.versionId) headers["x-tandem-version-id"] = object.versionId;
        if (object.lastModified) headers["last-modified"] = httpDate(object.lastModified);
        // RFC 9530: the digest of the whole representation, as S3 stored it.
        if (object.checksumSha256) headers["repr-digest"] = `sha-256=:${object.checksumSha256}:`;
        return headers;
    }

    /** GET or HEAD of a document, honouring If-Match (412) and If-None-Match (304). */
    async function read(event: LambdaFunctionURLEvent, method: "GET" | "HEAD", key: string, signal: AbortSignal): Promise<HttpResponse> {
        const condition = conditions(event, false);
        const options = {
            signal,
            ifMatch: condition.ifMatch === "*" ? undefined : condition.ifMatch,
            ifNoneMatch: condition.ifNoneMatch === "*" ? undefined : condition.ifNoneMatch,
        };
        let object: ObjectInfo | ObjectBody;
        try {
            object = method === "HEAD" ? await storage.head(PREFIX.objects + key, options) : await storage.get(PREFIX.objects + key, options);
        } catch (error) {
            if (isStorageError(error) && error.storageErrorKind === "not_found" && condition.ifMatch !== undefined) throw noCurrentDocument();
            if (isStorageError(error) && error.storageErrorKind === "not_modified") return notModified(condition);
            throw error;
        }
        const body = "discard" in object ? (object as ObjectBody) : undefined;
        if (condition.ifNoneMatch === "*") {
            body?.discard();
            return notModified({ ifNoneMatch: object.etag });
        }
        if (object.size > config.maxInlineBytes) {
            body?.discard();
            return presignedRedirect(method, key);
        }
        const headers = readHeaders(key, object);
        if (body === undefined) return { statusCode: 200, headers };
        const bytes = await readBody(body, config.maxInlineBytes);
        if (bytes === undefined) return presignedRedirect(method, key);
        if (object.checksumSha256 !== undefined && sha256Base64(bytes) !== object.checksumSha256) {
            throw storageError("unavailable", `the bytes read for ${printable(key)} do not match the SHA-256 S3 stored with them`);
        }
        return { statusCode: 200, headers, body: bytes.toString("base64"), isBase64Encoded: true };
    }

    function notModified(condition: Conditions): HttpResponse {
        const headers: Record<string, string> = { "cache-control": "no-store" };
        if (condition.ifNoneMatch !== undefined && condition.ifNoneMatch !== "*") headers.etag = condition.ifNoneMatch;
        return { statusCode: 304, headers };
    }

    // The URL is not pinned to the version just read: fetching a version by id would need
    // s3:GetObjectVersion, and the current version is what a GET means anyway. A HEAD gets a URL signed
    // for HEAD: the method is part of what SigV4 signs.
    async function presignedRedirect(method: "GET" | "HEAD", key: string): Promise<HttpResponse> {
        const url = await storage.presignUrl(PREFIX.objects + key, { method, expiresIn: config.presignExpirySeconds });
        return jsonResponse(303, { url, expiresAt: expiresAt(config.presignExpirySeconds) }, { location: url });
    }

    async function remove(key: string, signal: AbortSignal): Promise<HttpResponse> {
        refuseOnStandby();
        const out = await storage.delete(PREFIX.objects + key, { signal });
        const headers: Record<string, string> = { "cache-control": "no-store" };
        if (out.versionId) headers["x-tandem-version-id"] = out.versionId;
        return { statusCode: 204, headers };
    }

    async function list(event: LambdaFunctionURLEvent, signal: AbortSignal): Promise<HttpResponse> {
        const query = queryParameters(event);
        const prefix = query.get("prefix") ?? "";
        const problem = prefixProblem(prefix);
        if (problem !== undefined) throw httpError(400, "bad_request", problem);
        let limit = DEFAULT_LIST_LIMIT;
        const rawLimit = query.get("limit");
        if (rawLimit !== undefined) {
            if (!/^\d{1,4}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_LIST_LIMIT) {
                throw httpError(400, "bad_request", `limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
            }
            limit = Number(rawLimit);
        }
        let startAfter: string | undefined;
        const rawCursor = query.get("cursor");
        if (rawCursor !== undefined && rawCursor !== "") {
            const after = decodeCursor(rawCursor);
            if (after === undefined) throw httpError(400, "bad_request", "cursor is not a cursor returned by this api");
            startAfter = PREFIX.objects + after;
        }
        const page = await storage.list(PREFIX.objects + prefix, { startAfter, maxKeys: limit, signal });
        const items = page.items.map((item) => ({
            key: item.key.slice(PREFIX.objects.length),
            size: item.size,
            lastModified: item.lastModified ? item.lastModified.toISOString() : null,
        }));
        const last = items[items.length - 1];
        const nextCursor = page.truncated && last !== undefined ? encodeCursor(last.key) : null;
        return jsonResponse(200, { items, nextCursor });
    }

    /** A presigned POST for exactly this key and content type, at most maxUploadBytes, briefly. */
    async function upload(event: LambdaFunctionURLEvent, key: string): Promise<HttpResponse> {
        const body = requestBody(event);
        if (body.length > MAX_UPLOAD_REQUEST_BYTES) throw httpError(413, "payload_too_large", `an upload request body is at most ${MAX_UPLOAD_REQUEST_BYTES} bytes of JSON`);
        let requested: unknown = {};
        if (body.length > 0) {
            try {
                requested = JSON.parse(body.toString("utf8"));
            } catch {
                throw httpError(400, "bad_request", 'the body must be JSON: {"contentType": "type/subtype"}');
            }
        }
        if (typeof requested !== "object" || requested === null || Array.isArray(requested)) {
            throw httpError(400, "bad_request", 'the body must be a JSON object: {"contentType": "type/subtype"}');
        }
        const unknown = Object.keys(requested).filter((name) => name !== "contentType");
        if (unknown.length > 0) throw httpError(400, "bad_request", `unknown field ${JSON.stringify(printable(unknown[0], 40))}; the body is {"contentType": "type/subtype"}`);
        const rawType = (requested as { contentType?: unknown }).contentType;
        if (rawType !== undefined && typeof rawType !== "string") {
            throw httpError(400, "bad_request", "contentType must be a string");
        }
        const type = parseContentType(rawType);
        if ("problem" in type) throw httpError(415, "unsupported_media_type", type.problem);
        refuseOnStandby();
        const expiresIn = Math.min(config.presignExpirySeconds, MAX_UPLOAD_POLICY_SECONDS);
        const post = await storage.presignPost(PREFIX.objects + key, { contentType: type.contentType, maxBytes: config.maxUploadBytes, storageClass: config.storageClass, expiresIn });
        return jsonResponse(200, { url: post.url, fields: post.fields, expiresAt: post.policy.expiration });
    }

    async function manifest(key: string, signal: AbortSignal): Promise<HttpResponse> {
        const object = await getIfExists(storage, PREFIX.manifests + key, { signal });
        if (object === undefined) {
            throw httpError(404, "not_found", "no manifest for this document yet (it is written once the document is ingested)");
        }
        const bytes = await readBody(object, MAX_MANIFEST_BYTES);
        let parsed: unknown;
        try {
            parsed = bytes === undefined ? undefined : JSON.parse(bytes.toString("utf8"));
        } catch {
            parsed = undefined;
        }
        if (typeof parsed !== "object" || parsed === null) {
            throw new Error(`the manifest of ${printable(key)} is not a JSON object`);
        }
        return jsonResponse(200, parsed);
    }

    return { put, read, remove, list, upload, manifest };
}
