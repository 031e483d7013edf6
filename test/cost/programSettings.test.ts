// The cost model reads the program's real settings: change a setting through the stack
// configuration and the line it drives changes by the right amount, and nothing else moves.
import { strict as assert } from "assert";
import { estimate, Estimate } from "../../tools/cost/estimate";
import { loadPriceBook, RegionPrices } from "../../tools/cost/priceBook";
import { stackSettings, StackSettings } from "../../tools/cost/stackSettings";
import { resolveUsage } from "../../tools/cost/usage";
import { evaluateStack } from "../../tools/engine/evaluate";
import { DAYS_PER_MONTH } from "../../tools/cost/stackSettings";
import { TYPES } from "../../tools/engine/resourceTypes";
import { evaluatedStack } from "../support/evaluatedStacks";

const book = loadPriceBook();
const close = (actual: number, expected: number, what: string) =>
    assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} != ${expected}`);
const byId = (e: Estimate) => new Map(e.lines.map((l) => [l.id, l]));

describe("cost: settings read from the evaluated program", function () {
    let prod: StackSettings;
    let dr: StackSettings;
    let changed: StackSettings;

    before(async () => {
        prod = stackSettings(await evaluatedStack("prod"));
        dr = stackSettings(await evaluatedStack("dr"));
        changed = stackSettings(await evaluateStack("prod", {
            config: {
                "tandem:apiMemoryMb": "1024",
                "tandem:logRetentionDays": "90",
                "tandem:replicationTimeControl": "true",
                "tandem:alarmEmails": JSON.stringify(["oncall@example.com", "lead@example.com"]),
            },
        }));
    });

    it("reads each function's memory, architecture, timeout, concurrency, retries, logs and trigger", () => {
        const api = prod.functions.find((f) => f.name === "api")!;
        assert.deepEqual(
            { memory: api.memoryMb, arch: api.architecture, timeout: api.timeoutSeconds, reserved: api.reservedConcurrency, tracing: api.tracing, env: api.environmentKms, trigger: api.trigger.kind },
            { memory: 512, arch: "arm64", timeout: 10, reserved: 50, tracing: true, env: true, trigger: "http" },
        );
        assert.deepEqual(api.logGroup, { name: "/aws/lambda/tandem-api", retentionDays: 30, kms: true });
        const canary = prod.functions.find((f) => f.name === "canary")!;
        assert.deepEqual(canary.trigger, { kind: "schedule", expression: "rate(1 minute)", runsPerMonth: 43_800 });
        assert.equal(canary.asyncRetries, 0);
        const ingest = prod.functions.find((f) => f.name === "ingest")!;
        assert.deepEqual(ingest.trigger, { kind: "objectCreated", bucket: "documents-data", prefix: "objects/" });
        assert.equal(ingest.asyncRetries, 2);
        assert.equal(ingest.failureQueue, "ingest-failures");
    });

    it("reads the buckets' encryption, Bucket Keys, lifecycle and replication", () => {
        const data = prod.buckets.find((b) => b.name === "documents-data")!;
        assert.equal(data.sseKms && data.bucketKey && data.versioning, true);
        assert.deepEqual(data.lifecycle, { noncurrentVersionDays: 30 });
        assert.equal(data.writeStorageClass, "STANDARD");
        const logs = prod.buckets.find((b) => b.name === "documents-access-logs")!;
        assert.equal(logs.sseKms, false);
        assert.equal(logs.lifecycle.expirationDays, 365);
        assert.equal(data.accessLogTarget, logs.bucketName);
        assert.deepEqual(prod.replication.map((r) => ({ rtc: r.timeControl, metrics: r.metrics, to: r.destinationRegion })), [{ rtc: false, metrics: true, to: "us-west-2" }]);
        assert.deepEqual(dr.replication, []);
    });

    it("counts alarms, dashboards, keys, queues and topics as deployed, and knows which resources cost nothing", async () => {
        // Every alarm of the program watches one metric at a one-minute (or longer) period.
        for (const [stack, settings] of [["prod", prod], ["dr", dr]] as const) {
            const alarms = (await evaluatedStack(stack)).resources.filter((r) => r.type === TYPES.alarm);
            assert.ok(alarms.every((a) => a.inputs.metricQueries === undefined && a.inputs.period >= 60), stack);
            assert.deepEqual(settings.alarms, { standard: alarms.length, highResolution: 0, composite: 0 }, stack);
        }
        assert.ok(prod.alarms.standard > dr.alarms.standard, "the primary also alarms on its replication");
        assert.equal(prod.dashboards, 1);
        assert.deepEqual(prod.kmsKeys, [{ name: "region-key", rotation: true, rotationPeriodDays: 365 }]);
        assert.equal(prod.queues.length, 3);
        assert.ok(prod.queues.every((q) => q.kms && q.dataKeyReuseSeconds === 86400));
        assert.deepEqual(prod.customMetrics, ["Tandem/ApiServerErrors{service=tandem-api}", "Tandem/ReplicationLagSeconds{service=tandem-canary}"]);
        assert.equal(prod.free["aws:iam/role:Role"], 4);
        assert.deepEqual(prod.unpriced, {});
    });

    it("moves exactly the lines a setting drives, by the right amount", () => {
        const usage = resolveUsage("primary", {});
        const prices = new RegionPrices(book, "us-east-1");
        const before = byId(estimate(prod, usage, book));
        const after = byId(estimate(changed, usage, book));

        // tandem:apiMemoryMb 512 -> 1024: the api's duration doubles.
        close(after.get("lambda.duration:api")!.usd, 2 * before.get("lambda.duration:api")!.usd, "api duration");
        // tandem:logRetentionDays 30 -> 90: the api's logs are held three times as long.
        const apiLogGb = before.get("logs.ingestion:api")!.quantity;
        close(after.get("logs.storage:api")!.usd - before.get("logs.storage:api")!.usd, apiLogGb * (60 / DAYS_PER_MONTH) * prices.rate("logs.storage"), "api log storage");
        // tandem:replicationTimeControl true: a new line, per replicated GB.
        assert.equal(before.has("replication.rtc:documents-data"), false);
        close(after.get("replication.rtc:documents-data")!.usd, after.get("replication.transfer:documents-data")!.quantity * prices.rate("s3.replication.timeControl"), "RTC");

        // tandem:alarmEmails: each alarm notification is mailed to both subscriptions.
        assert.equal(before.has("sns.email"), false);
        close(after.get("sns.email")!.usd, usage.alarmNotifications * 2 * prices.rate("sns.delivery.email"), "alarm emails");

        const moved = [...after.keys()].filter((id) => before.get(id)?.usd !== after.get(id)!.usd).sort();
        assert.deepEqual(moved, [
            "lambda.duration:api",
            "logs.storage:api", "logs.storage:canary", "logs.storage:ingest",
            "replication.rtc:documents-data",
            "sns.email",
        ]);
    });

    it("prices the standby differently: replicas in, no replication out, no api traffic", () => {
        const primary = estimate(prod, resolveUsage("primary", {}), book);
        const standby = estimate(dr, resolveUsage("standby", {}), book);
        const ids = new Set(standby.lines.map((l) => l.id));
        assert.ok(!ids.has("replication.transfer:documents-data") && !ids.has("replication.requests:documents-data") && !ids.has("transfer.internet:documents-data"));
        assert.equal(byId(standby).get("lambda.requests:api")!.quantity, 0);
        assert.ok(standby.lines.find((l) => l.id === "kms.requests.s3:documents-data")!.basis.includes("replicas in"));
        assert.ok(standby.totalUsd < primary.totalUsd, `standby ${standby.totalUsd} should cost less than the primary ${primary.totalUsd}`);
        assert.equal(standby.region, "us-west-2");
    });
});
