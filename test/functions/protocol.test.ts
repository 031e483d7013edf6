// Unit tests of the protocol pieces the api relies on: SigV4 presigning against AWS's own examples, the
// local Function URL's body encoding, the integrity and safe-serving rules, the route table, and the
// bounded cost of the lag /health reports.

import * as assert from "assert";
import { createLagTracker, probeKey } from "../../functions/canary";
import { CANARY_PERIOD_SECONDS, PREFIX } from "../../functions/contract";
import { documentHeaders, isPassiveType } from "../../functions/http";
import { reencodingSign } from "../../functions/integrity";
import { matchRoute, renderRouteTable, ROUTES } from "../../functions/routes";
import { bucketAddress, presignedPost, presignedUrl, signPolicy, uriEncode } from "../../functions/sigv4";
import type { Storage } from "../../functions/storage";
import { storageError } from "../../functions/storage";
import { eventBody, isTextContentType } from "../../tools/local/functionUrl";

// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html and sigv4-post-example.html
const EXAMPLE_CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const EXAMPLE_POLICY =
    "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";

describe("functions: SigV4 presigning (AWS's documented examples)", () => {
    it("signs the documented presigned GET exactly", () => {
        const url = presignedUrl({ method: "GET", origin: "https://examplebucket.s3.amazonaws.com", path: "/test.txt", credentials: EXAMPLE_CREDENTIALS, region: "us-east-1", amzDate: "20130524T000000Z", expiresIn: 86400 });
        assert.strictEqual(
            url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
        );
    });

    it("signs the documented POST policy exactly", () => {
        assert.strictEqual(signPolicy(EXAMPLE_POLICY, EXAMPLE_CREDENTIALS.secretAccessKey, "20151229", "us-east-1"), "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e");
    });

    it("signs the method and the session token: a HEAD URL is not a GET URL", () => {
        const base = { origin: "https://b.s3.us-east-1.amazonaws.com", path: "/k", region: "us-east-1", amzDate: "20261130T000000Z", expiresIn: 60 };
        const withToken = { ...EXAMPLE_CREDENTIALS, sessionToken: "token/with+chars=" };
        const get = new URL(presignedUrl({ ...base, method: "GET", credentials: withToken }));
        const head = new URL(presignedUrl({ ...base, method: "HEAD", credentials: withToken }));
        assert.notStrictEqual(get.searchParams.get("X-Amz-Signature"), head.searchParams.get("X-Amz-Signature"));
        assert.strictEqual(get.searchParams.get("X-Amz-Security-Token"), "token/with+chars=");
    });

    it("builds a POST policy that fixes the key, the type and the size, with a condition for every field", () => {
        const post = presignedPost({ bucket: "b", key: "objects/a b/ü.bin", contentType: "image/png", maxBytes: 1000, credentials: { ...EXAMPLE_CREDENTIALS, sessionToken: "tok" }, region: "eu-west-1", amzDate: "20261130T101500Z", expiresAt: Date.parse("2026-11-30T10:30:00Z") });
        assert.deepStrictEqual(JSON.parse(Buffer.from(post.fields.Policy, "base64").toString("utf8")), post.policy);
        assert.strictEqual(post.policy.expiration, "2026-11-30T10:30:00.000Z");
        assert.deepStrictEqual(post.policy.conditions, [
            { bucket: "b" },
            ["eq", "$key", "objects/a b/ü.bin"],
            ["eq", "$Content-Type", "image/png"],
            ["content-length-range", 0, 1000],
            { "x-amz-algorithm": "AWS4-HMAC-SHA256" },
            { "x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20261130/eu-west-1/s3/aws4_request" },
            { "x-amz-date": "20261130T101500Z" },
            { "x-amz-security-token": "tok" },
        ]);
        assert.strictEqual(post.fields["X-Amz-Signature"], signPolicy(post.fields.Policy, EXAMPLE_CREDENTIALS.secretAccessKey, "20261130", "eu-west-1"));
        // S3: every form field except the signature, the policy and the file must have a condition.
        const covered = post.policy.conditions.map((c) => (Array.isArray(c) ? String(c[1]).replace(/^\$/, "") : Object.keys(c)[0]).toLowerCase());
        for (const field of Object.keys(post.fields)) {
            if (["policy", "x-amz-signature"].includes(field.toLowerCase())) continue;
            assert.ok(covered.includes(field.toLowerCase()), `${field} has no condition`);
        }
    });

    it("names the storage class in a field and a condition when one is asked for, and only then", () => {
        const input = { bucket: "b", key: "objects/k", contentType: "text/plain", maxBytes: 10, credentials: EXAMPLE_CREDENTIALS, region: "eu-west-1", amzDate: "20261130T101500Z", expiresAt: Date.parse("2026-11-30T10:30:00Z") };
        const tiered = presignedPost({ ...input, storageClass: "INTELLIGENT_TIERING" });
        assert.strictEqual(tiered.fields["x-amz-storage-class"], "INTELLIGENT_TIERING");
        // S3 refuses a form whose field differs from the policy's exact-match condition, so a client cannot pick another class.
        assert.ok(tiered.policy.conditions.some((c) => !Array.isArray(c) && c["x-amz-storage-class"] === "INTELLIGENT_TIERING"));
        const plain = presignedPost(input);
        assert.ok(!("x-amz-storage-class" in plain.fields));
        assert.ok(!JSON.stringify(plain.policy).includes("storage-class"));
    });

    it("addresses buckets virtual-hosted on AWS and path-style under an endpoint", () => {
        assert.deepStrictEqual(bucketAddress("tandem-data", "us-west-2"), { origin: "https://tandem-data.s3.us-west-2.amazonaws.com", pathPrefix: "/" });
        assert.deepStrictEqual(bucketAddress("a.b", "us-west-2"), { origin: "https://s3.us-west-2.amazonaws.com", pathPrefix: "/a.b/" });
        assert.deepStrictEqual(bucketAddress("bkt", "us-east-1", "http://127.0.0.1:4566"), { origin: "http://127.0.0.1:4566", pathPrefix: "/bkt/" });
        assert.strictEqual(uriEncode("objects/a b/ü~+*", true), "objects/a%20b/%C3%BC~%2B%2A");
    });
});

describe("local Function URL: which bodies arrive as text", () => {
    const cases: Array<[string | undefined, boolean]> = [
        ["text/plain", true],
        ["TEXT/HTML; charset=utf-8", true],
        ["text/csv; charset=iso-8859-1", true],
        ["application/json", true],
        ["application/json; charset=utf-8", true],
        ["application/xml", true],
        ["application/javascript", true],
        ["application/vnd.api+json", false],
        ["application/x-www-form-urlencoded", false],
        ["application/octet-stream", false],
        ["image/svg+xml", false],
        [undefined, false],
        ["", false],
    ];
    for (const [type, text] of cases) {
        it(`${JSON.stringify(type)} → ${text ? "a UTF-8 string" : "base64"}`, () => {
            assert.strictEqual(isTextContentType(type), text);
            const body = eventBody(type, Buffer.from("abc"));
            assert.strictEqual(body.isBase64Encoded, !text);
            assert.strictEqual(body.body, text ? "abc" : "YWJj");
        });
    }

    it("turns bytes that are not UTF-8 into U+FFFD in a text body, and leaves a binary body exact", () => {
        const bytes = Buffer.from([0x61, 0xff, 0xc3, 0x28]);
        assert.strictEqual(eventBody("text/plain", bytes).body, "a\ufffd\ufffd(");
        assert.ok(Buffer.from(eventBody("application/octet-stream", bytes).body!, "base64").equals(bytes));
        assert.deepStrictEqual(eventBody("text/plain", Buffer.alloc(0)), { isBase64Encoded: false });
    });
});

describe("functions: integrity and safe-serving rules", () => {
    it("sees the signs of a re-encoded text body", () => {
        assert.strictEqual(reencodingSign("plain ✓", "text/plain"), undefined);
        assert.strictEqual(reencodingSign("plain", "text/plain; charset=UTF-8"), undefined);
        assert.strictEqual(reencodingSign("plain", 'text/plain; charset="us-ascii"'), undefined);
        assert.match(reencodingSign("a\ufffdb", "text/plain")!, /U\+FFFD/);
        assert.match(reencodingSign("café", "text/csv; charset=iso-8859-1")!, /charset is iso-8859-1/);
        assert.match(reencodingSign("x", "application/json;charset=utf-16")!, /utf-16/);
    });

    it("serves inline only what a browser merely displays", () => {
        for (const type of ["image/png", "IMAGE/JPEG", "text/plain; charset=utf-8", "application/json", "video/mp4", "audio/ogg", "text/csv"]) assert.ok(isPassiveType(type), type);
        for (const type of ["text/html", "image/svg+xml", "application/xml", "text/xml", "application/javascript", "text/javascript", "application/pdf", "application/xhtml+xml", "text/plain, text/html", "", undefined]) {
            assert.ok(!isPassiveType(type), String(type));
        }
        assert.deepStrictEqual(documentHeaders("d/x.png", "image/png"), { "content-type": "image/png" });
        const html = documentHeaders("d/é \"q\".html", "text/html");
        assert.strictEqual(html["content-disposition"], `attachment; filename="___q_.html"; filename*=UTF-8''%C3%A9%20%22q%22.html`);
        assert.match(html["content-security-policy"], /^sandbox;/);
        assert.strictEqual(documentHeaders("k", undefined)["content-type"], "application/octet-stream");
    });
});

describe("functions: the route table", () => {
    it("matches exact paths and key prefixes, keeping the key encoded", () => {
        assert.strictEqual(matchRoute("/health")?.route.name, "health");
        assert.strictEqual(matchRoute("/objects")?.route.name, "list");
        assert.deepStrictEqual({ name: matchRoute("/objects/a%2Fb")?.route.name, key: matchRoute("/objects/a%2Fb")?.rawKey }, { name: "object", key: "a%2Fb" });
        assert.strictEqual(matchRoute("/objects/")?.rawKey, "", "an empty key, refused as bad_key");
        assert.strictEqual(matchRoute("/uploads/x")?.route.name, "upload");
        assert.strictEqual(matchRoute("/manifests/x")?.route.name, "manifest");
        for (const path of ["/", "", "/health/", "/HEALTH", "/objectsX", "//objects/a"]) assert.strictEqual(matchRoute(path), undefined, path);
    });

    it("renders one documented row per operation", () => {
        const rows = renderRouteTable().split("\n").slice(2);
        assert.strictEqual(rows.length, ROUTES.reduce((n, r) => n + r.operations.length, 0));
        assert.ok(rows.every((row) => /^\| `(GET|HEAD|PUT|DELETE|POST) \/[^`]*` \| (both|primary only) \| .+ \|$/.test(row)), rows.join("\n"));
    });
});

describe("functions: /health's lag costs at most 2 S3 calls", () => {
    const now = Date.parse("2026-11-30T12:00:00.000Z");

    /** A bucket of probes whose replication status the test sets; counts the S3 calls. */
    function probeBucket(ages: number[], status: (key: string) => string | undefined) {
        const keys = ages.map((age, i) => probeKey(now - age * 1000, "us-east-1", `n${i}`)).sort();
        const calls: string[] = [];
        const storage = {
            bucket: "b",
            async list(prefix: string, options: { maxKeys: number }) {
                calls.push("LIST");
                assert.strictEqual(prefix, PREFIX.probes);
                return { items: keys.slice(0, options.maxKeys).map((key) => ({ key, size: 2 })), truncated: keys.length > options.maxKeys };
            },
            async head(key: string) {
                calls.push("HEAD");
                if (!keys.includes(key)) throw storageError("not_found", "gone");
                return { key, size: 2, metadata: {}, replicationStatus: status(key) };
            },
        } as unknown as Storage;
        return { keys, calls, storage };
    }

    let clock = now;
    const tracker = (storage: Storage, role: "primary" | "standby" = "primary") => createLagTracker({ storage, role, now: () => clock, reuseMs: CANARY_PERIOD_SECONDS * 1000 });
    beforeEach(() => (clock = now));

    it("steady state: exact, one LIST and one HEAD, then nothing for a canary period", async () => {
        const b = probeBucket([5, 65, 125], () => "COMPLETED");
        const lag = tracker(b.storage);
        const first = await lag.measure();
        assert.deepStrictEqual({ seconds: first.reading?.seconds, exact: first.reading?.exact }, { seconds: 125, exact: false }, "a fresh container first proves the oldest listed probe replicated");
        const second = await lag.measure();
        assert.strictEqual(second.reading?.seconds, 125, "reused");
        assert.deepStrictEqual(b.calls, ["LIST", "HEAD"]);
        clock += CANARY_PERIOD_SECONDS * 1000;
        const third = await lag.measure();
        assert.deepStrictEqual({ seconds: third.reading?.seconds, exact: third.reading?.exact }, { seconds: 65, exact: true });
        assert.deepStrictEqual(b.calls, ["LIST", "HEAD", "LIST", "HEAD"]);
    });

    it("stalled replication: a lag that keeps growing, still at most 2 calls per measurement", async () => {
        let stalledAfter = Infinity;
        const b = probeBucket([5, 65, 125, 185, 245], (key) => (Number(key.slice(PREFIX.probes.length, PREFIX.probes.length + 13)) >= stalledAfter ? "COMPLETED" : "PENDING"));
        // Probes written after a minute ago stay PENDING (reverse timestamps: older probes sort later).
        stalledAfter = Number(b.keys[2].slice(PREFIX.probes.length, PREFIX.probes.length + 13));
        const lag = tracker(b.storage);
        await lag.measure();
        clock += CANARY_PERIOD_SECONDS * 1000;
        const stalled = await lag.measure();
        assert.strictEqual(stalled.reading?.exact, false);
        assert.strictEqual(stalled.reading?.seconds, 245 + CANARY_PERIOD_SECONDS, "the age of the newest probe known to have replicated");
        clock += 10 * CANARY_PERIOD_SECONDS * 1000;
        assert.strictEqual((await lag.measure()).reading?.seconds, 245 + 11 * CANARY_PERIOD_SECONDS);
        assert.ok(b.calls.join(",").split("LIST").every((part) => (part.match(/HEAD/g) ?? []).length <= 1));
        assert.strictEqual(b.calls.length, 6);
    });

    it("a fresh container during a stall reports at least the age of the oldest listed probe", async () => {
        const b = probeBucket([5, 65, 125, 600], () => "PENDING");
        const measured = await tracker(b.storage).measure();
        assert.deepStrictEqual({ seconds: measured.reading?.seconds, exact: measured.reading?.exact }, { seconds: 600, exact: false });
        assert.deepStrictEqual(b.calls, ["LIST", "HEAD"]);
    });

    it("no status (replication off), no probe, a probe expired meanwhile, and the standby's one LIST", async () => {
        assert.match((await tracker(probeBucket([5], () => undefined).storage).measure()).reason!, /replication is not configured/);
        assert.strictEqual((await tracker(probeBucket([], () => "COMPLETED").storage).measure()).reason, "no canary probe in the bucket");
        const standby = probeBucket([42, 100], () => undefined);
        const measured = await tracker(standby.storage, "standby").measure();
        assert.deepStrictEqual({ seconds: measured.reading?.seconds, exact: measured.reading?.exact }, { seconds: 42, exact: true });
        assert.deepStrictEqual(standby.calls, ["LIST"]);
    });
});
