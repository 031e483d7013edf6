// End-to-end integrity of a request body: the bytes the api stores must be the client's.
//
// A Lambda Function URL delivers a body base64-encoded (isBase64Encoded: true) unless its content type is
// text/*, application/json, application/xml or application/javascript, in which case it arrives as a
// string — decoded as UTF-8 by the platform, so bytes that are not UTF-8 cannot be recovered from it
// (the split was measured on AWS for payload format 2.0, which Function URLs share:
// https://github.com/ministackorg/ministack/pull/766; the docs only say "if the content type of the request
// is binary, the body is base64-encoded": https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html).
// So a text body is taken only when it provably arrived intact: its SHA-256 or MD5 matches a checksum the
// client sent, or nothing in it shows a re-encoding (no U+FFFD, the length the client declared, a UTF-8
// or ASCII charset). Anything else is refused, never stored.

import { createHash } from "crypto";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { header, httpError } from "./http";

/** The checksums a client may send with a body (RFC 1864 Content-MD5; S3's x-amz-checksum-sha256). */
export interface DeclaredChecksums {
    sha256?: string;
    md5?: string;
}

const CHECKSUM_HEADERS = { sha256: "x-amz-checksum-sha256", md5: "content-md5" } as const;
const DIGEST_BYTES = { sha256: 32, md5: 16 } as const;

/** How to send bytes the platform might re-encode; every refusal of a body says it. */
export const SEND_BYTES_HINT =
    "send the bytes as application/octet-stream (any type that is not text/*, JSON, XML or JavaScript arrives unaltered), send an x-amz-checksum-sha256 or Content-MD5 of them, or upload through POST /uploads/<key>";

function canonicalBase64(value: string, bytes: number): boolean {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
    const decoded = Buffer.from(value, "base64");
    return decoded.length === bytes && decoded.toString("base64") === value;
}

/** The checksum headers of a request, validated (400 bad_checksum when one is not a base64 digest). */
export function declaredChecksums(event: LambdaFunctionURLEvent): DeclaredChecksums {
    const declared: DeclaredChecksums = {};
    for (const algorithm of ["sha256", "md5"] as const) {
        const raw = header(event, CHECKSUM_HEADERS[algorithm]);
        if (raw === undefined) continue;
        const value = raw.trim();
        if (!canonicalBase64(value, DIGEST_BYTES[algorithm])) {
            throw httpError(400, "bad_checksum", `${CHECKSUM_HEADERS[algorithm]} must be the base64 of a ${DIGEST_BYTES[algorithm]}-byte ${algorithm.toUpperCase()} digest`);
        }
        declared[algorithm] = value;
    }
    return declared;
}

export function sha256Base64(bytes: Uint8Array): string {
    return createHash("sha256").update(bytes).digest("base64");
}

function md5Base64(bytes: Uint8Array): string {
    return createHash("md5").update(bytes).digest("base64");
}

/** The request body's bytes; `text` when the platform delivered it as a (UTF-8 decoded) string. */
export interface RequestBytes {
    bytes: Buffer;
    text: boolean;
}

export function requestBytes(event: LambdaFunctionURLEvent): RequestBytes {
    if (event.body === undefined || event.body === null) return { bytes: Buffer.alloc(0), text: false };
    if (event.isBase64Encoded === true) return { bytes: Buffer.from(event.body, "base64"), text: false };
    return { bytes: Buffer.from(event.body, "utf8"), text: event.body !== "" };
}

export interface VerifiedBody {
    bytes: Buffer;
    /** Base64 SHA-256 of bytes. */
    sha256: string;
    /** The client's MD5, verified, to hand on to S3. */
    md5?: string;
}

/**
 * The body, proven to be the bytes the client sent, or an HttpError: 400 bad_checksum when a declared
 * checksum does not match; without a matching checksum, 400 unverifiable_body when a text body may
 * have been re-encoded by the platform and 400 bad_request when the declared length is not what arrived.
 */
export function verifyBody(event: LambdaFunctionURLEvent, body: RequestBytes, declared: DeclaredChecksums): VerifiedBody {
    const { bytes, text } = body;
    const sha256 = sha256Base64(bytes);
    const hint = text ? ` (it arrived as text, decoded as UTF-8 by the platform: ${SEND_BYTES_HINT})` : "";
    if (declared.sha256 !== undefined && declared.sha256 !== sha256) {
        throw httpError(400, "bad_checksum", `the body does not match its x-amz-checksum-sha256${hint}; nothing was stored`);
    }
    if (declared.md5 !== undefined && declared.md5 !== md5Base64(bytes)) {
        throw httpError(400, "bad_checksum", `the body does not match its Content-MD5${hint}; nothing was stored`);
    }
    const proven = declared.sha256 !== undefined || declared.md5 !== undefined;
    const length = header(event, "content-length")?.trim();
    if (!proven && length !== undefined && length !== String(bytes.length)) {
        if (text) throw httpError(400, "unverifiable_body", `${length} bytes were sent but ${bytes.length} arrived as text: ${SEND_BYTES_HINT}; nothing was stored`);
        throw httpError(400, "bad_request", `Content-Length is ${length} but ${bytes.length} bytes arrived; nothing was stored`);
    }
    if (!proven && text) {
        const why = reencodingSign(event.body as string, header(event, "content-type"));
        if (why !== undefined) throw httpError(400, "unverifiable_body", `the body may not be the bytes that were sent (${why}): ${SEND_BYTES_HINT}; nothing was stored`);
    }
    return { bytes, sha256, ...(declared.md5 !== undefined ? { md5: declared.md5 } : {}) };
}

/**
 * Why a body delivered as text may differ from the bytes sent, or undefined when it cannot: a UTF-8
 * decoder turns bytes that are not UTF-8 into U+FFFD, and a charset other than UTF-8/ASCII means the
 * client's bytes were not UTF-8 text to begin with.
 */
export function reencodingSign(body: string, contentType: string | undefined): string | undefined {
    if (body.includes("\ufffd")) return "it contains U+FFFD, what a UTF-8 decoder puts in place of bytes that are not UTF-8";
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "")?.[1]?.toLowerCase();
    if (charset !== undefined && !["utf-8", "utf8", "us-ascii", "ascii"].includes(charset)) return `its charset is ${charset.slice(0, 40)}, but the platform decodes text as UTF-8`;
    return undefined;
}
