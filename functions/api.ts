// The document api behind a Lambda Function URL (payload format 2.0). Routes (the key is the rest of
// the path, percent-decoded, stored as `objects/<key>`):
//
//   PUT    /objects/<key>     201 {key, versionId, etag}           body = document, Content-Type kept
//   GET    /objects/<key>     200 bytes + content type             303 to a presigned URL when large
//   DELETE /objects/<key>     204
//   GET    /objects?prefix=&cursor=&limit=   200 {items:[{key,size,lastModified}], nextCursor}
//   POST   /uploads/<key>     200 {url, headers, expiresAt}        presigned PUT for a large body
//   GET    /manifests/<key>   200 the ingest manifest               404 until ingested
//   GET    /health            200 {region, role, bucket, replicationLagSeconds}
//
// Every failure is `{error:{code,message}}`: 400 bad key/request, 404 missing, 405 wrong method,
// 412 precondition, 413 too large, 415 bad content type, 503 standby write or S3 unavailable (with
// Retry-After). The handler never throws: anything unexpected is logged and answered with 500.

import { createHash } from "crypto";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { METRICS, PREFIX } from "./contract";
import type { FunctionConfig } from "./config";
import { LagReader, remainingBudget } from "./canary";
import {
    FunctionUrlResult,
    HttpResponse,
    encodeKeyPath,
    errorResponse,
    header,
    httpDate,
    httpError,
    isHttpError,
    jsonResponse,
    queryParameters,
    requestBody,
} from "./http";
import { decodeCursor, decodePathComponent, encodeCursor, keyProblem, parseContentType, prefixProblem, printable } from "./keys";
import type { Logger, Metrics } from "./observability";
import { isStorageError, Storage, StorageError } from "./storage";

export interface ApiOptions {
    config: FunctionConfig;
    storage: Storage;
    lag: LagReader;
    log: Logger;
    metrics: Metrics;
    now?: () => number;
}

export interface ApiContext {
    awsRequestId?: string;
    functionName?: string;
    getRemainingTimeInMillis?: () => number;
}

/** Listing page size: default and maximum. */
export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;

/** How long a client should wait before retrying a failed S3 call (seconds). */
const RETRY_AFTER_UNAVAILABLE = "2";
/** How long before a standby is worth retrying for a write: a failover takes minutes. */
const RETRY_AFTER_STANDBY = "300";

/** Largest manifest the api reads back (they are a few hundred bytes). */
const MAX_MANIFEST_BYTES = 64 * 1024;

interface Route {
    name: string;
    allow: string[];
    key?: string;
}

const KEYED_ROUTES: Array<{ prefix: string; name: string; allow: string[] }> = [
    { prefix: "/objects/", name: "object", allow: ["GET", "PUT", "DELETE"] },
    { prefix: "/uploads/", name: "upload", allow: ["POST"] },
    { prefix: "/manifests/", name: "manifest", allow: ["GET"] },
];

/** Matches the raw (still percent-encoded) path to a route; the key is decoded and validated later. */
function matchRoute(rawPath: string): (Route & { rawKey?: string }) | undefined {
    if (rawPath === "/health") return { name: "health", allow: ["GET"] };
    if (rawPath === "/objects" || rawPath === "/objects/") return { name: "list", allow: ["GET"] };
    for (const route of KEYED_ROUTES) {
        if (rawPath.startsWith(route.prefix)) {
            return { name: route.name, allow: route.allow, rawKey: rawPath.slice(route.prefix.length) };
        }
    }
    return undefined;
}

function documentKey(rawKey: string): string {
    const key = decodePathComponent(rawKey);
    if (key === undefined) {
        throw httpError(400, "bad_key", "the key is not valid percent-encoded UTF-8");
    }
    const problem = keyProblem(key);
    if (problem !== undefined) {
        throw httpError(400, "bad_key", problem);
    }
    return key;
}

function storageFailure(error: StorageError): HttpResponse {
    switch (error.storageErrorKind) {
        case "not_found":
            return errorResponse(404, "not_found", "no such document");
        case "precondition_failed":
            return errorResponse(412, "precondition_failed", "the document's current ETag does not match the request's condition");
        case "unavailable":
            return errorResponse(503, "storage_unavailable", "the document store is unavailable; retry later", { "retry-after": RETRY_AFTER_UNAVAILABLE });
        case "denied":
            return errorResponse(503, "storage_refused", "the document store refused the request; retry later", { "retry-after": RETRY_AFTER_UNAVAILABLE });
        case "invalid":
        default:
            return errorResponse(500, "internal", "the document store rejected the request");
    }
}

function toResult(response: HttpResponse, requestId: string | undefined): FunctionUrlResult {
    const headers = { ...response.headers };
    if (requestId) headers["x-request-id"] = requestId;
    const result: FunctionUrlResult = { statusCode: response.statusCode, headers };
    if (response.body !== undefined) result.body = response.body;
    if (response.isBase64Encoded) result.isBase64Encoded = true;
    return result;
}

async function readAll(body: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body) {
        total += chunk.length;
        if (total > limit) return undefined;
        chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    return Buffer.concat(chunks, total);
}

export function createApi(options: ApiOptions) {
    const { config, storage, log, metrics } = options;
    const now = options.now ?? Date.now;

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

    function expiresAt(): string {
        return new Date(now() + config.presignExpirySeconds * 1000).toISOString();
    }

    async function putObject(event: LambdaFunctionURLEvent, key: string, signal: AbortSignal): Promise<HttpResponse> {
        const type = parseContentType(header(event, "content-type"));
        if ("problem" in type) throw httpError(415, "unsupported_media_type", type.problem);
        const ifNoneMatch = header(event, "if-none-match");
        if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== "*") {
            throw httpError(400, "bad_request", "If-None-Match supports only '*' (create only)");
        }
        const ifMatch = header(event, "if-match");
        if (ifMatch !== undefined && !/^"[\x21\x23-\x7e]{1,128}"$/.test(ifMatch.trim())) {
            throw httpError(400, "bad_request", "If-Match must be one quoted ETag");
        }
        // Function URLs cap requests at 6 MB; this keeps documents within what can also be read back inline.
        const declared = Number(header(event, "content-length"));
        if (Number.isFinite(declared) && declared > config.maxInlineBytes) {
            throw tooLarge(key);
        }
        const body = requestBody(event);
        if (body.length > config.maxInlineBytes) throw tooLarge(key);
        refuseOnStandby();
        const out = await storage.put(PREFIX.objects + key, body, {
            contentType: type.contentType,
            checksumSha256: createHash("sha256").update(body).digest("base64"),
            ifNoneMatch: ifNoneMatch?.trim(),
            ifMatch: ifMatch?.trim(),
            signal,
        });
        return jsonResponse(201, { key, versionId: out.versionId ?? null, etag: out.etag ?? null }, { location: `/objects/${encodeKeyPath(key)}` });
    }

    function tooLarge(key: string) {
        return httpError(
            413,
            "payload_too_large",
            `documents over ${config.maxInlineBytes} bytes are uploaded through a presigned URL: POST /uploads/${encodeKeyPath(printable(key, 200))}`,
        );
    }

    async function getObject(key: string, signal: AbortSignal): Promise<HttpResponse> {
        const object = await storage.get(PREFIX.objects + key, { signal });
        if (object.size > config.maxInlineBytes) {
            object.discard();
            return presignedRedirect(key);
        }
        let bytes: Buffer | undefined;
        try {
            bytes = await readAll(object.body, config.maxInlineBytes);
        } catch (error) {
            object.discard();
            throw error;
        }
        if (bytes === undefined) {
            // Larger than its Content-Length said: never return a truncated document.
            object.discard();
            return presignedRedirect(key);
        }
        const headers: Record<string, string> = {
            "content-type": object.contentType ?? "application/octet-stream",
            "cache-control": "no-store",
        };
        if (object.etag) headers.etag = object.etag;
        if (object.versionId) headers["x-tandem-version-id"] = object.versionId;
        if (object.lastModified) headers["last-modified"] = httpDate(object.lastModified);
        return { statusCode: 200, headers, body: bytes.toString("base64"), isBase64Encoded: true };
    }

    // The URL is not pinned to the version just read: fetching a version by id would need
    // s3:GetObjectVersion, and the current version is what a GET means anyway.
    async function presignedRedirect(key: string): Promise<HttpResponse> {
        const url = await storage.presignGet(PREFIX.objects + key, { expiresIn: config.presignExpirySeconds });
        return jsonResponse(303, { url, expiresAt: expiresAt() }, { location: url });
    }

    async function deleteObject(key: string, signal: AbortSignal): Promise<HttpResponse> {
        refuseOnStandby();
        const out = await storage.delete(PREFIX.objects + key, { signal });
        const headers: Record<string, string> = { "cache-control": "no-store" };
        if (out.versionId) headers["x-tandem-version-id"] = out.versionId;
        return { statusCode: 204, headers };
    }

    async function listObjects(event: LambdaFunctionURLEvent, signal: AbortSignal): Promise<HttpResponse> {
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

    async function createUpload(event: LambdaFunctionURLEvent, key: string): Promise<HttpResponse> {
        let requested: unknown = {};
        const body = requestBody(event);
        if (body.length > 4096) throw httpError(413, "payload_too_large", "an upload request body is at most 4096 bytes of JSON");
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
        const rawType = (requested as { contentType?: unknown }).contentType;
        if (rawType !== undefined && typeof rawType !== "string") {
            throw httpError(400, "bad_request", "contentType must be a string");
        }
        const type = parseContentType(rawType);
        if ("problem" in type) throw httpError(415, "unsupported_media_type", type.problem);
        refuseOnStandby();
        const upload = await storage.presignPut(PREFIX.objects + key, { contentType: type.contentType, expiresIn: config.presignExpirySeconds });
        return jsonResponse(200, { url: upload.url, headers: upload.headers, expiresAt: expiresAt() });
    }

    async function getManifest(key: string, signal: AbortSignal): Promise<HttpResponse> {
        let object;
        try {
            object = await storage.get(PREFIX.manifests + key, { signal });
        } catch (error) {
            if (isStorageError(error) && error.storageErrorKind === "not_found") {
                throw httpError(404, "not_found", "no manifest for this document yet (it is written once the document is ingested)");
            }
            throw error;
        }
        const bytes = await readAll(object.body, MAX_MANIFEST_BYTES).finally(() => object.discard());
        let manifest: unknown;
        try {
            manifest = bytes === undefined ? undefined : JSON.parse(bytes.toString("utf8"));
        } catch {
            manifest = undefined;
        }
        if (manifest === undefined || typeof manifest !== "object" || manifest === null) {
            throw new Error(`the manifest of ${printable(key)} is not a JSON object`);
        }
        return jsonResponse(200, manifest);
    }

    async function health(signal: AbortSignal): Promise<HttpResponse> {
        const lag = await options.lag.measure(signal);
        return jsonResponse(200, {
            region: config.region,
            role: config.role,
            bucket: config.bucket,
            replicationLagSeconds: lag.reading?.seconds ?? null,
        });
    }

    async function dispatch(event: LambdaFunctionURLEvent, method: string, route: ReturnType<typeof matchRoute>, signal: AbortSignal): Promise<HttpResponse> {
        if (route === undefined) {
            return errorResponse(404, "not_found", "no such route; see GET /health, /objects, /uploads, /manifests");
        }
        if (!route.allow.includes(method)) {
            return errorResponse(405, "method_not_allowed", `${printable(method, 16)} is not allowed here; use ${route.allow.join(", ")}`, {
                allow: route.allow.join(", "),
            });
        }
        const key = route.rawKey === undefined ? undefined : documentKey(route.rawKey);
        switch (`${route.name} ${method}`) {
            case "health GET":
                return health(signal);
            case "list GET":
                return listObjects(event, signal);
            case "object PUT":
                return putObject(event, key!, signal);
            case "object GET":
                return getObject(key!, signal);
            case "object DELETE":
                return deleteObject(key!, signal);
            case "upload POST":
                return createUpload(event, key!);
            case "manifest GET":
                return getManifest(key!, signal);
            default:
                throw new Error(`unrouted ${route.name} ${method}`);
        }
    }

    return async function api(event: LambdaFunctionURLEvent, context?: ApiContext): Promise<FunctionUrlResult> {
        const started = now();
        log.startInvocation(context);
        const requestId = context?.awsRequestId;
        const method = typeof event?.requestContext?.http?.method === "string" ? event.requestContext.http.method.toUpperCase() : "";
        let route = "unknown";
        let response: HttpResponse;
        let failure: unknown;
        try {
            const matched = matchRoute(typeof event?.rawPath === "string" ? event.rawPath : "");
            route = matched?.name ?? "unknown";
            const signal = AbortSignal.timeout(remainingBudget(context, 10_000, 1_000));
            response = await dispatch(event, method, matched, signal);
        } catch (error) {
            if (isHttpError(error)) {
                response = errorResponse(error.httpStatus, error.errorCode, error.message, error.headers);
            } else if (isStorageError(error)) {
                response = storageFailure(error);
                failure = error;
            } else {
                response = errorResponse(500, "internal", "internal error");
                failure = error;
            }
        }
        const status = response.statusCode;
        const fields: Record<string, unknown> = { method, route, status, durationMs: now() - started };
        if (status >= 400) {
            try {
                fields.errorCode = (JSON.parse(response.body ?? "{}") as { error?: { code?: string } }).error?.code;
            } catch {
                // not an error body
            }
        }
        if (failure !== undefined) fields.error = failure;
        if (status >= 500 && (failure !== undefined || status !== 503)) {
            log.error("request failed", fields);
        } else {
            log.info("request", fields);
        }
        if (status >= 500 && !(status === 503 && failure === undefined)) {
            // Server-side failures only: a standby refusing a write is by design, not an error.
            metrics.addMetric(METRICS.apiServerErrors, "Count", 1);
            metrics.publishStoredMetrics();
        }
        return toResult(response, requestId);
    };
}
