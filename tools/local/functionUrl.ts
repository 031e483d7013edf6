// A local stand-in for a Lambda Function URL (payload format 2.0): an HTTP server on 127.0.0.1 that
// turns each request into the event Lambda would deliver and the handler's result into the response.
import * as http from "http";
import { randomUUID } from "crypto";
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";

/** Lambda Function URLs refuse request bodies over 6 MB. */
const FUNCTION_URL_MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript)|[^;]*\+(json|xml))/i;

/** A Node request as the Function URL event Lambda would deliver. */
export async function toFunctionUrlEvent(request: http.IncomingMessage, body: Buffer): Promise<LambdaFunctionURLEvent> {
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
    const text = TEXT_TYPES.test(headers["content-type"] ?? "");
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
        ...(body.length > 0 ? { body: text ? body.toString("utf8") : body.toString("base64"), isBase64Encoded: !text } : { isBase64Encoded: false }),
    };
}

export type FunctionUrlHandler = (event: LambdaFunctionURLEvent, context: LambdaContextLike) => Promise<LambdaFunctionURLResult>;

export interface LambdaContextLike {
    awsRequestId: string;
    functionName: string;
    getRemainingTimeInMillis(): number;
}

export function serveFunctionUrl(port: number, api: FunctionUrlHandler, functionName: string, timeoutMs: number, log: (line: string) => void): Promise<http.Server> {
    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let refused = false;
        request.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > FUNCTION_URL_MAX_REQUEST_BYTES) {
                if (!refused) {
                    refused = true;
                    response.writeHead(413, { "content-type": "application/json" }).end(JSON.stringify({ Message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation" }));
                }
                return;
            }
            chunks.push(chunk);
        });
        request.on("end", async () => {
            if (refused) return;
            try {
                const event = await toFunctionUrlEvent(request, Buffer.concat(chunks));
                const result = (await api(event, invocationContext(functionName, timeoutMs))) as Exclude<LambdaFunctionURLResult, string>;
                const body = result.body === undefined ? Buffer.alloc(0) : result.isBase64Encoded ? Buffer.from(result.body, "base64") : Buffer.from(result.body, "utf8");
                const headers: Record<string, string> = {};
                for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
                response.writeHead(result.statusCode ?? 200, headers).end(body);
            } catch (error) {
                // What a Function URL answers when the function throws.
                log(JSON.stringify({ level: "ERROR", message: "local function url: the handler threw", error: String(error) }));
                response.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ Message: "Internal Server Error" }));
            }
        });
    });
    return new Promise((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) =>
            reject(error.code === "EADDRINUSE" ? new Error(`port ${port} is already in use on 127.0.0.1; choose another with --port / --standby-port`) : error),
        );
        server.listen(port, "127.0.0.1", () => resolve(server));
    });
}

/** What Lambda passes as the context: the request id, the name and the time left. */
export function invocationContext(functionName: string, timeoutMs: number): LambdaContextLike {
    const deadline = Date.now() + timeoutMs;
    return { awsRequestId: randomUUID(), functionName, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}
