// A local stand-in for a Lambda Function URL (payload format 2.0): an HTTP server on 127.0.0.1 that
// turns each request into the event Lambda would deliver and the handler's result into the response,
// refusing what the platform refuses before a function ever runs. What it reproduces, and where that
// behaviour is documented or was measured:
// - The body: "If the content type of the request is binary, the body is base64-encoded"
//   (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html). Which types count as text was
//   measured on AWS for payload format 2.0 (https://github.com/ministackorg/ministack/pull/766): text/*,
//   application/json, application/xml and application/javascript arrive as a UTF-8 string
//   (isBase64Encoded false); every other type, and no type at all, base64-encoded. A text body that is
//   not valid UTF-8 cannot survive that: here, as in any UTF-8 decoder, each invalid sequence becomes
//   U+FFFD.
// - The request limit: Lambda refuses an invoke payload (the event JSON, base64 body included) over
//   6,291,456 bytes with 413 RequestEntityTooLargeException, "Request must be smaller than 6291456 bytes
//   for the InvokeFunction operation" (https://zaccharles.medium.com/deep-dive-lambdas-request-payload-size-limit-2-2-6350c1ae5577).
// - The response limit: a result over 6,291,556 bytes fails the invocation (the runtime's "Exceeded
//   maximum allowed payload size (6291556 bytes)", https://github.com/anomalyco/console/issues/63), and a
//   failed invocation is answered 502 {"Message":"Internal Server Error"}, as for a handler that throws.
import * as http from "http";
import { randomUUID } from "crypto";
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";
import { listenOnLoopback, LoopbackServer } from "./loopback";

/** Largest invoke payload (the event JSON) Lambda accepts for a synchronous invocation. */
export const MAX_REQUEST_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Largest result (its JSON) a synchronous invocation may return. */
export const MAX_RESPONSE_PAYLOAD_BYTES = 6 * 1024 * 1024 + 100;
export const REQUEST_TOO_LARGE_MESSAGE = `Request must be smaller than ${MAX_REQUEST_PAYLOAD_BYTES} bytes for the InvokeFunction operation`;

const TEXT_TYPES = ["application/json", "application/xml", "application/javascript"];

/** True when a Function URL delivers a body of this Content-Type as a UTF-8 string. */
export function isTextContentType(contentType: string | undefined): boolean {
    const essence = (contentType ?? "").split(";")[0].trim().toLowerCase();
    return essence.startsWith("text/") || TEXT_TYPES.includes(essence);
}

/** The event's `body` and `isBase64Encoded` for these bytes sent with this Content-Type. */
export function eventBody(contentType: string | undefined, bytes: Buffer): { body?: string; isBase64Encoded: boolean } {
    if (bytes.length === 0) return { isBase64Encoded: false };
    if (isTextContentType(contentType)) return { body: bytes.toString("utf8"), isBase64Encoded: false };
    return { body: bytes.toString("base64"), isBase64Encoded: true };
}

/** A Node request as the Function URL event Lambda would deliver. */
export function toFunctionUrlEvent(request: http.IncomingMessage, body: Buffer): LambdaFunctionURLEvent {
    const target = request.url ?? "/";
    const q = target.indexOf("?");
    const rawPath = q === -1 ? target : target.slice(0, q);
    const rawQueryString = q === -1 ? "" : target.slice(q + 1);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
    }
    const queryStringParameters: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(rawQueryString)) {
        queryStringParameters[name] = name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
    }
    const now = Date.now();
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString,
        headers,
        ...(rawQueryString ? { queryStringParameters } : {}),
        requestContext: {
            accountId: "123456789012",
            apiId: "local",
            domainName: headers.host ?? "127.0.0.1",
            domainPrefix: "local",
            http: { method: request.method ?? "GET", path: rawPath, protocol: `HTTP/${request.httpVersion}`, sourceIp: request.socket.remoteAddress ?? "127.0.0.1", userAgent: headers["user-agent"] ?? "" },
            requestId: randomUUID(),
            routeKey: "$default",
            stage: "$default",
            time: new Date(now).toUTCString(),
            timeEpoch: now,
        },
        ...eventBody(headers["content-type"], body),
    };
}

export type FunctionUrlHandler = (event: LambdaFunctionURLEvent, context: LambdaContextLike) => Promise<LambdaFunctionURLResult>;

export interface LambdaContextLike {
    awsRequestId: string;
    functionName: string;
    getRemainingTimeInMillis(): number;
}

function platformAnswer(response: http.ServerResponse, status: number, message: string, errorType?: string): void {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (errorType) headers["x-amzn-errortype"] = errorType;
    response.writeHead(status, headers).end(JSON.stringify({ Message: message }));
}

export function serveFunctionUrl(port: number, api: FunctionUrlHandler, functionName: string, timeoutMs: number, log: (line: string) => void): Promise<LoopbackServer> {
    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        request.on("data", (chunk: Buffer) => {
            size += chunk.length;
            // Bytes beyond the limit can only make the event larger: stop keeping them.
            if (size <= MAX_REQUEST_PAYLOAD_BYTES) chunks.push(chunk);
        });
        request.on("end", async () => {
            if (size > MAX_REQUEST_PAYLOAD_BYTES) {
                platformAnswer(response, 413, REQUEST_TOO_LARGE_MESSAGE, "RequestEntityTooLargeException");
                return;
            }
            const event = toFunctionUrlEvent(request, Buffer.concat(chunks));
            if (Buffer.byteLength(JSON.stringify(event), "utf8") > MAX_REQUEST_PAYLOAD_BYTES) {
                platformAnswer(response, 413, REQUEST_TOO_LARGE_MESSAGE, "RequestEntityTooLargeException");
                return;
            }
            try {
                const result = (await api(event, invocationContext(functionName, timeoutMs))) as Exclude<LambdaFunctionURLResult, string>;
                if (Buffer.byteLength(JSON.stringify(result), "utf8") > MAX_RESPONSE_PAYLOAD_BYTES) {
                    log(JSON.stringify({ level: "ERROR", message: "local function url: the result exceeds the response payload limit", limit: MAX_RESPONSE_PAYLOAD_BYTES }));
                    platformAnswer(response, 502, "Internal Server Error");
                    return;
                }
                const body = result.body === undefined ? Buffer.alloc(0) : result.isBase64Encoded ? Buffer.from(result.body, "base64") : Buffer.from(result.body, "utf8");
                const headers: Record<string, string> = {};
                for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
                response.writeHead(result.statusCode ?? 200, headers).end(body);
            } catch (error) {
                log(JSON.stringify({ level: "ERROR", message: "local function url: the handler threw", error: String(error) }));
                platformAnswer(response, 502, "Internal Server Error");
            }
        });
    });
    return listenOnLoopback(server, port, "; choose another with --port / --standby-port");
}

/** What Lambda passes as the context: the request id, the name and the time left. */
export function invocationContext(functionName: string, timeoutMs: number): LambdaContextLike {
    const deadline = Date.now() + timeoutMs;
    return { awsRequestId: randomUUID(), functionName, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}
