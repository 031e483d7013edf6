// HTTP plumbing for a Lambda Function URL (payload format 2.0): reading requests, building responses,
// the `{error:{code,message}}` error shape every failure is answered with, and the headers that make a
// stored document safe to serve.

import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";

export type HttpResponse = {
    statusCode: number;
    headers: Record<string, string>;
    body?: string;
    isBase64Encoded?: boolean;
};

// The structured form of LambdaFunctionURLResult (the only form the api returns).
export type FunctionUrlResult = Extract<LambdaFunctionURLResult, { statusCode?: number }>;

export interface HttpError extends Error {
    httpStatus: number;
    errorCode: string;
    headers?: Record<string, string>;
}

export function httpError(status: number, code: string, message: string, headers?: Record<string, string>): HttpError {
    const error = new Error(message) as HttpError;
    error.name = "HttpError";
    error.httpStatus = status;
    error.errorCode = code;
    if (headers !== undefined) error.headers = headers;
    return error;
}

export function isHttpError(error: unknown): error is HttpError {
    return error instanceof Error && typeof (error as Partial<HttpError>).httpStatus === "number";
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
    return { statusCode: status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): HttpResponse {
    return jsonResponse(status, { error: { code, message } }, headers);
}

/** Header lookup; Function URLs deliver lower-case names, other callers may not. */
export function header(event: LambdaFunctionURLEvent, name: string): string | undefined {
    const headers = event.headers ?? {};
    const direct = headers[name];
    if (direct !== undefined) return direct;
    const lower = name.toLowerCase();
    for (const [key, value] of Object.entries(headers)) {
        if (key.toLowerCase() === lower) return value;
    }
    return undefined;
}

/** The request body as bytes (Function URLs base64-encode binary bodies). */
export function requestBody(event: LambdaFunctionURLEvent): Buffer {
    if (event.body === undefined || event.body === null) return Buffer.alloc(0);
    return event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
}

/**
 * The query string parameters. Parsed from rawQueryString (percent-decoded, `+` is a space) so that a
 * repeated parameter can be told apart from a comma in a value; a repeated parameter is an error.
 */
export function queryParameters(event: LambdaFunctionURLEvent): Map<string, string> {
    const result = new Map<string, string>();
    if (typeof event.rawQueryString === "string") {
        let params: URLSearchParams;
        try {
            params = new URLSearchParams(event.rawQueryString);
        } catch {
            throw httpError(400, "bad_request", "the query string is malformed");
        }
        for (const [name, value] of params) {
            if (result.has(name)) throw httpError(400, "bad_request", `the query parameter '${name.slice(0, 40)}' is given more than once`);
            result.set(name, value);
        }
        return result;
    }
    for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
        if (value !== undefined) result.set(name, value);
    }
    return result;
}

/** On every response: a browser must never guess a type other than the one declared. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = { "x-content-type-options": "nosniff" };

/** For a document a browser could execute: no scripts, no plugins, no subresources, no framing. */
export const SANDBOX_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'";

// Types a browser only displays (with nosniff, it never reinterprets them). Everything else — HTML,
// SVG, XML, JavaScript, PDF, unknown or unparseable types — may run code in the api's origin.
const PASSIVE_TYPES = /^(image\/(png|jpeg|gif|webp|avif|bmp)|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+|text\/(plain|csv)|application\/json)$/;

/** True when a document of this type may be served inline. */
export function isPassiveType(contentType: string | undefined): boolean {
    const essence = (contentType ?? "").split(";")[0].trim().toLowerCase();
    return PASSIVE_TYPES.test(essence);
}

/** RFC 8187 ext-value characters (attr-char); everything else is percent-encoded. */
function extValue(value: string): string {
    return Array.from(Buffer.from(value, "utf8"), (b) => (/[A-Za-z0-9!#$&+.^_`|~-]/.test(String.fromCharCode(b)) && b < 0x80 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
}

/**
 * The headers that serve a stored document: its type, and — for a type a browser may execute — a
 * download (`Content-Disposition: attachment`, RFC 6266, named after the key's last segment) under a
 * sandboxing CSP, so a document can never run as a page of the api's origin.
 */
export function documentHeaders(key: string, contentType: string | undefined): Record<string, string> {
    const type = contentType ?? "application/octet-stream";
    if (isPassiveType(type)) return { "content-type": type };
    const name = key.slice(key.lastIndexOf("/") + 1);
    const ascii = name.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 100);
    return {
        "content-type": type,
        "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${extValue(name)}`,
        "content-security-policy": SANDBOX_CSP,
    };
}

/** An HTTP date (RFC 9110 IMF-fixdate). */
export function httpDate(date: Date): string {
    return date.toUTCString();
}

/** Percent-encodes a document key for a URL path, keeping '/' as the separator. */
export function encodeKeyPath(key: string): string {
    return key.split("/").map(encodeURIComponent).join("/");
}
