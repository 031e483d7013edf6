// The replication canary on a real S3 API (moto). moto never replicates and never reports a
// ReplicationStatus, so replication is played by the test: replicas are copied into the standby bucket,
// and the fault proxy adds the x-amz-replication-status header S3 would return on the primary.

import * as assert from "assert";
import type * as S3 from "@aws-sdk/client-s3";
import { createCanary, createLagReader, probeKey } from "../../functions/canary";
import { METRICS, PREFIX, SERVICES } from "../../functions/contract";
import { createLogger, createMetrics } from "../../functions/observability";
import { createS3Storage } from "../../functions/storage";
import { startFaultProxy, FaultProxy } from "../../tools/local/faultProxy";
import { serveFunctionUrl } from "../../tools/local/functionUrl";
import { bodyJson, captureFunctionOutput, emfLines, lambdaContext, linesSince, makeHandlers, outputMark, urlEvent } from "../support/lambda";
import { clientConfig, provisionApp, RegionFixture, useMoto } from "../../tools/local/emulator";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;

describe("functions: canary on moto", function () {
    const moto = useMoto();
    let primary: RegionFixture;
    let standby: RegionFixture;
    let s3: S3.S3Client;
    let proxy: FaultProxy;

    before(async () => {
        captureFunctionOutput();
        ({ primary, standby } = await provisionApp(moto.endpoint));
        s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, primary.region));
        proxy = await startFaultProxy(moto.endpoint);
    });
    after(async () => {
        s3?.destroy();
        await proxy?.close();
    });

    async function clearProbes(bucket: string) {
        const listed = await s3.send(new s3sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX.probes }));
        for (const o of listed.Contents ?? []) await s3.send(new s3sdk.DeleteObjectCommand({ Bucket: bucket, Key: o.Key! }));
    }

    async function seedProbe(bucket: string, writtenAt: number, region = "us-east-1"): Promise<string> {
        const key = probeKey(writtenAt, region, Math.random().toString(36).slice(2, 10));
        await s3.send(new s3sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: "{}", Metadata: { "written-at": new Date(writtenAt).toISOString() } }));
        return key;
    }

    /** The canary and lag reader from the plain modules, through the proxy, with a fixed clock. */
    function plainCanary(fixture: RegionFixture, now: number) {
        const client = new s3sdk.S3Client(clientConfig(proxy.endpoint, fixture.region));
        const storage = createS3Storage({ sdk: s3sdk, client, bucket: fixture.bucket });
        const logs: Array<Record<string, unknown>> = [];
        const emf: Array<Record<string, any>> = [];
        const log = createLogger({ service: SERVICES.canary, write: (l) => logs.push(JSON.parse(l)) });
        const metrics = createMetrics({ namespace: METRICS.namespace, service: SERVICES.canary, dimension: METRICS.serviceDimension, write: (l) => emf.push(JSON.parse(l)) });
        const canary = createCanary({ storage, role: fixture.role, region: fixture.region, log, metrics, now: () => now, nonce: () => "testtest" });
        const reader = createLagReader({ storage, role: fixture.role, now: () => now });
        return { canary, reader, logs, emf, close: () => client.destroy() };
    }

    const status = (keys: Record<string, string>) =>
        Object.entries(keys).map(([key, value]) => ({ match: (r: { method: string; path: string }) => r.method === "HEAD" && r.path.endsWith(`/${key}`), fault: { kind: "headers" as const, headers: { "x-amz-replication-status": value } } }));

    it("primary: writes a newest-first probe with its write time", async () => {
        await clearProbes(primary.bucket);
        const { canary } = makeHandlers(moto.endpoint, primary);
        const before = Date.now();
        const result = await canary({} as never, lambdaContext());
        const after = Date.now();
        assert.strictEqual(result.role, "primary");
        assert.match(result.probe!, /^canary\/probes\/\d{13}-us-east-1-[a-z0-9]{8}$/);
        const head = await s3.send(new s3sdk.HeadObjectCommand({ Bucket: primary.bucket, Key: result.probe! }));
        const writtenAt = Date.parse(head.Metadata!["written-at"]);
        assert.ok(writtenAt >= before && writtenAt <= after);
        assert.strictEqual(head.ServerSideEncryption, "aws:kms");
        const second = await canary({} as never, lambdaContext());
        const listed = await s3.send(new s3sdk.ListObjectsV2Command({ Bucket: primary.bucket, Prefix: PREFIX.probes }));
        assert.strictEqual(listed.Contents![0].Key, second.probe, "the newest probe lists first");
    });

    it("primary: without any replication status, publishes nothing and warns", async () => {
        const mark = outputMark();
        const { canary } = makeHandlers(moto.endpoint, primary);
        const result = await canary({} as never, lambdaContext());
        assert.strictEqual(result.lag, null);
        assert.match(result.reason!, /replication is not configured/);
        const lines = linesSince(mark);
        assert.deepStrictEqual(emfLines(lines), []);
        assert.ok(lines.some((l) => l.level === "WARN" && l.message === "no replication lag to publish"));
    });

    it("primary: the lag is the age of the newest probe whose replication COMPLETED", async () => {
        await clearProbes(primary.bucket);
        const now = Date.parse("2026-11-27T12:00:00.000Z");
        const oldest = await seedProbe(primary.bucket, now - 180_000);
        const completed = await seedProbe(primary.bucket, now - 120_000);
        const pending = await seedProbe(primary.bucket, now - 60_000);
        proxy.setRules(status({ [oldest]: "COMPLETED", [completed]: "COMPLETED", [pending]: "PENDING" }));
        const c = plainCanary(primary, now);
        try {
            const result = await c.canary({}, lambdaContext());
            assert.deepStrictEqual(result.lag, { seconds: 120, probeKey: completed, writtenAt: "2026-11-27T11:58:00.000Z", exact: true });
            assert.strictEqual(c.emf.length, 1);
            assert.strictEqual(c.emf[0].ReplicationLagSeconds, 120);
            // It stopped at the first COMPLETED probe: HEAD of the new probe, the pending one and that one.
            assert.strictEqual(proxy.seen.filter((r) => r.method === "HEAD").length, 3);
        } finally {
            c.close();
            proxy.setRules([]);
        }
    });

    it("primary: when nothing completed, publishes the age of the oldest pending probe as a lower bound", async () => {
        await clearProbes(primary.bucket);
        const now = Date.parse("2026-11-27T12:00:00.000Z");
        const a = await seedProbe(primary.bucket, now - 300_000);
        const b = await seedProbe(primary.bucket, now - 240_000);
        proxy.setRules(status({ [a]: "FAILED", [b]: "PENDING" }));
        const c = plainCanary(primary, now);
        try {
            const measured = await c.reader.measure();
            assert.deepStrictEqual(measured.reading, { seconds: 300, probeKey: a, writtenAt: "2026-11-27T11:55:00.000Z", exact: false });
            const result = await c.canary({}, lambdaContext());
            assert.strictEqual(result.lag!.seconds, 300);
            assert.strictEqual(c.emf[0].ReplicationLagSeconds, 300);
        } finally {
            c.close();
            proxy.setRules([]);
        }
    });

    it("standby: the lag is the age of the newest replica, published with exactly the alarm's dimension set", async () => {
        await clearProbes(standby.bucket);
        await seedProbe(standby.bucket, Date.now() - 300_000);
        const newest = await seedProbe(standby.bucket, Date.now() - 42_000);
        const { canary } = makeHandlers(moto.endpoint, standby);
        const mark = outputMark();
        const result = await canary({} as never, lambdaContext());
        assert.strictEqual(result.role, "standby");
        assert.strictEqual(result.probe, undefined, "a standby writes no probe");
        assert.strictEqual(result.lag!.probeKey, newest);
        assert.ok(result.lag!.seconds >= 42 && result.lag!.seconds < 50, String(result.lag!.seconds));
        const emf = emfLines(linesSince(mark));
        assert.strictEqual(emf.length, 1);
        const line = emf[0] as Record<string, any>;
        assert.deepStrictEqual(Object.keys(line).sort(), ["ReplicationLagSeconds", "_aws", "service"]);
        assert.strictEqual(line.service, "tandem-canary");
        assert.strictEqual(line.ReplicationLagSeconds, result.lag!.seconds);
        assert.deepStrictEqual(line._aws.CloudWatchMetrics, [
            { Namespace: "Tandem", Dimensions: [["service"]], Metrics: [{ Name: "ReplicationLagSeconds", Unit: "Seconds" }] },
        ]);
        assert.ok(Math.abs(line._aws.Timestamp - Date.now()) < 10_000);
        const listed = await s3.send(new s3sdk.ListObjectsV2Command({ Bucket: standby.bucket, Prefix: PREFIX.probes }));
        assert.strictEqual(listed.KeyCount, 2, "nothing written on the standby");

        // GET /health reads the same measurement.
        const health = bodyJson(await makeHandlers(moto.endpoint, standby).api(urlEvent("GET", "/health"), lambdaContext()));
        assert.ok(health.replicationLagSeconds >= 42 && health.replicationLagSeconds < 50);
    });

    describe("GET /health over HTTP (the local Function URL server)", () => {
        const ages = [5, 65, 125, 185, 245, 305, 365, 425, 485, 545];

        /** A fresh api container behind the local Function URL server, reaching S3 through the proxy. */
        async function healthServer() {
            const server = await serveFunctionUrl(0, makeHandlers(proxy.endpoint, primary).api, "tandem-api", 30_000, () => undefined);
            return {
                async get() {
                    const before = proxy.seen.length;
                    const response = await fetch(`${server.endpoint}/health`);
                    assert.strictEqual(response.status, 200);
                    const body = (await response.json()) as { replicationLagSeconds: number | null };
                    return { lag: body.replicationLagSeconds, s3Calls: proxy.seen.length - before };
                },
                close: () => server.close(),
            };
        }

        async function seedAll(): Promise<string[]> {
            await clearProbes(primary.bucket);
            const now = Date.now();
            return Promise.all(ages.map((age) => seedProbe(primary.bucket, now - age * 1000)));
        }

        it("costs at most 2 S3 calls per request in steady state (then reuses the measurement)", async () => {
            const keys = await seedAll();
            proxy.setRules(status(Object.fromEntries(keys.map((k) => [k, "COMPLETED"]))));
            const server = await healthServer();
            try {
                const answers = [];
                for (let i = 0; i < 10; i++) answers.push(await server.get());
                assert.ok(answers.every((a) => a.s3Calls <= 2), JSON.stringify(answers));
                assert.strictEqual(answers.reduce((n, a) => n + a.s3Calls, 0), 2, "one LIST and one HEAD for the canary period");
                assert.ok(answers[0].lag !== null && answers[0].lag >= 545, "a fresh container proves the oldest listed probe first");
            } finally {
                await server.close();
                proxy.setRules([]);
            }
        });

        it("costs at most 2 S3 calls per request when replication stalls, and shows the stall", async () => {
            const keys = await seedAll();
            proxy.setRules(status(Object.fromEntries(keys.map((k) => [k, "PENDING"]))));
            const server = await healthServer();
            try {
                const answers = [];
                for (let i = 0; i < 10; i++) answers.push(await server.get());
                assert.ok(answers.every((a) => a.s3Calls <= 2), JSON.stringify(answers));
                assert.ok(answers.every((a) => a.lag !== null && a.lag >= 545), "at least the age of the oldest pending probe");
                // The canary's full scan of the same bucket: one LIST and a HEAD per probe.
                const canary = plainCanary(primary, Date.now());
                const before = proxy.seen.length;
                await canary.reader.measure();
                assert.strictEqual(proxy.seen.length - before, 1 + ages.length);
                canary.close();
            } finally {
                await server.close();
                proxy.setRules([]);
            }
        });
    });

    it("standby: without any probe, publishes nothing and warns", async () => {
        await clearProbes(standby.bucket);
        const mark = outputMark();
        const result = await makeHandlers(moto.endpoint, standby).canary({} as never, lambdaContext());
        assert.strictEqual(result.lag, null);
        assert.strictEqual(result.reason, "no canary probe in the bucket");
        const lines = linesSince(mark);
        assert.deepStrictEqual(emfLines(lines), []);
        const warning = lines.find((l) => l.level === "WARN");
        assert.ok(warning);
        assert.strictEqual(warning.service, "tandem-canary");
        assert.strictEqual(typeof warning.requestId, "string");
    });
});
