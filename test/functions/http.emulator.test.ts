// The api as a client meets it: HTTP requests to the local app `npm start` runs (startLocalApp: both
// regions on moto, each api behind the local Function URL stand-in). Every rule of issue 11 is checked
// here, through the same HTTP server and the same body encoding a client goes through.

import * as assert from "assert";
import { createHash, randomBytes } from "crypto";
import * as fc from "fast-check";
import { DOCUMENT_STORAGE_CLASSES, MAX_UPLOAD_POLICY_SECONDS } from "../../functions/contract";
import { signPolicy } from "../../functions/sigv4";
import { freePort, TEST_CREDENTIALS } from "../../tools/local/emulator";
import { isTextContentType, REQUEST_TOO_LARGE_MESSAGE } from "../../tools/local/functionUrl";
import { LocalApp, startLocalApp } from "../../tools/local/localApp";
import { captureFunctionOutput } from "../support/lambda";
import { fuzzSeed, printSeed } from "./fuzzSeed";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("base64");
const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("base64");

async function errorOf(response: Response, status: number, code: string): Promise<string> {
    assert.strictEqual(response.status, status, `expected ${status} ${code}`);
    assert.match(String(response.headers.get("content-type")), /^application\/json/);
    assert.strictEqual(response.headers.get("x-content-type-options"), "nosniff");
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.deepStrictEqual(Object.keys(body), ["error"]);
    assert.strictEqual(body.error.code, code);
    return body.error.message;
}

/**
 * What S3 checks of a browser POST before it stores anything, as documented
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html,
 * sigv4-authentication-HTTPPOST.html): the signature of the policy, its expiration, every condition,
 * and a condition for every field except the policy, the signature, the file and x-ignore-* fields.
 * moto checks none of it, so the tests hold the api's policies to it here. Undefined when S3 would
 * accept the form, else why not.
 */
function s3WouldRefuse(form: Record<string, string>, fileBytes: number, bucket: string, secret: string, region: string, now: number): string | undefined {
    const field = (name: string) => Object.entries(form).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    const credential = field("x-amz-credential")?.split("/") ?? [];
    if (credential[2] !== region || credential[3] !== "s3" || credential[4] !== "aws4_request") return "credential scope";
    if (signPolicy(field("policy") ?? "", secret, credential[1], region) !== field("x-amz-signature")) return "SignatureDoesNotMatch";
    const policy = JSON.parse(Buffer.from(field("policy")!, "base64").toString("utf8")) as { expiration: string; conditions: unknown[] };
    if (!(Date.parse(policy.expiration) > now)) return "Policy expired";
    const covered = new Set<string>();
    for (const condition of policy.conditions) {
        if (Array.isArray(condition) && condition[0] === "content-length-range") {
            if (fileBytes < condition[1] || fileBytes > condition[2]) return "EntityTooLarge/EntityTooSmall";
            continue;
        }
        const [op, name, value] = Array.isArray(condition) ? [condition[0], String(condition[1]).replace(/^\$/, ""), condition[2]] : ["eq", Object.keys(condition as object)[0], Object.values(condition as object)[0]];
        covered.add(name.toLowerCase());
        const actual = name === "bucket" ? bucket : field(name);
        if (actual === undefined) return `missing field ${name}`;
        if (op === "eq" && actual !== value) return `Invalid according to Policy: Policy Condition failed: ${name}`;
        if (op === "starts-with" && !actual.startsWith(value)) return `Invalid according to Policy: Policy Condition failed: ${name}`;
    }
    const extra = Object.keys(form).filter((k) => !["policy", "x-amz-signature", "file"].includes(k.toLowerCase()) && !k.toLowerCase().startsWith("x-ignore-") && !covered.has(k.toLowerCase()));
    return extra.length > 0 ? `Invalid according to Policy: Extra input fields: ${extra.join(", ")}` : undefined;
}

describe("functions: the api over HTTP (npm start's servers)", function () {
    this.timeout(120_000);
    let app: LocalApp;
    let api: string;
    let counter = 0;
    const unique = (prefix: string) => `${prefix}/${++counter}-${Date.now()}`;

    before(async () => {
        captureFunctionOutput();
        app = await startLocalApp({ port: await freePort(), standbyPort: await freePort(), canaryIntervalMs: 3_600_000, replicationDelayMs: 100, log: () => undefined });
        api = app.primary.url;
    });
    after(async () => app?.stop());

    const put = (key: string, body: Uint8Array, headers: Record<string, string> = {}) => fetch(`${api}/objects/${key}`, { method: "PUT", body, headers });

    describe("integrity: every 2xx read-back is the client's bytes", () => {
        const seed = fuzzSeed();
        const RUNS = 150;
        // moto stores a PUT body sent as application/x-www-form-urlencoded or multipart/form-data as
        // empty (REFERENCE.md; real S3 stores it verbatim), so those two types are left to the api tests.
        const contentTypes = [undefined, "text/plain", "text/plain; charset=utf-8", "text/csv; charset=iso-8859-1", "text/html", "application/json", "application/xml", "application/javascript", "application/vnd.api+json", "image/svg+xml", "image/png", "application/octet-stream", "application/pdf"];
        const bytes = fc.oneof(
            fc.uint8Array({ maxLength: 1024 }),
            fc.string({ unit: "grapheme", maxLength: 100 }).map((s) => new Uint8Array(Buffer.from(s, "utf8"))),
            fc.array(fc.constantFrom(Buffer.from("ok "), Buffer.from([0xef, 0xbf, 0xbd]), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xc3, 0xa9]), Buffer.from([0x00])), { maxLength: 12 }).map((parts) => new Uint8Array(Buffer.concat(parts))),
        );
        const checksum = fc.constantFrom("none", "sha256", "md5", "both", "wrong-sha256", "wrong-md5");

        it(`holds for ${RUNS} arbitrary byte strings × content types × checksums`, async () => {
            printSeed(seed);
            const outcomes = new Map<string, number>();
            await fc.assert(
                fc.asyncProperty(bytes, fc.constantFrom(...contentTypes), checksum, async (body, type, sum) => {
                    const key = unique("prop");
                    const headers: Record<string, string> = {};
                    if (type !== undefined) headers["content-type"] = type;
                    if (sum === "sha256" || sum === "both") headers["x-amz-checksum-sha256"] = sha256(body);
                    if (sum === "md5" || sum === "both") headers["content-md5"] = md5(body);
                    if (sum === "wrong-sha256") headers["x-amz-checksum-sha256"] = sha256(Buffer.concat([body, Buffer.from("x")]));
                    if (sum === "wrong-md5") headers["content-md5"] = md5(Buffer.concat([body, Buffer.from("x")]));
                    const written = await put(key, body, headers);
                    const outcome = written.status === 201 ? "stored" : ((await written.json()) as { error: { code: string } }).error.code;
                    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
                    const read = await fetch(`${api}/objects/${key}`);
                    if (written.status !== 201) {
                        assert.ok(["bad_checksum", "unverifiable_body"].includes(outcome), `${written.status} ${outcome}`);
                        assert.strictEqual(read.status, 404, "a refused body is never stored");
                        return;
                    }
                    const back = new Uint8Array(await read.arrayBuffer());
                    assert.strictEqual(read.status, 200);
                    assert.ok(Buffer.from(back).equals(Buffer.from(body)), `altered: sent ${Buffer.from(body).toString("hex")}, read ${Buffer.from(back).toString("hex")}`);
                    assert.strictEqual(read.headers.get("content-type"), type ?? "application/octet-stream");
                    assert.strictEqual(read.headers.get("repr-digest"), `sha-256=:${sha256(body)}:`);
                }),
                { numRuns: RUNS, seed, endOnFailure: true },
            );
            assert.ok((outcomes.get("stored") ?? 0) > RUNS / 3 && (outcomes.get("unverifiable_body") ?? 0) > 0 && (outcomes.get("bad_checksum") ?? 0) > 0, JSON.stringify([...outcomes]));
        });

        it("never refuses what cannot have been altered: binary types, and UTF-8 text, without a wrong checksum", async () => {
            await fc.assert(
                fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), fc.string({ unit: "grapheme", maxLength: 60 }).filter((s) => !s.includes("\ufffd")), fc.constantFrom(...contentTypes), async (binary, text, type) => {
                    const body = isTextContentType(type) ? new Uint8Array(Buffer.from(text, "utf8")) : binary;
                    const written = await put(unique("never"), body, type === undefined ? {} : { "content-type": type });
                    if (type === "text/csv; charset=iso-8859-1" && Buffer.from(body).some((b) => b >= 0x80)) return;
                    assert.strictEqual(written.status, 201, await written.text());
                }),
                { numRuns: 40, seed, endOnFailure: true },
            );
        });

        it("refuses the issue's eight non-UTF-8 bytes as text, and stores them exactly as application/octet-stream", async () => {
            const eight = Buffer.from([0x80, 0x81, 0xfe, 0xff, 0xc0, 0xc1, 0xf5, 0xed]);
            for (const type of ["text/plain", "application/json", "text/csv; charset=iso-8859-1"]) {
                const key = unique("eight");
                const message = await errorOf(await put(key, eight, { "content-type": type }), 400, "unverifiable_body");
                assert.match(message, /application\/octet-stream/);
                assert.match(message, /checksum/);
                assert.strictEqual((await fetch(`${api}/objects/${key}`)).status, 404);
                await errorOf(await put(key, eight, { "content-type": type, "x-amz-checksum-sha256": sha256(eight) }), 400, "bad_checksum");
            }
            const key = unique("eight");
            const stored = await put(key, eight, { "content-type": "application/octet-stream" });
            assert.strictEqual(stored.status, 201);
            assert.strictEqual(((await stored.json()) as { checksumSha256: string }).checksumSha256, sha256(eight));
            assert.ok(Buffer.from(await (await fetch(`${api}/objects/${key}`)).arrayBuffer()).equals(eight));
        });
    });

    describe("safe serving", () => {
        for (const type of ["text/html", "image/svg+xml", "application/xml", "application/javascript"]) {
            it(`${type}: an attachment under a sandboxing CSP, never inline`, async () => {
                const key = unique("active") + ".x";
                assert.strictEqual((await put(key, Buffer.from("<svg onload=alert(1)>"), { "content-type": type })).status, 201);
                for (const method of ["GET", "HEAD"]) {
                    const read = await fetch(`${api}/objects/${key}`, { method });
                    assert.strictEqual(read.status, 200);
                    assert.strictEqual(read.headers.get("x-content-type-options"), "nosniff");
                    assert.match(String(read.headers.get("content-disposition")), /^attachment; /);
                    assert.match(String(read.headers.get("content-security-policy")), /^sandbox; default-src 'none'/);
                }
            });
        }

        it("nosniff on success, refusal and redirect alike", async () => {
            for (const response of [await fetch(`${api}/health`), await fetch(`${api}/nowhere`), await fetch(`${api}/health`, { method: "DELETE" }), await fetch(`${api}/objects?limit=0`)]) {
                assert.strictEqual(response.headers.get("x-content-type-options"), "nosniff", String(response.status));
            }
        });
    });

    describe("HTTP correctness", () => {
        it("HEAD on a document: the GET's status and headers, no body", async () => {
            const key = unique("head");
            const created = (await (await put(key, Buffer.from("hello head"), { "content-type": "text/plain" })).json()) as { etag: string };
            const head = await fetch(`${api}/objects/${key}`, { method: "HEAD" });
            assert.strictEqual(head.status, 200);
            assert.strictEqual(head.headers.get("etag"), created.etag);
            assert.strictEqual(head.headers.get("content-type"), "text/plain");
            assert.strictEqual((await head.arrayBuffer()).byteLength, 0);
            assert.strictEqual((await fetch(`${api}/objects/${unique("head")}`, { method: "HEAD" })).status, 404);
            const withIfMatch = await fetch(`${api}/objects/${key}`, { method: "HEAD", headers: { "if-match": '"0123456789abcdef0123456789abcdef"' } });
            assert.strictEqual(withIfMatch.status, 412);
        });

        it("HEAD /health: 200 without a body", async () => {
            const head = await fetch(`${api}/health`, { method: "HEAD" });
            assert.strictEqual(head.status, 200);
            assert.match(String(head.headers.get("content-type")), /^application\/json/);
            assert.strictEqual((await head.arrayBuffer()).byteLength, 0);
        });

        it("If-Match on a missing document: 412 precondition_failed", async () => {
            await errorOf(await put(unique("missing"), Buffer.from("x"), { "if-match": '"0123456789abcdef0123456789abcdef"' }), 412, "precondition_failed");
            await errorOf(await fetch(`${api}/objects/${unique("missing")}`, { headers: { "if-match": "*" } }), 412, "precondition_failed");
        });

        it("an empty key: 400 bad_key, not 405", async () => {
            assert.match(await errorOf(await put("", Buffer.from("x")), 400, "bad_key"), /empty/);
            await errorOf(await fetch(`${api}/uploads/`, { method: "POST" }), 400, "bad_key");
        });

        it("a body within the platform's limit but over the inline limit: the api's 413 in the error shape", async () => {
            const message = await errorOf(await put(unique("big"), randomBytes(4_300_000)), 413, "payload_too_large");
            assert.match(message, /POST \/uploads\//);
        });

        it("a body over the platform's 6 MB payload limit: the platform's own 413 (docs/functions.md says so)", async () => {
            const refused = await put(unique("huge"), randomBytes(7 * 1024 * 1024));
            assert.strictEqual(refused.status, 413);
            assert.deepStrictEqual(await refused.json(), { Message: REQUEST_TOO_LARGE_MESSAGE });
        });
    });

    describe("constrained uploads: POST /uploads/<key>", () => {
        async function requestUpload(key: string, contentType: string) {
            const response = await fetch(`${api}/uploads/${key}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ contentType }) });
            assert.strictEqual(response.status, 200);
            return (await response.json()) as { url: string; fields: Record<string, string>; expiresAt: string };
        }
        const refusal = (form: Record<string, string>, size: number, now = Date.now()) => s3WouldRefuse(form, size, app.primary.bucket, TEST_CREDENTIALS.secretAccessKey, app.primary.region, now);

        it("returns a policy that fixes the exact key, the content type, a length range and a short expiry", async () => {
            const key = unique("upload") + "/é x.bin";
            const requested = Date.now();
            const { url, fields, expiresAt } = await requestUpload(encodeURIComponent(key).replace(/%2F/g, "/"), "application/x-thing");
            const policy = JSON.parse(Buffer.from(fields.Policy, "base64").toString("utf8")) as { expiration: string; conditions: unknown[] };
            assert.strictEqual(policy.expiration, expiresAt);
            assert.ok(Date.parse(expiresAt) - requested <= MAX_UPLOAD_POLICY_SECONDS * 1000 + 1000);
            const conditions = policy.conditions;
            assert.deepStrictEqual(conditions[0], { bucket: app.primary.bucket });
            assert.deepStrictEqual(conditions[1], ["eq", "$key", `objects/${key}`]);
            assert.deepStrictEqual(conditions[2], ["eq", "$Content-Type", "application/x-thing"]);
            assert.deepStrictEqual(conditions[3], ["content-length-range", 0, 1073741824]);
            // The class comes from the program's tandem:documentStorage (TANDEM_STORAGE_CLASS); S3 writes the form in it.
            assert.ok((DOCUMENT_STORAGE_CLASSES as readonly string[]).includes(fields["x-amz-storage-class"]), fields["x-amz-storage-class"]);
            assert.deepStrictEqual(conditions.slice(4), [
                { "x-amz-storage-class": fields["x-amz-storage-class"] },
                { "x-amz-algorithm": "AWS4-HMAC-SHA256" },
                { "x-amz-credential": fields["X-Amz-Credential"] },
                { "x-amz-date": fields["X-Amz-Date"] },
            ]);
            assert.strictEqual(refusal(fields, 14), undefined, "S3 would accept the form as given");
            assert.strictEqual(url, `${new URL(url).origin}/${app.primary.bucket}/`);

            // moto does not check signatures or policies (docs/functions.md): it stores what is posted.
            const form = new FormData();
            for (const [name, value] of Object.entries(fields)) form.append(name, value);
            form.append("file", new Blob([Buffer.from("uploaded ✓ bytes")]), "x.bin");
            assert.strictEqual((await fetch(url, { method: "POST", body: form })).status, 204);
            const read = await fetch(`${api}/objects/${encodeURIComponent(key).replace(/%2F/g, "/")}`);
            assert.strictEqual(await read.text(), "uploaded ✓ bytes");
            assert.strictEqual(read.headers.get("content-type"), "application/x-thing");
            assert.match(String(read.headers.get("content-disposition")), /^attachment/);
        });

        it("would be refused by S3 for any field tampered with, an oversize file, or after it expires", async () => {
            const { fields, expiresAt } = await requestUpload(unique("upload"), "image/png");
            const tampered: Array<[string, Record<string, string>, number, number?]> = [
                ["another key", { ...fields, key: "objects/elsewhere" }, 10],
                ["a key outside objects/", { ...fields, key: "manifests/x" }, 10],
                ["another content type", { ...fields, "Content-Type": "text/html" }, 10],
                ["a wider policy", { ...fields, Policy: Buffer.from(Buffer.from(fields.Policy, "base64").toString().replace("1073741824", "99999999999")).toString("base64") }, 10],
                ["a policy signed with another key", { ...fields, "X-Amz-Signature": signPolicy(fields.Policy, "not-the-secret", fields["X-Amz-Date"].slice(0, 8), app.primary.region) }, 10],
                ["an extra field", { ...fields, "x-amz-meta-owner": "mallory" }, 10],
                ["an acl field", { ...fields, acl: "public-read" }, 10],
                ["another storage class", { ...fields, "x-amz-storage-class": "GLACIER_IR" }, 10],
                ["no storage class", Object.fromEntries(Object.entries(fields).filter(([name]) => name !== "x-amz-storage-class")), 10],
                ["a file over the maximum", fields, 1073741825],
                ["after the expiry", fields, 10, Date.parse(expiresAt) + 1],
            ];
            for (const [what, form, size, at] of tampered) assert.notStrictEqual(refusal(form, size, at), undefined, what);
            assert.strictEqual(refusal({ ...fields, "x-ignore-flash": "1" }, 10), undefined, "x-ignore- fields are exempt");
        });

        it("refuses what it cannot sign safely: a bad content type, unknown fields, the standby", async () => {
            const post = (path: string, body: string, base = api) => fetch(`${base}/uploads/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
            await errorOf(await post(unique("u"), JSON.stringify({ contentType: "text/*" })), 415, "unsupported_media_type");
            await errorOf(await post(unique("u"), JSON.stringify({ contentType: "text/plain", maxBytes: 10 })), 400, "bad_request");
            await errorOf(await post(unique("u"), "[]"), 400, "bad_request");
            await errorOf(await post(unique("u"), "{}", app.standby.url), 503, "standby_read_only");
        });
    });
});
