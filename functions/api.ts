// The document api behind a Lambda Function URL (payload format 2.0). The routes are the table in
// routes.ts (rendered into docs/functions.md); the document operations are in documents.ts.
//
// Every refusal the api makes is `{error:{code,message}}` (HEAD: the status and headers alone), every
// response carries X-Content-Type-Options: nosniff, and the handler never throws: anything unexpected
// is logged and answered with 500.

import type { LambdaFunctionURLEvent } from "aws-lambda";
import { METRICS } from "./contract";
import type { FunctionConfig } from "./config";
import type { LagReader } from "./canary";
import { createDocuments } from "./documents";
import { errorResponse, FunctionUrlResult, HttpResponse, httpError, isHttpError, jsonResponse, SECURITY_HEADERS } from "./http";
import { InvocationContext, remainingBudget } from "./invocation";
import { decodePathComponent, keyProblem, printable } from "./keys";
import type { Logger, Metrics } from "./observability";
import { allowedMethods, MatchedRoute, matchRoute } from "./routes";
import { isStorageError, Storage, StorageError } from "./storage";

export interface ApiOptions {
    config: FunctionConfig;
    storage: Storage;
    /** The replication lag /health reports (a bounded, reused measurement: canary.ts createLagTracker). */
    lag: LagReader;
    log: Logger;
    metrics: Metrics;
    now?: () => number;
}

/** How long a client should wait before retrying a failed S3 call (seconds). */
const RETRY_AFTER_UNAVAILABLE = "2";

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
        case "not_modified":
        case "invalid":
        default:
            return errorResponse(500, "internal", "the document store rejected the request");
    }
}

/** The Function URL result: the security headers on every response, and no body for a HEAD. */
function toResult(response: HttpResponse, method: string, requestId: string | undefined): FunctionUrlResult {
    const headers = { ...response.headers, ...SECURITY_HEADERS };
    if (requestId) headers["x-request-id"] = requestId;
    const result: FunctionUrlResult = { statusCode: response.statusCode, headers };
    if (method === "HEAD") return result;
    if (response.body !== undefined) result.body = response.body;
    if (response.isBase64Encoded) result.isBase64Encoded = true;
    return result;
}

export function createApi(options: ApiOptions) {
    const { config, storage, log, metrics } = options;
    const now = options.now ?? Date.now;
    const documents = createDocuments({ config, storage, now });

    async function health(signal: AbortSignal): Promise<HttpResponse> {
        const lag = await options.lag.measure(signal);
        return jsonResponse(200, {
            region: config.region,
            role: config.role,
            bucket: config.bucket,
            replicationLagSeconds: lag.reading?.seconds ?? null,
        });
    }

    async function dispatch(event: LambdaFunctionURLEvent, method: string, matched: MatchedRoute | undefined, signal: AbortSignal): Promise<HttpResponse> {
        if (matched === undefined) {
            return errorResponse(404, "not_found", "no such route; see GET /health, /objects, /uploads, /manifests");
        }
        const allow = allowedMethods(matched.route);
        if (!(allow as string[]).includes(method)) {
            return errorResponse(405, "method_not_allowed", `${printable(method, 16)} is not allowed here; use ${allow.join(", ")}`, { allow: allow.join(", ") });
        }
        const key = matched.rawKey === undefined ? "" : documentKey(matched.rawKey);
        // HEAD answers what GET would, without the body (toResult drops it); only a document's HEAD
        // avoids reading the body.
        const read = method === "HEAD" ? "GET" : method;
        switch (`${matched.route.name} ${read}`) {
            case "health GET":
                return health(signal);
            case "list GET":
                return documents.list(event, signal);
            case "object PUT":
                return documents.put(event, key, signal);
            case "object GET":
                return documents.read(event, method as "GET" | "HEAD", key, signal);
            case "object DELETE":
                return documents.remove(key, signal);
            case "upload POST":
                return documents.upload(event, key);
            case "manifest GET":
                return documents.manifest(key, signal);
            default:
                throw new Error(`unrouted ${matched.route.name} ${method}`);
        }
    }

    return async function api(event: LambdaFunctionURLEvent, context?: InvocationContext): Promise<FunctionUrlResult> {
        const started = now();
        log.startInvocation(context);
        const requestId = context?.awsRequestId;
        const method = typeof event?.requestContext?.http?.method === "string" ? event.requestContext.http.method.toUpperCase() : "";
        let route = "unknown";
        let response: HttpResponse;
        let failure: unknown;
        try {
            const matched = matchRoute(typeof event?.rawPath === "string" ? event.rawPath : "");
            route = matched?.route.name ?? "unknown";
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
        return toResult(response, method, requestId);
    };
}
