// The api on a real S3 API (moto): the handler built by apiCallbackFactory with the environment the
// infrastructure sets, against buckets and keys configured as the program configures them.

import * as assert from "assert";
import { createHash, randomBytes } from "crypto";
import type * as S3 from "@aws-sdk/client-s3";
import { ENV, PREFIX } from "../../functions/contract";
import { encodeKeyPath } from "../../functions/http";
import { bodyBytes, bodyJson, captureFunctionOutput, lambdaContext, makeHandlers, s3Event, urlEvent } from "../support/lambda";
import { clientConfig, provisionApp, RegionFixture, useMoto } from "../../tools/local/emulator";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;

type Handlers = ReturnType<typeof makeHandlers>;

function assertErrorShape(result: { statusCode?: number; headers?: Record<string, unknown>; body?: string }, status: number, code: string): { code: string; message: string } {
    assert.strictEqual(result.statusCode, status, `expected ${status} ${code}, got ${result.statusCode} ${result.body}`);
    assert.match(String(result.headers?.["content-type"]), /^application\/json/);
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
                assert.strictEqual(created.headers!.location, `/objects/${encodeKeyPath(key)}`);

                const read = await get(key);
                assert.strictEqual(read.statusCode, 200);
                assert.ok(bodyBytes(read).equals(body), "the bytes read back differ");
                assert.strictEqual(read.headers!["content-type"], contentType);
                assert.strictEqual(read.headers!.etag, answer.etag);
                assert.strictEqual(read.headers!["x-tandem-version-id"], answer.versionId);

                // Stored as the program configures the bucket: SSE-KMS with the region key and a bucket key.
                const head = await s3.send(new s3sdk.HeadObjectCommand({ Bucket: primary.bucket, Key: PREFIX.objects + key }));
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

        it("goes through presigned URLs for a 10 MiB body: POST /uploads, PUT to the URL, GET answers 303", async () => {
            const key = "large/ten-mebibytes.bin";
            const body = randomBytes(10 * 1024 * 1024);
            const tooBig = await put(key, body);
            const error = assertErrorShape(tooBig, 413, "payload_too_large");
            assert.match(error.message, /POST \/uploads\/large\/ten-mebibytes\.bin/);

            const upload = await p.api(urlEvent("POST", `/uploads/${encodeKeyPath(key)}`, { body: JSON.stringify({ contentType: "application/x-large" }), base64: false }), lambdaContext());
            assert.strictEqual(upload.statusCode, 200, upload.body);
            const { url, headers, expiresAt } = bodyJson<{ url: string; headers: Record<string, string>; expiresAt: string }>(upload);
            assert.deepStrictEqual(Object.keys(bodyJson(upload)).sort(), ["expiresAt", "headers", "url"]);
            assert.deepStrictEqual(headers, { "content-type": "application/x-large" });
            const expires = Date.parse(expiresAt) - Date.now();
            assert.ok(expires > 890_000 && expires <= 900_000, `expiresAt ${expiresAt}`);
            const signed = new URL(url);
            assert.strictEqual(signed.searchParams.get("X-Amz-Expires"), "900");
            assert.strictEqual(signed.searchParams.get("X-Amz-SignedHeaders"), "content-type;host", "the content type is signed");
            assert.strictEqual(signed.searchParams.get("x-amz-checksum-crc32"), null, "no checksum of an empty body in the URL (real S3 would reject the upload)");

            const uploaded = await fetch(url, { method: "PUT", headers, body });
            assert.strictEqual(uploaded.status, 200, await uploaded.text());

            const read = await get(key);
            assertRedirect(read);
            const location = String(read.headers!.location);
            assert.strictEqual(bodyJson(read).url, location);
            const downloaded = await fetch(location);
            assert.strictEqual(downloaded.status, 200);
            assert.strictEqual(downloaded.headers.get("content-type"), "application/x-large");
            const bytes = Buffer.from(await downloaded.arrayBuffer());
            assert.strictEqual(bytes.length, body.length);
            assert.strictEqual(createHash("sha256").update(bytes).digest("hex"), createHash("sha256").update(body).digest("hex"));
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
            const all = bodyJson<{ items: Array<{ key: string }> }>(await p.api(urlEvent("GET", "/objects/"), lambdaContext()));
            assert.deepStrictEqual(all.items.map((i) => i.key), body.items.map((i) => i.key));
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
            assert.deepStrictEqual(Object.keys(m).sort(), ["contentType", "key", "processedAt", "sha256", "size", "versionId"]);
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
            ["HEAD", "/objects/a", {}, 405, "method_not_allowed"],
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
