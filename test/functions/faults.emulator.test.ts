// Faults between the functions and S3: the endpoint down, answering 500, stalling, dropping the
// connection or cutting a body short (a fault-injecting proxy in front of moto). The api must answer a
// clean 503 (never throw, never a partial 200); ingest and canary must fail with a retriable error;
// and nothing may be half-written — no object, no manifest.

import * as assert from "assert";
import { createHash, randomBytes } from "crypto";
import type * as S3 from "@aws-sdk/client-s3";
import { PREFIX } from "../../functions/contract";
import type { FunctionUrlResult } from "../../functions/http";
import { FaultProxy, startFaultProxy } from "../../tools/local/faultProxy";
import { bodyBytes, bodyJson, captureFunctionOutput, emfLines, lambdaContext, linesSince, makeHandlers, outputMark, s3Event, urlEvent } from "../support/lambda";
import { clientConfig, freePort, provisionApp, RegionFixture, useMoto } from "../../tools/local/emulator";
import { until } from "../support/poll";
import { takeUnhandledRejections } from "../support/unhandledRejections";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;

function assert503(result: FunctionUrlResult, code = "storage_unavailable") {
    assert.strictEqual(result.statusCode, 503, `expected 503, got ${result.statusCode} ${result.body}`);
    assert.strictEqual(bodyJson(result).error.code, code);
    assert.match(String(result.headers!["retry-after"]), /^\d+$/);
}

describe("functions: S3 faults", function () {
    const moto = useMoto();
    let primary: RegionFixture;
    let s3: S3.S3Client;
    let proxy: FaultProxy;
    let viaProxy: ReturnType<typeof makeHandlers>;

    before(async () => {
        captureFunctionOutput();
        ({ primary } = await provisionApp(moto.endpoint));
        s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, primary.region));
        proxy = await startFaultProxy(moto.endpoint);
        viaProxy = makeHandlers(proxy.endpoint, primary);
    });
    afterEach(() => proxy.setRules([]));
    after(async () => {
        s3?.destroy();
        await proxy?.close();
    });

    async function exists(key: string): Promise<boolean> {
        const listed = await s3.send(new s3sdk.ListObjectVersionsCommand({ Bucket: primary.bucket, Prefix: key }));
        return [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].some((v) => v.Key === key);
    }

    const put = (h: ReturnType<typeof makeHandlers>, key: string, body: Buffer | string, remainingMs = 30_000) =>
        h.api(urlEvent("PUT", `/objects/${key}`, { body }), lambdaContext(remainingMs));

    describe("S3 endpoint down (nothing listening)", () => {
        let down: ReturnType<typeof makeHandlers>;
        before(async () => {
            down = makeHandlers(`http://127.0.0.1:${await freePort()}`, primary);
        });

        const requests: Array<[string, string, string, string | undefined]> = [
            ["PUT", "/objects/down/doc", "", "x"],
            ["GET", "/objects/down/doc", "", undefined],
            ["DELETE", "/objects/down/doc", "", undefined],
            ["GET", "/objects", "limit=5", undefined],
            ["GET", "/manifests/down/doc", "", undefined],
            ["GET", "/health", "", undefined],
        ];
        for (const [method, path, query, body] of requests) {
            it(`api ${method} ${path} answers 503`, async () => {
                const mark = outputMark();
                assert503(await down.api(urlEvent(method, path, { query, body }), lambdaContext()));
                // Counted as a server-side failure for the alarm.
                const emf = emfLines(linesSince(mark));
                assert.strictEqual(emf.length, 1);
                assert.strictEqual((emf[0] as Record<string, unknown>).ApiServerErrors, 1);
                assert.deepStrictEqual((emf[0] as any)._aws.CloudWatchMetrics[0].Dimensions, [["service"]]);
            });
        }

        it("ingest fails with a retriable error and writes no manifest", async () => {
            await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/down/ingest", Body: "x" }));
            await assert.rejects(down.ingest(s3Event(primary.bucket, "objects/down/ingest"), lambdaContext()), /ingest failed for 1 of 1/);
            assert.strictEqual(await exists("manifests/down/ingest"), false);
        });

        it("canary fails (a Lambda error) and publishes nothing", async () => {
            const mark = outputMark();
            await assert.rejects(down.canary({} as never, lambdaContext()));
            assert.deepStrictEqual(emfLines(linesSince(mark)), []);
        });
    });

    describe("S3 answering 500", () => {
        it("api PUT answers 503 after the SDK's retries, and nothing is written", async () => {
            proxy.setRules([{ fault: { kind: "status", status: 500 } }]);
            const before = proxy.seen.length;
            assert503(await put(viaProxy, "err500/doc", "payload"));
            assert.strictEqual(proxy.seen.length - before, 3, "three attempts (maxAttempts 3)");
            proxy.setRules([]);
            assert.strictEqual(await exists("objects/err500/doc"), false);
        });

        it("api recovers once S3 does (a transient 503 SlowDown is retried)", async () => {
            proxy.setRules([{ fault: { kind: "status", status: 503 }, times: 1 }]);
            const created = await put(viaProxy, "err503/doc", "payload");
            assert.strictEqual(created.statusCode, 201);
            assert.strictEqual(bodyBytes(await viaProxy.api(urlEvent("GET", "/objects/err503/doc"), lambdaContext())).toString(), "payload");
        });

        it("ingest: a failing manifest PUT leaves no manifest, and the retry succeeds", async () => {
            await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/err500/ingest", Body: "ingest me" }));
            proxy.setRules([{ match: (r) => r.method === "PUT" && r.path.includes("/manifests/"), fault: { kind: "status", status: 500 } }]);
            const event = s3Event(primary.bucket, "objects/err500/ingest");
            await assert.rejects(viaProxy.ingest(event, lambdaContext()), (error: Error) => /ingest failed/.test(error.message));
            assert.strictEqual(await exists("manifests/err500/ingest"), false);
            proxy.setRules([]);
            const retried = await viaProxy.ingest(event, lambdaContext());
            assert.strictEqual(retried.records[0].outcome, "written");
            assert.strictEqual(await exists("manifests/err500/ingest"), true);
        });

        it("canary: a failing probe write still measures, then fails the invocation", async () => {
            proxy.setRules([{ match: (r) => r.method === "PUT", fault: { kind: "status", status: 500 } }]);
            await assert.rejects(viaProxy.canary({} as never, lambdaContext()), /PutObject failed/);
            const probes = await s3.send(new s3sdk.ListObjectsV2Command({ Bucket: primary.bucket, Prefix: PREFIX.probes }));
            assert.strictEqual(probes.KeyCount, 0);
        });
    });

    describe("S3 slow", () => {
        // What the proxy recorded, not the test's clock: each attempt the api made reached the proxy and
        // was abandoned by the api — its connection closed — before the proxy's delay sent it on to S3.
        it("api answers 503 within the Lambda's remaining time, and the stalled PUT never lands", async () => {
            const from = proxy.seen.length;
            proxy.setRules([{ match: (r) => r.method === "PUT", fault: { kind: "delay", ms: 2_500 } }]);
            assert503(await put(viaProxy, "slow/doc", "payload", 1_500));
            const puts = proxy.seen.slice(from).filter((r) => r.method === "PUT");
            assert.ok(puts.length >= 1);
            await until("the api's PUT connections to close", () => puts.every((r) => r.closedAt !== undefined), 2_000);
            assert.deepStrictEqual(puts.map((r) => r.forwardedAt), puts.map(() => undefined), "no PUT reached S3");
            const spanMs = Math.max(...puts.map((r) => r.closedAt!)) - puts[0].startedAt;
            assert.ok(spanMs < 1_500, `the api held S3 requests open for ${spanMs} ms of its 1500`);
            assert.strictEqual(await exists("objects/slow/doc"), false);
        });

        it("ingest gives up within its budget with a retriable error, writing no manifest", async () => {
            await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/slow/ingest", Body: "x" }));
            const from = proxy.seen.length;
            proxy.setRules([{ match: (r) => r.method === "GET" && r.path.includes("/objects/"), fault: { kind: "delay", ms: 5_000 } }]);
            await assert.rejects(viaProxy.ingest(s3Event(primary.bucket, "objects/slow/ingest"), lambdaContext(3_000)), /ingest failed/);
            const gets = proxy.seen.slice(from).filter((r) => r.method === "GET" && r.path.includes("/objects/"));
            assert.ok(gets.length >= 1);
            await until("ingest's GET connections to close", () => gets.every((r) => r.closedAt !== undefined), 2_000);
            const spanMs = Math.max(...gets.map((r) => r.closedAt!)) - gets[0].startedAt;
            assert.ok(spanMs < 3_000, `ingest held its GETs open for ${spanMs} ms of its 3000`);
            assert.strictEqual(await exists("manifests/slow/ingest"), false);
        });
    });

    describe("connections dropped and bodies cut short", () => {
        it("api: a dropped connection on every attempt answers 503", async () => {
            proxy.setRules([{ fault: { kind: "reset" } }]);
            assert503(await viaProxy.api(urlEvent("GET", "/objects/anything"), lambdaContext()));
        });

        it("api GET never answers a truncated document", async () => {
            const body = randomBytes(512 * 1024);
            await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/cut/doc", Body: body }));
            proxy.setRules([{ match: (r) => r.method === "GET" && r.path.endsWith("/objects/cut/doc"), fault: { kind: "truncate", afterBytes: 100_000 } }]);
            const result = await viaProxy.api(urlEvent("GET", "/objects/cut/doc"), lambdaContext());
            assert503(result);
            proxy.setRules([]);
            const whole = await viaProxy.api(urlEvent("GET", "/objects/cut/doc"), lambdaContext());
            assert.ok(bodyBytes(whole).equals(body));
        });

        it("api GET: a body that stalls half-way fails on the socket timeout (5 s), not on the Lambda's", async () => {
            const body = randomBytes(256 * 1024);
            await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/stall/doc", Body: body }));
            proxy.setRules([{ match: (r) => r.method === "GET" && r.path.endsWith("/objects/stall/doc"), fault: { kind: "stall", afterBytes: 100_000 } }]);
            const from = proxy.seen.length;
            assert503(await viaProxy.api(urlEvent("GET", "/objects/stall/doc"), lambdaContext(60_000)));
            const gets = proxy.seen.slice(from).filter((r) => r.path.endsWith("/objects/stall/doc"));
            await until("the api's GET connections to close", () => gets.every((r) => r.closedAt !== undefined), 2_000);
            // From the last byte the proxy sent to the api closing the connection: the socket timeout.
            for (const get of gets) {
                assert.strictEqual(get.bytes, 100_000);
                const silentMs = get.closedAt! - get.endedAt!;
                assert.ok(silentMs >= 4_500 && silentMs < 10_000, `the api waited ${silentMs} ms on a silent socket`);
            }
        });

        it("ingest: a body cut short once is resumed from where it was cut, to the right digest", async () => {
            const body = randomBytes(3 * 1024 * 1024);
            await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/cut/once", Body: body }));
            const from = proxy.seen.length;
            proxy.setRules([{ match: (r) => r.method === "GET" && r.path.endsWith("/objects/cut/once"), times: 1, fault: { kind: "truncate", afterBytes: 1_000_000 } }]);
            assert.strictEqual((await viaProxy.ingest(s3Event(primary.bucket, "objects/cut/once"), lambdaContext())).records[0].outcome, "written");
            const manifest = JSON.parse(await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: primary.bucket, Key: "manifests/cut/once" }))).Body!.transformToString());
            assert.strictEqual(manifest.sha256, createHash("sha256").update(body).digest("hex"));
            assert.strictEqual(manifest.size, body.length);
            const gets = proxy.seen.slice(from).filter((r) => r.method === "GET" && r.path.endsWith("/objects/cut/once"));
            assert.strictEqual(gets.length, 2);
            assert.match(gets[1].range ?? "", new RegExp(`^bytes=[1-9]\\d*-${body.length - 1}$`), "the second GET asks for the rest only");
        });

        it("ingest: a body cut short on every attempt writes no manifest, and fails the record retriably", async () => {
            const body = randomBytes(3 * 1024 * 1024);
            await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/cut/ingest", Body: body }));
            proxy.setRules([{ match: (r) => r.method === "GET" && r.path.endsWith("/objects/cut/ingest"), fault: { kind: "truncate", afterBytes: 100_000 } }]);
            const event = s3Event(primary.bucket, "objects/cut/ingest");
            await assert.rejects(viaProxy.ingest(event, lambdaContext()), /ingest failed/);
            assert.strictEqual(await exists("manifests/cut/ingest"), false);
            proxy.setRules([]);
            assert.strictEqual((await viaProxy.ingest(event, lambdaContext())).records[0].outcome, "written");
            const manifest = JSON.parse(await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: primary.bucket, Key: "manifests/cut/ingest" }))).Body!.transformToString());
            assert.strictEqual(manifest.sha256, createHash("sha256").update(body).digest("hex"));
            assert.strictEqual(manifest.size, body.length);
        });
    });

    describe("ingest's GET of the document, sent with the manifest lookup", () => {
        const objectGets = (key: string, from: number) => proxy.seen.slice(from).filter((r) => r.method === "GET" && r.path.endsWith(`/objects/${key}`));

        it("is abandoned unread for a version already ingested: the connection is dropped, not drained", async () => {
            const body = randomBytes(16 * 1024 * 1024);
            const versionId = (await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/dup/doc", Body: body }))).VersionId!;
            const event = s3Event(primary.bucket, "objects/dup/doc", { versionId });
            assert.strictEqual((await viaProxy.ingest(event, lambdaContext())).records[0].outcome, "written");
            const from = proxy.seen.length;
            assert.strictEqual((await viaProxy.ingest(event, lambdaContext())).records[0].outcome, "unchanged");
            const [get] = objectGets("dup/doc", from);
            assert.ok(get, "the document's GET went out with the lookup");
            await until("the abandoned GET's connection to close", () => get.closedAt !== undefined || get.endedAt !== undefined, 2_000);
            assert.ok(get.bytes < body.length, `${get.bytes} of ${body.length} bytes were sent for a duplicate event`);
            const versions = await s3.send(new s3sdk.ListObjectVersionsCommand({ Bucket: primary.bucket, Prefix: "manifests/dup/doc" }));
            assert.strictEqual(versions.Versions?.length, 1, "one manifest written");
        });

        it("that fails while the lookup is still out is not an unhandled rejection (Lambda's runtime aborts the invocation on one)", async () => {
            await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/get500/doc", Body: "ingest me" }));
            proxy.setRules([
                { match: (r) => r.method === "GET" && r.path.includes("/manifests/"), fault: { kind: "delay", ms: 1_500 } },
                { match: (r) => r.method === "GET" && r.path.endsWith("/objects/get500/doc"), fault: { kind: "status", status: 500 } },
            ]);
            await takeUnhandledRejections();
            await assert.rejects(viaProxy.ingest(s3Event(primary.bucket, "objects/get500/doc"), lambdaContext()), /ingest failed for 1 of 1.*InternalError/);
            assert.deepStrictEqual(await takeUnhandledRejections(), []);
            assert.strictEqual(await exists("manifests/get500/doc"), false);
        });

        it("does not outlive a lookup that fails: the record fails retriably, nothing is written, and the retry succeeds", async () => {
            await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/lookup500/doc", Body: "ingest me" }));
            const from = proxy.seen.length;
            proxy.setRules([{ match: (r) => r.method === "GET" && r.path.includes("/manifests/"), fault: { kind: "status", status: 500 } }]);
            const event = s3Event(primary.bucket, "objects/lookup500/doc");
            await assert.rejects(viaProxy.ingest(event, lambdaContext()), /ingest failed for 1 of 1/);
            assert.strictEqual(objectGets("lookup500/doc", from).length, 1, "the document's GET went out with the lookup");
            assert.strictEqual(await exists("manifests/lookup500/doc"), false);
            proxy.setRules([]);
            assert.strictEqual((await viaProxy.ingest(event, lambdaContext())).records[0].outcome, "written");
        });
    });

    describe("a concurrent manifest writer", () => {
        it("makes ingest's conditional write fail, and ingest decides again on what is there now", async () => {
            const v1 = (await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/cc/doc", Body: "one" }))).VersionId!;
            const v2 = (await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/cc/doc", Body: "two" }))).VersionId!;
            const manifestPuts = () => proxy.seen.filter((r) => r.method === "PUT" && r.path.endsWith("/manifests/cc/doc")).length;
            // While ingest (for v1) is about to write, another invocation writes the manifest of v2.
            proxy.setRules([
                {
                    match: (r) => r.method === "PUT" && r.path.endsWith("/manifests/cc/doc"),
                    times: 1,
                    fault: {
                        kind: "before",
                        run: async () => {
                            const other = makeHandlers(moto.endpoint, primary);
                            const result = await other.ingest(s3Event(primary.bucket, "objects/cc/doc", { versionId: v2, sequencer: "00B2" }), lambdaContext());
                            assert.strictEqual(result.records[0].outcome, "written");
                        },
                    },
                },
            ]);
            const result = await viaProxy.ingest(s3Event(primary.bucket, "objects/cc/doc", { versionId: v1, sequencer: "00B1" }), lambdaContext());
            assert.strictEqual(result.records[0].outcome, "stale", JSON.stringify(result));
            assert.strictEqual(manifestPuts(), 1, "its one conditional PUT was refused (412), then it saw the newer manifest");
            const manifest = JSON.parse(await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: primary.bucket, Key: "manifests/cc/doc" }))).Body!.transformToString());
            assert.strictEqual(manifest.versionId, v2);
        });
    });
});
