// Validation and encoding of document keys, listing prefixes, cursors, content types and S3 event keys.
// Plain functions with no dependencies: the api and ingest share them, and the serialized Lambda bundle
// carries them by value.

import { PREFIX } from "./contract";

/**
 * Longest document key, in UTF-8 bytes. S3 keys are at most 1024 bytes; a document is stored as
 * `objects/<key>` and its manifest as `manifests/<key>`, so the longer prefix bounds the key.
 */
export const MAX_KEY_BYTES = 1024 - Math.max(PREFIX.objects.length, PREFIX.manifests.length);

/** Longest Content-Type header we store (S3 has no documented limit; this keeps metadata small). */
export const MAX_CONTENT_TYPE_LENGTH = 255;

/** The content type of a document stored without one. */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

// C0 controls, DEL and C1 controls. They break logs, terminals and S3's XML listings.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/u;
// U+FFFE and U+FFFF are not allowed in XML 1.0, which S3 uses for listings.
const XML_NONCHARACTERS = /[\ufffe\uffff]/u;
// An unpaired UTF-16 surrogate cannot be encoded in UTF-8 (it would silently become U+FFFD).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function characterProblem(value: string, what: string): string | undefined {
    if (LONE_SURROGATE.test(value)) {
        return `the ${what} is not valid Unicode (unpaired surrogate)`;
    }
    if (CONTROL_CHARS.test(value)) {
        return `the ${what} contains a control character`;
    }
    if (XML_NONCHARACTERS.test(value)) {
        return `the ${what} contains U+FFFE or U+FFFF`;
    }
    return undefined;
}

/**
 * Why a document key is not acceptable, or undefined when it is. A key is 1 to MAX_KEY_BYTES bytes of
 * UTF-8, has no control characters, and is a relative path of non-empty segments other than `.`/`..`.
 */
export function keyProblem(key: string): string | undefined {
    if (key.length === 0) {
        return "the key is empty";
    }
    const chars = characterProblem(key, "key");
    if (chars !== undefined) {
        return chars;
    }
    const bytes = Buffer.byteLength(key, "utf8");
    if (bytes > MAX_KEY_BYTES) {
        return `the key is ${bytes} bytes in UTF-8; the limit is ${MAX_KEY_BYTES}`;
    }
    if (key.startsWith("/")) {
        return "the key must not start with '/'";
    }
    if (key.endsWith("/")) {
        return "the key must not end with '/'";
    }
    for (const segment of key.split("/")) {
        if (segment === "") {
            return "the key must not contain an empty path segment ('//')";
        }
        if (segment === "." || segment === "..") {
            return "the key must not contain '.' or '..' path segments";
        }
    }
    return undefined;
}

/** Why a listing prefix is not acceptable (it may be empty and may end with '/'), or undefined. */
export function prefixProblem(prefix: string): string | undefined {
    const chars = characterProblem(prefix, "prefix");
    if (chars !== undefined) {
        return chars;
    }
    const bytes = Buffer.byteLength(prefix, "utf8");
    if (bytes > MAX_KEY_BYTES) {
        return `the prefix is ${bytes} bytes in UTF-8; the limit is ${MAX_KEY_BYTES}`;
    }
    return undefined;
}

/** Percent-decodes one URL path component; undefined when it is malformed (e.g. `%E0%A4%A`). */
export function decodePathComponent(raw: string): string | undefined {
    try {
        return decodeURIComponent(raw);
    } catch {
        return undefined;
    }
}

/**
 * Decodes the object key of an S3 event notification record. S3 URL-encodes keys in events with
 * `+` for a space (moto also encodes `/` as `%2F`); this handles both. Throws URIError when malformed.
 */
export function decodeEventKey(key: string): string {
    return decodeURIComponent(key.replace(/\+/g, " "));
}

// RFC 9110 media type: type "/" subtype *( OWS ";" OWS parameter ), parameter = token "=" ( token / quoted-string ).
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED_STRING = '"(?:[\\t !#-\\[\\]-~]|\\\\[\\t -~])*"';
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED_STRING}))*$`);

/**
 * Normalizes a Content-Type header value: undefined/empty gives the default; a syntactically invalid
 * value, a wildcard type or an over-long value gives an error (which the api answers with 415).
 */
export function parseContentType(value: string | undefined): { contentType: string } | { problem: string } {
    if (value === undefined || value.trim() === "") {
        return { contentType: DEFAULT_CONTENT_TYPE };
    }
    const contentType = value.trim();
    if (contentType.length > MAX_CONTENT_TYPE_LENGTH) {
        return { problem: `the content type is longer than ${MAX_CONTENT_TYPE_LENGTH} characters` };
    }
    const match = MEDIA_TYPE.exec(contentType);
    if (match === null) {
        return { problem: `'${printable(contentType)}' is not a valid media type (type/subtype[; parameter=value])` };
    }
    if (match[1] === "*" || match[2] === "*") {
        return { problem: "a wildcard media type cannot describe a document" };
    }
    return { contentType };
}

/** Opaque listing cursor: the last key of the previous page (without the objects/ prefix), base64url. */
export function encodeCursor(lastKey: string): string {
    return Buffer.from(lastKey, "utf8").toString("base64url");
}

/** Decodes a cursor made by encodeCursor; undefined when it is not one. */
export function decodeCursor(cursor: string): string | undefined {
    if (cursor.length === 0 || cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
        return undefined;
    }
    const bytes = Buffer.from(cursor, "base64url");
    const key = bytes.toString("utf8");
    // Canonical form only: rejects invalid UTF-8 (decoded to U+FFFD) and non-canonical base64.
    if (encodeCursor(key) !== cursor || prefixProblem(key) !== undefined) {
        return undefined;
    }
    return key;
}

/** A value made safe to echo in an error message: control characters escaped, length bounded. */
export function printable(value: string, max = 80): string {
    const escaped = value.replace(/[\u0000-\u001f\u007f-\u009f]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}
