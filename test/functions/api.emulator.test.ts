// The api on a real S3 API (moto): the handler built by apiCallbackFactory with the environment the
// infrastructure sets, against buckets and keys configured as the program configures them.

import * as assert from "assert";
import { createHash, randomBytes } from "crypto";
import type * as S3 from "@aws-sdk/client-s3";
import { ENV, MAX_UPLOAD_POLICY_SECONDS, PREFIX } from "../../functions/contract";
import { encodeKeyPath } from "../../functions/http";
import { ROUTES } from "../../functions/routes";
import { bodyBytes, bodyJson, captureFunctionOutput, lambdaContext, makeHandlers, s3Event, urlEvent } from "../support/lambda";
import { clientConfig, provisionApp, RegionFixture, useMoto } from "../../tools/local/emulator";
import { gap } from "../../tools/local/gaps";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;

type Handlers = ReturnType<typeof makeHandlers>;

function assertErrorShape(result: { statusCode?: number; headers?: Record<string, unknown>; body?: string }, status: number, code: string): { code: string; message: string } {
    assert.strictEqual(result.statusCode, status, `expected ${status} ${code}, got ${result.statusCode} ${result.body}`);
    assert.match(String(result.headers?.["content-type"]), /^application\/json/);
    assert.strictEqual(result.headers?.["x-content-type-options"], "nosniff");
    const body = JSON.parse(result.body ?? "") as { error: { code: string; message: string } };
    assert.deepStrictEqual(Object.keys(body), ["error"]);
    assert.deepStrictEqual(Object.keys(body.error).sort(), ["code", "message"]);
    assert.strictEqual(body.error.code, code);
    assert.strictEqual(typeof body.error.message, "string");
    assert.ok(body.error.message.length > 0);
    return body.error;
}

describe("functions: api on moto", function () {
    const moto = useMoto();
    let primary: RegionFixture;
    let standby: RegionFixture;
    let p: Handlers;
    let s: Handlers;
    let s3: S3.S3Client;

    before(async () => {
        captureFunctionOutput();
        ({ primary, standby } = await provisionApp(moto.endpoint));
        p = makeHandlers(moto.endpoint, primary);
        s = makeHandlers(moto.endpoint, standby);
        s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, primary.region));
    });
    after(() => s3?.destroy());

    const put = (key: string, body: Buffer | string, headers: Record<string, string> = {}) =>
        p.api(urlEvent("PUT", `/objects/${encodeKeyPath(key)}`, { body, headers }), lambdaContext());
    const get = (key: string, handlers: Handlers = p) => handlers.api(urlEvent("GET", `/objects/${encodeKeyPath(key)}`), lambdaContext());

    describe("round trips", () => {
        const bodies: Array<[string, Buffer, string]> = [
            ["an empty body", Buffer.alloc(0), "application/octet-stream"],
            ["a 1-byte body", Buffer.from([0x00]), "application/octet-stream"],
            ["every byte value", Buffer.from(Array.from({ length: 256 }, (_, i) => i)), "application/x-bytes"],
            ["64 KiB of random bytes", randomBytes(64 * 1024), "image/png"],
            ["UTF-8 text", Buffer.from("héllo wörld — ✓ 日本語 😀\r\n\u0000end", "utf8"), "text/plain; charset=utf-8"],
            ["a 4 MiB body (the inline limit)", randomBytes(4 * 1024 * 1024), "application/octet-stream"],
        ];
        for (const [what, body, contentType] of bodies) {
            it(`is byte-identical for ${what}`, async () => {
                const key = `round/${what.replace(/\W+/g, "-")}`;
                const created = await put(key, body, { "content-type": contentType });
                assert.strictEqual(created.statusCode, 201, created.body);
                const answer = bodyJson(created);
                assert.strictEqual(answer.key, key);
                assert.strictEqual(typeof answer.versionId, "string");
                assert.strictEqual(typeof answer.etag, "string");
                assert.strictEqual(answer.checksumSha256, createHash("sha256").update(body).digest("base64"), "the checksum S3 stored");
                assert.strictEqual(created.headers!.location, `/objects/${encodeKeyPath(key)}`);

                const read = await get(key);
                assert.strictEqual(read.statusCode, 200);
                assert.ok(bodyBytes(read).equals(body), "the bytes read back differ");
                assert.strictEqual(read.headers!["content-type"], contentType);
                assert.strictEqual(read.headers!.etag, answer.etag);
                assert.strictEqual(read.headers!["x-tandem-version-id"], answer.versionId);
                assert.strictEqual(read.headers!["repr-digest"], `sha-256=:${answer.checksumSha256}:`);

                // Stored as the program configures the bucket: SSE-KMS with the region key and a bucket
                // key, and with the SHA-256 the api verified (S3 verifies it again on real AWS).
                const head = await s3.send(new s3sdk.HeadObjectCommand({ Bucket: primary.bucket, Key: PREFIX.objects + key, ChecksumMode: "ENABLED" }));
                assert.strictEqual(head.ChecksumSHA256, answer.checksumSha256);
                assert.strictEqual(head.ServerSideEncryption, "aws:kms");
                assert.strictEqual(head.BucketKeyEnabled, true);
                assert.strictEqual(head.ContentLength, body.length);
            });
        }

        it("accepts bodies that arrive as plain (not base64) text", async () => {
            const created = await p.api(urlEvent("PUT", "/objects/plain.txt", { body: "plain text body ✓", base64: false, headers: { "content-type": "text/plain" } }), lambdaContext());
            assert.strictEqual(created.statusCode, 201);
            assert.strictEqual(bodyBytes(await get("plain.txt")).toString("utf8"), "plain text body ✓");
        });

        const keys = [
            "日本語/ドキュメント.txt",
            "emoji 😀/a b+c%d#?.bin",
            "Ünïcödé/ä ö ü ß",
            "with spaces/and+plus",
            "100% sure",
            "literal %2F and %20",
            "q?x=1&y=2#frag",
            "é".repeat(507),
            "deep/" + "a/".repeat(100) + "leaf",
        ];
        for (const key of keys) {
            it(`round-trips the key ${JSON.stringify(key.length > 40 ? key.slice(0, 40) + "…" : key)}`, async () => {
                const body = Buffer.from(`document ${key}`, "utf8");
                const created = await put(key, body, { "content-type": "text/plain" });
                assert.strictEqual(created.statusCode, 201, created.body);
                assert.strictEqual(bodyJson(created).key, key);
                const read = await get(key);
                assert.strictEqual(read.statusCode, 200);
                assert.ok(bodyBytes(read).equals(body));
                // Stored under exactly objects/<key>.
                const head = await s3.send(new s3sdk.HeadObjectCommand({ Bucket: primary.bucket, Key: PREFIX.objects + key }));
                assert.strictEqual(head.ContentLength, body.length);
            });
        }

        it("treats an encoded slash (%2F) as a path separator of the key", async () => {
            assert.strictEqual((await p.api(urlEvent("PUT", "/objects/enc%2Fslash", { body: "x" }), lambdaContext())).statusCode, 201);
            assert.ok(bodyBytes(await get("enc/slash")).equals(Buffer.from("x")));
        });

        it("goes through a presigned POST for a 10 MiB body: POST /uploads, the form to S3, GET answers 303", async () => {
            const key = "large/ten-mebibytes.bin";
            const body = randomBytes(10 * 1024 * 1024);
            const tooBig = await put(key, body);
            const error = assertErrorShape(tooBig, 413, "payload_too_large");
            assert.match(error.message, /POST \/uploads\/large\/ten-mebibytes\.bin/);

            const upload = await p.api(urlEvent("POST", `/uploads/${encodeKeyPath(key)}`, { body: JSON.stringify({ contentType: "application/x-large" }), base64: false }), lambdaContext());
            assert.strictEqual(upload.statusCode, 200, upload.body);
            const { url, fields, expiresAt } = bodyJson<{ url: string; fields: Record<string, string>; expiresAt: string }>(upload);
            assert.deepStrictEqual(Object.keys(bodyJson(upload)).sort(), ["expiresAt", "fields", "url"]);
            assert.strictEqual(fields.key, PREFIX.objects + key);
            assert.strictEqual(fields["Content-Type"], "application/x-large");
            const expires = Date.parse(expiresAt) - Date.now();
            assert.ok(expires > 0 && expires <= MAX_UPLOAD_POLICY_SECONDS * 1000, `expiresAt ${expiresAt}`);
            assert.strictEqual(url, `${moto.endpoint}/${primary.bucket}/`);

            const form = new FormData();
            for (const [name, value] of Object.entries(fields)) form.append(name, value);
            form.append("file", new Blob([body]), "ten-mebibytes.bin");
            const uploaded = await fetch(url, { method: "POST", body: form });
            assert.strictEqual(uploaded.status, 204, await uploaded.text());

            const read = await get(key);
            assertRedirect(read);
            const location = String(read.headers!.location);
            assert.strictEqual(bodyJson(read).url, location);
            const signed = new URL(location);
            assert.strictEqual(signed.searchParams.get("X-Amz-Expires"), "900");
            assert.strictEqual(signed.searchParams.get("X-Amz-SignedHeaders"), "host");
            const downloaded = await fetch(location);
            assert.strictEqual(downloaded.status, 200);
            assert.strictEqual(downloaded.headers.get("content-type"), "application/x-large");
            const bytes = Buffer.from(await downloaded.arrayBuffer());
            assert.strictEqual(bytes.length, body.length);
            assert.strictEqual(createHash("sha256").update(bytes).digest("hex"), createHash("sha256").update(body).digest("hex"));

            // HEAD answers the same redirect, with a URL signed for HEAD (SigV4 signs the method).
            const head = await p.api(urlEvent("HEAD", `/objects/${encodeKeyPath(key)}`), lambdaContext());
            assert.strictEqual(head.statusCode, 303);
            assert.strictEqual(head.body, undefined);
            assert.notStrictEqual(new URL(String(head.headers!.location)).searchParams.get("X-Amz-Signature"), signed.searchParams.get("X-Amz-Signature"));
            assert.strictEqual((await fetch(String(head.headers!.location), { method: "HEAD" })).status, 200);
        });

        function assertRedirect(result: { statusCode?: number; headers?: Record<string, unknown> }) {
            assert.strictEqual(result.statusCode, 303);
            assert.match(String(result.headers!.location), /^http:\/\/127\.0\.0\.1:\d+\/tandem-data-123456789012-us-east-1\/objects\/large\//);
        }
    });

    describe("listing", () => {
        const listed = new Map<string, number>();
        before(async () => {
            for (let i = 0; i < 23; i++) {
                const key = `list/${String(i).padStart(2, "0")}-${i % 3 === 0 ? "ü" : "a"} ${i}.txt`;
                const body = "x".repeat(i);
                listed.set(key, body.length);
                assert.strictEqual((await put(key, body)).statusCode, 201);
            }
            assert.strictEqual((await put("listing-elsewhere", "y")).statusCode, 201);
        });

        const page = (query: string) => p.api(urlEvent("GET", "/objects", { query }), lambdaContext());

        it("pages through every key exactly once with the cursor", async () => {
            const seen: string[] = [];
            let cursor: string | null = null;
            let pages = 0;
            do {
                const query: string = `prefix=${encodeURIComponent("list/")}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
                const result = await page(query);
                assert.strictEqual(result.statusCode, 200, result.body);
                const body = bodyJson<{ items: Array<{ key: string; size: number; lastModified: string }>; nextCursor: string | null }>(result);
                assert.ok(body.items.length <= 7);
                for (const item of body.items) {
                    seen.push(item.key);
                    assert.strictEqual(item.size, listed.get(item.key));
                    assert.ok(Number.isFinite(Date.parse(item.lastModified)));
                }
                cursor = body.nextCursor;
                pages++;
            } while (cursor !== null && pages < 10);
            assert.strictEqual(pages, 4);
            assert.deepStrictEqual(seen, [...listed.keys()].sort());
        });

        it("lists from the start without a prefix, with the default limit", async () => {
            const body = bodyJson<{ items: Array<{ key: string }>; nextCursor: string | null }>(await page(""));
            assert.ok(body.items.some((item) => item.key === "listing-elsewhere"));
            assert.ok(body.items.length <= 100);
            const head = await p.api(urlEvent("HEAD", "/objects"), lambdaContext());
            assert.strictEqual(head.statusCode, 200);
            assert.strictEqual(head.body, undefined);
        });

        it("returns an empty page for an unknown prefix", async () => {
            assert.deepStrictEqual(bodyJson(await page("prefix=nothing-here%2F")), { items: [], nextCursor: null });
        });

        const badQueries: Array<[string, string]> = [
            ["limit=0", "limit 0"],
            ["limit=1001", "limit over 1000"],
            ["limit=abc", "non-numeric limit"],
            ["limit=1.5", "fractional limit"],
            ["limit=5&limit=6", "a repeated parameter"],
            ["cursor=%21%21", "a cursor that is not one"],
            ["cursor=YQ%3D%3D", "a non-canonical cursor"],
            ["prefix=a%01", "a control character in the prefix"],
        ];
        for (const [query, what] of badQueries) {
            it(`answers 400 for ${what}`, async () => assertErrorShape(await page(query), 400, "bad_request"));
        }
    });

    describe("delete", () => {
        it("deletes a document: 204, then 404, and it leaves the listing", async () => {
            assert.strictEqual((await put("gone/soon", "bye")).statusCode, 201);
            const deleted = await p.api(urlEvent("DELETE", "/objects/gone/soon"), lambdaContext());
            assert.strictEqual(deleted.statusCode, 204);
            assert.strictEqual(deleted.body, undefined);
            assert.strictEqual(typeof deleted.headers!["x-tandem-version-id"], "string");
            assertErrorShape(await get("gone/soon"), 404, "not_found");
            const list = bodyJson<{ items: unknown[] }>(await p.api(urlEvent("GET", "/objects", { query: "prefix=gone%2F" }), lambdaContext()));
            assert.deepStrictEqual(list.items, []);
            // The version history is kept (versioned bucket): a delete marker on top.
            const versions = await s3.send(new s3sdk.ListObjectVersionsCommand({ Bucket: primary.bucket, Prefix: "objects/gone/soon" }));
            assert.strictEqual(versions.Versions?.length, 1);
            assert.strictEqual(versions.DeleteMarkers?.length, 1);
        });

        it("is idempotent", async () => {
            assert.strictEqual((await p.api(urlEvent("DELETE", "/objects/never/existed"), lambdaContext())).statusCode, 204);
        });
    });

    describe("conditional writes", () => {
        it("honours If-None-Match: * and If-Match", async () => {
            const created = await put("cond/doc", "v1", { "if-none-match": "*" });
            assert.strictEqual(created.statusCode, 201);
            assertErrorShape(await put("cond/doc", "v2", { "if-none-match": "*" }), 412, "precondition_failed");
            assertErrorShape(await put("cond/doc", "v2", { "if-match": '"0123456789abcdef0123456789abcdef"' }), 412, "precondition_failed");
            const etag = bodyJson(created).etag as string;
            assert.strictEqual((await put("cond/doc", "v2", { "if-match": etag })).statusCode, 201);
            assert.strictEqual(bodyBytes(await get("cond/doc")).toString(), "v2");
            assertErrorShape(await put("cond/doc", "v3", { "if-none-match": '"abc"' }), 400, "bad_request");
            assertErrorShape(await put("cond/doc", "v3", { "if-match": "no-quotes" }), 400, "bad_request");
        });
    });

    describe("manifests", () => {
        it("answers 404 until the document is ingested, then the manifest", async () => {
            const body = Buffer.from("manifest me");
            const created = bodyJson(await put("man/doc.txt", body, { "content-type": "text/markdown" }));
            assertErrorShape(await p.api(urlEvent("GET", "/manifests/man/doc.txt"), lambdaContext()), 404, "not_found");
            const result = await p.ingest(s3Event(primary.bucket, "objects/man/doc.txt"), lambdaContext());
            assert.strictEqual(result.records[0].outcome, "written");
            const manifest = await p.api(urlEvent("GET", "/manifests/man/doc.txt"), lambdaContext());
            assert.strictEqual(manifest.statusCode, 200);
            const m = bodyJson(manifest);
            assert.deepStrictEqual(Object.keys(m).sort(), ["checksumSha256", "contentType", "key", "processedAt", "sha256", "size", "versionId"]);
            assert.strictEqual(m.checksumSha256, created.checksumSha256);
            assert.strictEqual(m.key, "man/doc.txt");
            assert.strictEqual(m.versionId, created.versionId);
            assert.strictEqual(m.sha256, createHash("sha256").update(body).digest("hex"));
            assert.strictEqual(m.size, body.length);
            assert.strictEqual(m.contentType, "text/markdown");
        });
    });

    describe("health", () => {
        it("reports region, role and bucket", async () => {
            const primaryHealth = await p.api(urlEvent("GET", "/health"), lambdaContext());
            assert.strictEqual(primaryHealth.statusCode, 200);
            assert.deepStrictEqual(bodyJson(primaryHealth), { region: "us-east-1", role: "primary", bucket: primary.bucket, replicationLagSeconds: null });
            const standbyHealth = await s.api(urlEvent("GET", "/health"), lambdaContext());
            assert.deepStrictEqual(bodyJson(standbyHealth), { region: "us-west-2", role: "standby", bucket: standby.bucket, replicationLagSeconds: null });
        });
    });

    describe("the standby", () => {
        before(async () => {
            // What replication would have put there.
            const client = new s3sdk.S3Client(clientConfig(moto.endpoint, standby.region));
            await client.send(new s3sdk.PutObjectCommand({ Bucket: standby.bucket, Key: "objects/replicated/doc.txt", Body: "replica", ContentType: "text/plain" }));
            client.destroy();
        });

        const writes: Array<[string, () => ReturnType<Handlers["api"]>]> = [
            ["PUT", () => s.api(urlEvent("PUT", "/objects/replicated/doc.txt", { body: "nope" }), lambdaContext())],
            ["DELETE", () => s.api(urlEvent("DELETE", "/objects/replicated/doc.txt"), lambdaContext())],
            ["POST /uploads", () => s.api(urlEvent("POST", "/uploads/replicated/big.bin"), lambdaContext())],
        ];
        for (const [what, call] of writes) {
            it(`refuses ${what} with 503, Retry-After and the primary region`, async () => {
                const result = await call();
                const error = assertErrorShape(result, 503, "standby_read_only");
                assert.match(error.message, /us-east-1/);
                assert.match(String(result.headers!["retry-after"]), /^\d+$/);
                assert.strictEqual(result.headers!["x-tandem-primary-region"], "us-east-1");
            });
        }

        it("serves reads and listings", async () => {
            const read = await get("replicated/doc.txt", s);
            assert.strictEqual(read.statusCode, 200);
            assert.strictEqual(bodyBytes(read).toString(), "replica");
            const list = bodyJson<{ items: Array<{ key: string }> }>(await s.api(urlEvent("GET", "/objects"), lambdaContext()));
            assert.deepStrictEqual(list.items.map((i) => i.key), ["replicated/doc.txt"]);
            const body = await s3.send(new s3sdk.GetObjectCommand({ Bucket: standby.bucket, Key: "objects/replicated/doc.txt" }));
            assert.strictEqual(await body.Body!.transformToString(), "replica", "the refused PUT changed nothing");
        });

        it("still answers client errors before refusing a write", async () => {
            assertErrorShape(await s.api(urlEvent("PUT", "/objects/a//b", { body: "x" }), lambdaContext()), 400, "bad_key");
        });
    });

    describe("integrity (the api never stores bytes other than the client's)", () => {
        const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("base64");
        const md5 = (b: Buffer | string) => createHash("md5").update(b).digest("base64");
        const notUtf8 = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80, 0xe0, 0x80, 0x41]);
        /** What a Function URL hands the api for a text-typed body: the bytes decoded as UTF-8. */
        const asText = (bytes: Buffer, headers: Record<string, string>) => urlEvent("PUT", "/objects/int/doc", { body: bytes.toString("utf8"), base64: false, headers: { "content-length": String(bytes.length), ...headers } });
        const stored = async (key: string) => (await s3.send(new s3sdk.ListObjectVersionsCommand({ Bucket: primary.bucket, Prefix: PREFIX.objects + key }))).Versions?.length ?? 0;

        it("verifies x-amz-checksum-sha256 and Content-MD5 before storing, and returns the stored checksum", async () => {
            const body = Buffer.from("checked ✓");
            const created = await put("int/ok", body, { "x-amz-checksum-sha256": sha256(body), "content-md5": md5(body) });
            assert.strictEqual(created.statusCode, 201, created.body);
            assert.strictEqual(bodyJson(created).checksumSha256, sha256(body));
            assert.ok(bodyBytes(await get("int/ok")).equals(body));
        });

        const refusals: Array<[string, Record<string, string>, string]> = [
            ["a SHA-256 of another body", { "x-amz-checksum-sha256": sha256("another body") }, "bad_checksum"],
            ["a Content-MD5 of another body", { "content-md5": md5("another body") }, "bad_checksum"],
            ["both checksums, disagreeing (SHA-256 right, MD5 of another body)", { "x-amz-checksum-sha256": sha256("the body"), "content-md5": md5("another body") }, "bad_checksum"],
            ["malformed base64 in x-amz-checksum-sha256", { "x-amz-checksum-sha256": "not base64!" }, "bad_checksum"],
            ["a hex SHA-256 instead of base64", { "x-amz-checksum-sha256": createHash("sha256").update("the body").digest("hex") }, "bad_checksum"],
            ["an MD5 where a SHA-256 belongs", { "x-amz-checksum-sha256": md5("the body") }, "bad_checksum"],
            ["non-canonical base64", { "content-md5": md5("the body").replace(/=$/, "") + "=" + "=" }, "bad_checksum"],
            ["a declared length other than the body's", { "content-length": "3" }, "bad_request"],
            ["a declared length that is not a number", { "content-length": "12abc" }, "bad_request"],
        ];
        for (const [what, headers, code] of refusals) {
            it(`refuses ${what} with 400 ${code}, storing nothing`, async () => {
                const key = `int/refused-${what.replace(/\W+/g, "-")}`;
                assertErrorShape(await put(key, Buffer.from("the body"), headers), 400, code);
                assert.strictEqual(await stored(key), 0);
            });
        }

        it("refuses a text body that is not UTF-8 (the platform re-encoded it), naming the ways to send it", async () => {
            for (const type of ["text/plain", "application/json", "text/csv; charset=iso-8859-1"]) {
                const error = assertErrorShape(await p.api(asText(notUtf8, { "content-type": type }), lambdaContext()), 400, "unverifiable_body");
                assert.match(error.message, /application\/octet-stream/);
                assert.match(error.message, /x-amz-checksum-sha256 or Content-MD5/);
                assert.match(error.message, /POST \/uploads/);
            }
            assert.strictEqual(await stored("int/doc"), 0);
        });

        it("refuses such a body even when its checksum is sent: the bytes that arrived are not the client's", async () => {
            const error = assertErrorShape(await p.api(asText(notUtf8, { "content-type": "text/plain", "x-amz-checksum-sha256": sha256(notUtf8) }), lambdaContext()), 400, "bad_checksum");
            assert.match(error.message, /application\/octet-stream/);
            assert.strictEqual(await stored("int/doc"), 0);
        });

        it("refuses text declared in a charset other than UTF-8 unless a checksum proves it intact", async () => {
            const latin = Buffer.from("caf\u00e9 cr\u00e8me", "utf8");
            assertErrorShape(await p.api(asText(latin, { "content-type": "text/csv; charset=iso-8859-1" }), lambdaContext()), 400, "unverifiable_body");
            const proven = await p.api(asText(latin, { "content-type": "text/csv; charset=iso-8859-1", "x-amz-checksum-sha256": sha256(latin) }), lambdaContext());
            assert.strictEqual(proven.statusCode, 201, proven.body);
        });

        it("refuses text containing U+FFFD without a checksum, and accepts it with one", async () => {
            const replacement = Buffer.from("a \ufffd b", "utf8");
            assertErrorShape(await p.api(asText(replacement, { "content-type": "text/plain" }), lambdaContext()), 400, "unverifiable_body");
            const proven = await p.api(asText(replacement, { "content-type": "text/plain", "content-md5": md5(replacement) }), lambdaContext());
            assert.strictEqual(proven.statusCode, 201, proven.body);
            assert.ok(bodyBytes(await get("int/doc")).equals(replacement));
        });

        it("stores the same bytes sent as application/octet-stream, unaltered", async () => {
            const created = await put("int/binary", notUtf8, { "content-type": "application/octet-stream" });
            assert.strictEqual(created.statusCode, 201);
            assert.ok(bodyBytes(await get("int/binary")).equals(notUtf8));
        });

        it("never serves bytes that do not match the checksum S3 stored with them (503)", async () => {
            // moto stores a wrong x-amz-checksum-sha256 without verifying it; S3 would refuse the PUT.
            await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/int/corrupt", Body: "stored bytes", ChecksumAlgorithm: "SHA256", ChecksumSHA256: sha256("other bytes") }));
            const read = await get("int/corrupt");
            assert.strictEqual(read.statusCode, 503, read.body);
            assert.strictEqual(bodyJson(read).error.code, "storage_unavailable");
        });
    });

    describe("conditional requests (RFC 9110 §13)", () => {
        let etag: string;
        before(async () => {
            etag = bodyJson((await put("cnd/doc", "v1")) as never).etag;
        });
        const read = (method: string, key: string, headers: Record<string, string>) => p.api(urlEvent(method, `/objects/${key}`, { headers }), lambdaContext());

        it("PUT with If-Match on a missing document answers 412 (S3 answers 404), storing nothing", async () => {
            assertErrorShape(await put("cnd/missing", "x", { "if-match": etag }), 412, "precondition_failed");
            const versions = await s3.send(new s3sdk.ListObjectVersionsCommand({ Bucket: primary.bucket, Prefix: "objects/cnd/missing" }));
            assert.strictEqual(versions.Versions, undefined);
        });

        for (const method of ["GET", "HEAD"]) {
            it(`${method} honours If-Match (412 on another ETag or a missing document) and If-None-Match (304)`, async () => {
                assert.strictEqual((await read(method, "cnd/doc", { "if-match": etag })).statusCode, 200);
                assert.strictEqual((await read(method, "cnd/doc", { "if-match": "*" })).statusCode, 200);
                const other = await read(method, "cnd/doc", { "if-match": '"0123456789abcdef0123456789abcdef"' });
                assert.strictEqual(other.statusCode, 412);
                const missing = await read(method, "cnd/nothing", { "if-match": etag });
                assert.strictEqual(missing.statusCode, 412);
                assert.strictEqual((await read(method, "cnd/nothing", { "if-match": "*" })).statusCode, 412);
                if (method === "GET") {
                    assertErrorShape(other, 412, "precondition_failed");
                    assertErrorShape(missing, 412, "precondition_failed");
                } else {
                    assert.strictEqual(other.body, undefined, "a HEAD has no body");
                }
                const cached = await read(method, "cnd/doc", { "if-none-match": etag });
                assert.strictEqual(cached.statusCode, 304);
                assert.strictEqual(cached.body, undefined);
                assert.strictEqual(cached.headers!.etag, etag);
                assert.strictEqual((await read(method, "cnd/doc", { "if-none-match": "*" })).statusCode, 304);
                assert.strictEqual((await read(method, "cnd/doc", { "if-none-match": '"0123456789abcdef0123456789abcdef"' })).statusCode, 200);
                assert.strictEqual((await read(method, "cnd/nothing", { "if-none-match": "*" })).statusCode, 404);
            });
        }

        const malformed: Array<[string, Record<string, string>]> = [
            ["If-Match without quotes", { "if-match": "abc" }],
            ["a weak If-Match", { "if-match": 'W/"abc"' }],
            ["an If-Match list", { "if-match": '"a", "b"' }],
            ["both If-Match and If-None-Match", { "if-match": '"a"', "if-none-match": '"b"' }],
        ];
        for (const [what, headers] of malformed) {
            it(`answers 400 for ${what}`, async () => assertErrorShape(await read("GET", "cnd/doc", headers), 400, "bad_request"));
        }
    });

    describe("safe serving", () => {
        const active = ["text/html", "text/html; charset=utf-8", "image/svg+xml", "application/xml", "text/xml", "application/javascript", "text/javascript", "application/xhtml+xml", "application/pdf", "application/octet-stream", "x-custom/type"];
        const passive = ["text/plain", "text/plain; charset=utf-8", "image/png", "image/jpeg", "application/json", "text/csv", "video/mp4", "audio/mpeg"];
        for (const type of active) {
            it(`serves ${type} as an attachment under a sandboxing CSP, with nosniff (GET and HEAD)`, async () => {
                assert.strictEqual((await put("serve/a ctive<x>.html", "<script>alert(1)</script>", { "content-type": type })).statusCode, 201);
                for (const method of ["GET", "HEAD"]) {
                    const read = await p.api(urlEvent(method, `/objects/${encodeKeyPath("serve/a ctive<x>.html")}`), lambdaContext());
                    assert.strictEqual(read.statusCode, 200);
                    assert.strictEqual(read.headers!["content-type"], type);
                    assert.strictEqual(read.headers!["x-content-type-options"], "nosniff");
                    assert.strictEqual(read.headers!["content-disposition"], `attachment; filename="a_ctive_x_.html"; filename*=UTF-8''a%20ctive%3Cx%3E.html`);
                    assert.match(String(read.headers!["content-security-policy"]), /^sandbox; default-src 'none'/);
                }
            });
        }
        for (const type of passive) {
            it(`serves ${type} inline, with nosniff`, async () => {
                assert.strictEqual((await put("serve/passive", "data", { "content-type": type })).statusCode, 201);
                const read = await get("serve/passive");
                assert.strictEqual(read.headers!["content-type"], type);
                assert.strictEqual(read.headers!["x-content-type-options"], "nosniff");
                assert.strictEqual(read.headers!["content-disposition"], undefined);
            });
        }

        it("puts nosniff on every kind of answer", async () => {
            const answers = [
                await put("serve/any", "x"),
                await p.api(urlEvent("GET", "/objects", { query: "limit=1" }), lambdaContext()),
                await p.api(urlEvent("DELETE", "/objects/serve/any"), lambdaContext()),
                await p.api(urlEvent("GET", "/health"), lambdaContext()),
                await p.api(urlEvent("GET", "/nowhere"), lambdaContext()),
                await p.api(urlEvent("PATCH", "/health"), lambdaContext()),
                await s.api(urlEvent("PUT", "/objects/serve/any", { body: "x" }), lambdaContext()),
            ];
            for (const answer of answers) assert.strictEqual(answer.headers!["x-content-type-options"], "nosniff", String(answer.statusCode));
        });
    });

    describe("the route table", () => {
        it("allows exactly the documented methods on each route", async () => {
            const sample = (path: string) => path.replace("<key>", "route/sample");
            for (const route of ROUTES) {
                const documented = route.operations.map((op) => op.method as string);
                for (const method of ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"]) {
                    const result = await p.api(urlEvent(method, sample(route.path), { body: method === "PUT" ? "x" : undefined }), lambdaContext());
                    if (documented.includes(method)) assert.notStrictEqual(result.statusCode, 405, `${method} ${route.path}`);
                    else assert.strictEqual(result.statusCode, 405, `${method} ${route.path}`);
                }
            }
        });

        it("has the standby refuse every write it lists, and serve everything else", async () => {
            for (const route of ROUTES) {
                for (const op of route.operations) {
                    const result = await s.api(urlEvent(op.method, route.path.replace("<key>", "route/standby"), { body: op.method === "PUT" ? "x" : undefined }), lambdaContext());
                    if (op.write) assertErrorShape(result, 503, "standby_read_only");
                    else assert.ok(result.statusCode! < 500, `${op.method} ${route.path}: ${result.statusCode}`);
                }
            }
        });
    });

    describe("the storage class documents are written in (tandem:documentStorage)", () => {
        const storageClassOf = async (key: string) => (await s3.send(new s3sdk.HeadObjectCommand({ Bucket: primary.bucket, Key: PREFIX.objects + key }))).StorageClass;

        it("writes in S3 Standard as the program configures it by default (S3 leaves the class out for Standard)", async () => {
            assert.strictEqual(primary.functions.api.environment[ENV.storageClass], "STANDARD");
            assert.strictEqual((await put("class/standard.txt", "s")).statusCode, 201);
            assert.ok([undefined, "STANDARD"].includes(await storageClassOf("class/standard.txt")));
        });

        it("writes inline and presigned uploads in Intelligent-Tiering when told to, the bytes unchanged", async () => {
            const tiered = makeHandlers(moto.endpoint, primary, { [ENV.storageClass]: "INTELLIGENT_TIERING" });
            const body = randomBytes(200 * 1024);
            assert.strictEqual((await tiered.api(urlEvent("PUT", "/objects/class/inline.bin", { body }), lambdaContext())).statusCode, 201);
            assert.strictEqual(await storageClassOf("class/inline.bin"), "INTELLIGENT_TIERING");
            assert.ok(bodyBytes(await get("class/inline.bin")).equals(body));

            const upload = await tiered.api(urlEvent("POST", "/uploads/class/posted.bin", { body: JSON.stringify({ contentType: "application/octet-stream" }), base64: false }), lambdaContext());
            const { url, fields } = bodyJson<{ url: string; fields: Record<string, string> }>(upload);
            assert.strictEqual(fields["x-amz-storage-class"], "INTELLIGENT_TIERING");
            const form = new FormData();
            for (const [name, value] of Object.entries(fields)) form.append(name, value);
            form.append("file", new Blob([body]), "posted.bin");
            assert.strictEqual((await fetch(url, { method: "POST", body: form })).status, 204);
            // moto stores form uploads in Standard whatever the field says: a listed gap, and this fails once moto
            // stops. The field and its policy condition are checked in test/functions/protocol.test.ts.
            assert.ok(gap("post-storage-class"));
            assert.strictEqual(await storageClassOf("class/posted.bin"), undefined, 'moto now keeps the class of a POST upload: drop the gap "post-storage-class"');
        });

        it("refuses to start with a storage class it does not know, naming the variable", () => {
            assert.throws(() => makeHandlers(moto.endpoint, primary, { [ENV.storageClass]: "GLACIER" }), /TANDEM_STORAGE_CLASS="GLACIER" must be one of STANDARD, INTELLIGENT_TIERING/);
        });
    });

    describe("bad requests", () => {
        it("answers 303 for a document stored larger than the inline limit", async () => {
            const small = makeHandlers(moto.endpoint, primary, { [ENV.maxInlineBytes]: "1024" });
            await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/big/direct.bin", Body: randomBytes(2048) }));
            const read = await small.api(urlEvent("GET", "/objects/big/direct.bin"), lambdaContext());
            assert.strictEqual(read.statusCode, 303);
            assertErrorShape(await small.api(urlEvent("PUT", "/objects/big/x", { body: randomBytes(1025) }), lambdaContext()), 413, "payload_too_large");
            assert.strictEqual((await small.api(urlEvent("PUT", "/objects/big/x", { body: randomBytes(1024) }), lambdaContext())).statusCode, 201);
        });

        const cases: Array<[string, string, Parameters<typeof urlEvent>[2], number, string]> = [
            ["PUT", "/objects/a//b", { body: "x" }, 400, "bad_key"],
            ["PUT", "/objects/../etc/passwd", { body: "x" }, 400, "bad_key"],
            ["PUT", "/objects/a/%2E%2E/b", { body: "x" }, 400, "bad_key"],
            ["PUT", "/objects/a%00b", { body: "x" }, 400, "bad_key"],
            ["PUT", "/objects/line%0Abreak", { body: "x" }, 400, "bad_key"],
            ["PUT", "/objects/%E0%A4%A", { body: "x" }, 400, "bad_key"],
            ["PUT", "/objects/%ED%A0%80", { body: "x" }, 400, "bad_key"],
            ["PUT", "/objects/trailing/", { body: "x" }, 400, "bad_key"],
            ["PUT", `/objects/${"%C3%A9".repeat(507)}a`, { body: "x" }, 400, "bad_key"],
            ["GET", "/objects/%2Fleading", {}, 400, "bad_key"],
            ["PUT", "/objects/ct", { body: "x", headers: { "content-type": "not a type" } }, 415, "unsupported_media_type"],
            ["PUT", "/objects/ct", { body: "x", headers: { "content-type": "text/*" } }, 415, "unsupported_media_type"],
            ["PUT", "/objects/ct", { body: "x", headers: { "content-type": "text/plain\r\nx-evil: 1" } }, 415, "unsupported_media_type"],
            ["POST", "/uploads/u", { body: "not json", base64: false }, 400, "bad_request"],
            ["POST", "/uploads/u", { body: "[1]", base64: false }, 400, "bad_request"],
            ["POST", "/uploads/u", { body: '{"contentType":5}', base64: false }, 400, "bad_request"],
            ["POST", "/uploads/u", { body: '{"contentType":"nope"}', base64: false }, 415, "unsupported_media_type"],
            ["POST", "/uploads/u", { body: "x".repeat(5000), base64: false }, 413, "payload_too_large"],
            ["GET", "/objects/does/not/exist", {}, 404, "not_found"],
            ["GET", "/", {}, 404, "not_found"],
            ["GET", "/nothing", {}, 404, "not_found"],
            ["GET", "/objectsX/a", {}, 404, "not_found"],
            ["PATCH", "/objects/a", {}, 405, "method_not_allowed"],
            ["PUT", "/objects/", { body: "x" }, 400, "bad_key"],
            ["GET", "/objects/", {}, 400, "bad_key"],
            ["DELETE", "/objects/", {}, 400, "bad_key"],
            ["POST", "/uploads/", {}, 400, "bad_key"],
            ["PUT", "/health", { body: "x" }, 405, "method_not_allowed"],
            ["POST", "/uploads/u", { body: '{"contentType":"text/plain","size":5}', base64: false }, 400, "bad_request"],
            ["POST", "/objects", {}, 405, "method_not_allowed"],
            ["DELETE", "/health", {}, 405, "method_not_allowed"],
            ["GET", "/uploads/a", {}, 405, "method_not_allowed"],
            ["PUT", "/manifests/a", {}, 405, "method_not_allowed"],
        ];
        for (const [method, path, request, status, code] of cases) {
            it(`${method} ${path.length > 50 ? path.slice(0, 50) + "…" : path} → ${status} ${code}`, async () => {
                const result = await p.api(urlEvent(method, path, request), lambdaContext());
                assertErrorShape(result, status, code);
                if (status === 405) assert.match(String(result.headers!.allow), /^[A-Z, ]+$/);
            });
        }

        it("answers a refused HEAD with the status and headers alone", async () => {
            const missing = await p.api(urlEvent("HEAD", "/objects/does/not/exist"), lambdaContext());
            assert.strictEqual(missing.statusCode, 404);
            assert.strictEqual(missing.body, undefined);
            const wrong = await p.api(urlEvent("HEAD", "/uploads/a"), lambdaContext());
            assert.strictEqual(wrong.statusCode, 405);
            assert.strictEqual(wrong.headers!.allow, "POST");
            assert.strictEqual(wrong.body, undefined);
        });

        it("answers a malformed event (no method, no path) with 404, not an exception", async () => {
            const result = await p.api({} as never, undefined as never);
            assertErrorShape(result, 404, "not_found");
        });

        it("never writes anything for a rejected request", async () => {
            const listing = await s3.send(new s3sdk.ListObjectsV2Command({ Bucket: primary.bucket, Prefix: "objects/ct" }));
            assert.strictEqual(listing.KeyCount, 0);
        });
    });
});
