// Helpers for invoking the handlers the way Lambda does: Function URL events (payload 2.0), S3 event
// records, a Lambda context, and capture of the JSON log / EMF lines the functions write to stdout.

import type { LambdaFunctionURLEvent, S3Event } from "aws-lambda";
import { randomUUID } from "crypto";
import { apiCallbackFactory, canaryCallbackFactory, ingestCallbackFactory } from "../../functions/callbacks";
import type { FunctionUrlResult } from "../../functions/http";
import { FunctionKind, functionEnv, RegionFixture, withEnv } from "../../tools/local/emulator";

export interface UrlRequest {
    query?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    /** Deliver the body base64-encoded (as Function URLs do for binary bodies). Default: true for Buffers. */
    base64?: boolean;
}

/** A Function URL event for `method rawPath` (rawPath as sent: percent-encoded). */
export function urlEvent(method: string, rawPath: string, request: UrlRequest = {}): LambdaFunctionURLEvent {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
    let body: string | undefined;
    let isBase64Encoded = false;
    if (request.body !== undefined) {
        const base64 = request.base64 ?? Buffer.isBuffer(request.body);
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, "utf8");
        body = base64 ? bytes.toString("base64") : bytes.toString("utf8");
        isBase64Encoded = base64;
        headers["content-length"] ??= String(bytes.length);
    }
    const now = Date.now();
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString: request.query ?? "",
        headers,
        requestContext: {
            accountId: "123456789012",
            apiId: "url-id",
            domainName: "url-id.lambda-url.us-east-1.on.aws",
            domainPrefix: "url-id",
            http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
            requestId: randomUUID(),
            routeKey: "$default",
            stage: "$default",
            time: new Date(now).toUTCString(),
            timeEpoch: now,
        },
        body,
        isBase64Encoded,
    };
}

export interface TestContext {
    awsRequestId: string;
    functionName: string;
    getRemainingTimeInMillis(): number;
}

/** A Lambda context whose deadline is `remainingMs` from now. */
export function lambdaContext(remainingMs = 30_000, functionName = "tandem-test"): TestContext {
    const deadline = Date.now() + remainingMs;
    return { awsRequestId: randomUUID(), functionName, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}

/** The response body as bytes. */
export function bodyBytes(result: FunctionUrlResult): Buffer {
    if (result.body === undefined) return Buffer.alloc(0);
    return result.isBase64Encoded ? Buffer.from(result.body, "base64") : Buffer.from(result.body, "utf8");
}

export function bodyJson<T = any>(result: FunctionUrlResult): T {
    return JSON.parse(bodyBytes(result).toString("utf8")) as T;
}

/** An S3 ObjectCreated event record as S3 sends it (key URL-encoded, `+` for space). */
export function s3Event(bucket: string, key: string, options: { eventName?: string; versionId?: string; sequencer?: string; size?: number; region?: string } = {}): S3Event {
    const encoded = encodeURIComponent(key).replace(/%20/g, "+");
    return {
        Records: [
            {
                eventVersion: "2.1",
                eventSource: "aws:s3",
                awsRegion: options.region ?? "us-east-1",
                eventTime: new Date().toISOString(),
                eventName: (options.eventName ?? "ObjectCreated:Put") as "ObjectCreated:Put",
                userIdentity: { principalId: "AWS:TEST" },
                requestParameters: { sourceIPAddress: "127.0.0.1" },
                responseElements: { "x-amz-request-id": "req", "x-amz-id-2": "id2" },
                s3: {
                    s3SchemaVersion: "1.0",
                    configurationId: "ingest",
                    bucket: { name: bucket, ownerIdentity: { principalId: "owner" }, arn: `arn:aws:s3:::${bucket}` },
                    object: {
                        key: encoded,
                        size: options.size ?? 0,
                        eTag: "etag",
                        sequencer: options.sequencer ?? "",
                        ...(options.versionId ? { versionId: options.versionId } : {}),
                    },
                },
            },
        ],
    };
}

/** The handlers of one region, built by the real callback factories with the infrastructure's environment. */
export function makeHandlers(endpoint: string, fixture: RegionFixture, overrides: Partial<Record<string, string>> = {}) {
    const build = <T>(fn: FunctionKind, factory: () => T): T => withEnv(functionEnv(endpoint, fixture, fn, overrides) as Record<string, string>, factory);
    return {
        api: build("api", apiCallbackFactory),
        ingest: build("ingest", ingestCallbackFactory),
        canary: build("canary", canaryCallbackFactory),
    };
}

// ---- stdout capture -------------------------------------------------------------------------------

export interface CapturedLine {
    [key: string]: unknown;
}

const captured: CapturedLine[] = [];
/** Lines dropped from the front of `captured` (it is bounded); marks count from the first line ever. */
let dropped = 0;
let installed = false;

/**
 * Keeps the functions' JSON log and EMF lines off the test output (set TANDEM_TEST_LOGS=1 to see them)
 * and records them for assertions. Everything else written to stdout passes through.
 */
export function captureFunctionOutput(): void {
    if (installed) return;
    installed = true;
    const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (typeof chunk === "string" && chunk.startsWith("{") && chunk.endsWith("}\n")) {
            try {
                const line = JSON.parse(chunk) as CapturedLine;
                if (typeof line === "object" && line !== null && ("_aws" in line || ("level" in line && "service" in line))) {
                    captured.push(line);
                    if (captured.length > 20_000) {
                        captured.splice(0, 10_000);
                        dropped += 10_000;
                    }
                    if (process.env.TANDEM_TEST_LOGS === "1") return write(chunk, ...rest);
                    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
                    callback?.();
                    return true;
                }
            } catch {
                // not one of ours
            }
        }
        return write(chunk, ...rest);
    }) as typeof process.stdout.write;
}

/** Lines captured since the mark. */
export function linesSince(mark: number): CapturedLine[] {
    return captured.slice(Math.max(0, mark - dropped));
}

export function outputMark(): number {
    return dropped + captured.length;
}

/** The EMF lines among `lines`. */
export function emfLines(lines: CapturedLine[]): CapturedLine[] {
    return lines.filter((line) => "_aws" in line);
}
