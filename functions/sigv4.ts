// AWS Signature Version 4 for the two things the api hands to clients: a presigned URL (query-string
// authentication, for the 303 to a large document) and a presigned POST policy (for uploads). Written
// here on node:crypto rather than taken from @aws-sdk/s3-request-presigner / @aws-sdk/s3-presigned-post
// because the functions bundle no SDK and neither package could be confirmed to ship with the nodejs22.x
// runtime (only the clients are documented as provided). The algorithms, and the example values the
// tests check them against:
// - query string: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
//   (GET examplebucket/test.txt on 2013-05-24, signature aeeed9bb…)
// - POST policy: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html and
//   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html (signature 8afdbf40…)

import { createHash, createHmac } from "crypto";

export interface Credentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** SigV4's UriEncode: every byte except the unreserved characters as %XX (upper case); '/' kept when asked. */
export function uriEncode(value: string, keepSlash = false): string {
    let out = "";
    for (const byte of Buffer.from(value, "utf8")) {
        const char = String.fromCharCode(byte);
        out += byte < 0x80 && (UNRESERVED.test(char) || (keepSlash && char === "/")) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
    return out;
}

/** `YYYYMMDDTHHMMSSZ`. */
export function amzDate(epochMs: number): string {
    return new Date(epochMs).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function hmac(key: Buffer | string, data: string): Buffer {
    return createHmac("sha256", key).update(data, "utf8").digest();
}

/** The key of one day, region and service: HMAC chain from "AWS4" + secret. */
export function signingKey(secretAccessKey: string, date: string, region: string, service = "s3"): Buffer {
    return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), "aws4_request");
}

function credentialScope(date: string, region: string): string {
    return `${date}/${region}/s3/aws4_request`;
}

export interface PresignUrlInput {
    method: string;
    /** scheme://host[:port] the URL is addressed to; the host is the one signed header. */
    origin: string;
    /** The path, already UriEncoded (S3 does not encode it a second time). */
    path: string;
    credentials: Credentials;
    region: string;
    /** X-Amz-Date, `YYYYMMDDTHHMMSSZ`. */
    amzDate: string;
    expiresIn: number;
}

/** A query-string-authenticated URL; the payload is unsigned, only `host` is a signed header. */
export function presignedUrl(input: PresignUrlInput): string {
    const { credentials } = input;
    const date = input.amzDate.slice(0, 8);
    const scope = credentialScope(date, input.region);
    const params: Array<[string, string]> = [
        ["X-Amz-Algorithm", ALGORITHM],
        ["X-Amz-Credential", `${credentials.accessKeyId}/${scope}`],
        ["X-Amz-Date", input.amzDate],
        ["X-Amz-Expires", String(input.expiresIn)],
        ["X-Amz-SignedHeaders", "host"],
    ];
    if (credentials.sessionToken) params.push(["X-Amz-Security-Token", credentials.sessionToken]);
    const query = params
        .map(([name, value]) => [uriEncode(name), uriEncode(value)])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => `${name}=${value}`)
        .join("&");
    const host = new URL(input.origin).host;
    const canonicalRequest = [input.method, input.path, query, `host:${host}\n`, "host", "UNSIGNED-PAYLOAD"].join("\n");
    const stringToSign = [ALGORITHM, input.amzDate, scope, createHash("sha256").update(canonicalRequest, "utf8").digest("hex")].join("\n");
    const signature = hmac(signingKey(credentials.secretAccessKey, date, input.region), stringToSign).toString("hex");
    return `${input.origin}${input.path}?${query}&X-Amz-Signature=${signature}`;
}

/** The signature of a base64 POST policy: the policy text itself is the string to sign. */
export function signPolicy(policyBase64: string, secretAccessKey: string, date: string, region: string): string {
    return hmac(signingKey(secretAccessKey, date, region), policyBase64).toString("hex");
}

export type PolicyCondition = Record<string, string> | [string, string, string] | ["content-length-range", number, number];

export interface PostPolicyInput {
    bucket: string;
    key: string;
    contentType: string;
    maxBytes: number;
    /** The storage class the upload must be written in (the x-amz-storage-class field); S3's default when left out. */
    storageClass?: string;
    credentials: Credentials;
    region: string;
    amzDate: string;
    /** When the policy stops being accepted (epoch ms). */
    expiresAt: number;
}

export interface PresignedPost {
    /** The form fields, in the order to send them; the file goes last, in a field named `file`. */
    fields: Record<string, string>;
    /** The policy document the `Policy` field encodes. */
    policy: { expiration: string; conditions: PolicyCondition[] };
}

/**
 * A POST policy that admits exactly one upload shape: this bucket, this key, this content type, at most
 * maxBytes, until expiresAt, signed by these credentials — and form fields that satisfy it. Every form
 * field (except the policy, the signature and the file) has its condition, as S3 requires.
 */
export function presignedPost(input: PostPolicyInput): PresignedPost {
    const { credentials } = input;
    const date = input.amzDate.slice(0, 8);
    const credential = `${credentials.accessKeyId}/${credentialScope(date, input.region)}`;
    const conditions: PolicyCondition[] = [
        { bucket: input.bucket },
        ["eq", "$key", input.key],
        ["eq", "$Content-Type", input.contentType],
        ["content-length-range", 0, input.maxBytes],
        ...(input.storageClass ? [{ "x-amz-storage-class": input.storageClass }] : []),
        { "x-amz-algorithm": ALGORITHM },
        { "x-amz-credential": credential },
        { "x-amz-date": input.amzDate },
    ];
    if (credentials.sessionToken) conditions.push({ "x-amz-security-token": credentials.sessionToken });
    const policy = { expiration: new Date(input.expiresAt).toISOString(), conditions };
    const encoded = Buffer.from(JSON.stringify(policy), "utf8").toString("base64");
    const fields: Record<string, string> = {
        key: input.key,
        "Content-Type": input.contentType,
        ...(input.storageClass ? { "x-amz-storage-class": input.storageClass } : {}),
        "X-Amz-Algorithm": ALGORITHM,
        "X-Amz-Credential": credential,
        "X-Amz-Date": input.amzDate,
    };
    if (credentials.sessionToken) fields["X-Amz-Security-Token"] = credentials.sessionToken;
    fields.Policy = encoded;
    fields["X-Amz-Signature"] = signPolicy(encoded, credentials.secretAccessKey, date, input.region);
    return { fields, policy };
}

/**
 * Where a bucket's objects are addressed: path style under an explicit endpoint (an emulator), else the
 * regional virtual-hosted endpoint (path style for a bucket name with dots, which TLS cannot cover).
 * Returns the origin and the path prefix that ends in '/'.
 */
export function bucketAddress(bucket: string, region: string, endpoint?: string): { origin: string; pathPrefix: string } {
    if (endpoint !== undefined && endpoint !== "") {
        const url = new URL(endpoint);
        return { origin: url.origin, pathPrefix: `${url.pathname.replace(/\/+$/, "")}/${uriEncode(bucket)}/` };
    }
    if (!bucket.includes(".")) return { origin: `https://${bucket}.s3.${region}.amazonaws.com`, pathPrefix: "/" };
    return { origin: `https://s3.${region}.amazonaws.com`, pathPrefix: `/${bucket}/` };
}
