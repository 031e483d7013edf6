// The pricing model on hand-made settings: each line is computed from the settings and the usage,
// and each saving is the re-priced difference. No program evaluation here.
import { strict as assert } from "assert";
import type { DocumentStorage } from "../../infra/config";
import { estimate } from "../../tools/cost/estimate";
import { billedRotations } from "../../tools/cost/model/encryption";
import { loadPriceBook, RegionPrices } from "../../tools/cost/priceBook";
import { savings } from "../../tools/cost/savings";
import { configuredStorage, StorageChoice, storageChoices } from "../../tools/cost/storageChoices";
import { BucketCost, DAYS_PER_MONTH, FunctionCost, scheduleRunsPerMonth, SECONDS_PER_MONTH, StackSettings } from "../../tools/cost/stackSettings";
import { defaultUsage, Usage } from "../../tools/cost/usage";
import { GB, KB, sampledTraces } from "../../tools/cost/workload";

const book = loadPriceBook();
const prices = new RegionPrices(book, "us-east-1");

function fn(name: string, trigger: FunctionCost["trigger"], over: Partial<FunctionCost> = {}): FunctionCost {
    return {
        name, functionName: `tandem-${name}`, memoryMb: 512, architecture: "arm64", timeoutSeconds: 30, reservedConcurrency: 50,
        tracing: true, environmentKms: true, logGroup: { name: `/aws/lambda/tandem-${name}`, retentionDays: 30, kms: true },
        asyncRetries: 2, failureQueue: `${name}-failures`, trigger, ...over,
    };
}

function settings(over: Partial<StackSettings> = {}): StackSettings {
    return {
        stack: "test", region: "us-east-1", role: "primary",
        functions: [
            fn("api", { kind: "http" }),
            fn("ingest", { kind: "objectCreated", bucket: "data", prefix: "objects/" }),
            fn("canary", { kind: "schedule", expression: "rate(1 minute)", runsPerMonth: 43_800 }, { asyncRetries: 0, memoryMb: 256 }),
        ],
        buckets: [
            { name: "data", bucketName: "tandem-data", sseKms: true, bucketKey: true, versioning: true, lifecycle: { noncurrentVersionDays: 30 }, accessLogTarget: "tandem-logs", writeStorageClass: "STANDARD", notifiesFunctions: [] },
            { name: "logs", bucketName: "tandem-logs", sseKms: false, bucketKey: false, versioning: true, lifecycle: { expirationDays: 365 }, writeStorageClass: "STANDARD", notifiesFunctions: [] },
        ],
        replication: [{ sourceBucket: "tandem-data", destinationBucketArn: "arn:aws:s3:::peer", destinationRegion: "us-west-2", timeControl: false, metrics: true, prefixes: [""] }],
        alarms: { standard: 15, highResolution: 0, composite: 0 },
        dashboards: 1,
        customMetrics: ["Tandem/ReplicationLagSeconds{service=tandem-canary}"],
        kmsKeys: [{ name: "region-key", rotation: true, rotationPeriodDays: 365 }],
        queues: ["api", "ingest", "canary"].map((f) => ({ name: `${f}-failures`, kms: true, dataKeyReuseSeconds: 86400 })),
        topics: [{ name: "alarms", kms: true, emailSubscriptions: 0 }],
        free: {},
        unpriced: {},
        ...over,
    };
}

const usage = (over: Partial<Usage> = {}): Usage => ({ ...defaultUsage("primary"), ...over });
const lineOf = (s: StackSettings, u: Usage, id: string) => {
    const found = estimate(s, u, book).lines.find((l) => l.id === id);
    assert.ok(found, `no line ${id}`);
    return found;
};
const close = (actual: number, expected: number, what = "") => assert.ok(Math.abs(actual - expected) < 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} != ${expected}`);

describe("cost: the pricing model", () => {
    it("prices a function's duration from its memory, architecture and the assumed duration", () => {
        const u = usage({ requests: 2_000_000, apiDurationMs: 150 });
        const arm = lineOf(settings(), u, "lambda.duration:api");
        close(arm.quantity, 2_000_000 * 0.15 * 0.5, "GB-s");
        close(arm.usd, 2_000_000 * 0.15 * 0.5 * prices.rate("lambda.duration.arm64"), "usd");
        const bigger = settings({ functions: settings().functions.map((f) => (f.name === "api" ? { ...f, memoryMb: 2048 } : f)) });
        close(lineOf(bigger, u, "lambda.duration:api").usd, arm.usd * 4, "4x memory");
        close(lineOf(settings(), u, "lambda.requests:api").usd, 2_000_000 * prices.rate("lambda.request"));
    });

    it("never bills more than the timeout, and says so", () => {
        const slow = settings({ functions: settings().functions.map((f) => (f.name === "api" ? { ...f, timeoutSeconds: 1 } : f)) });
        const e = estimate(slow, usage({ apiDurationMs: 5000 }), book);
        close(e.lines.find((l) => l.id === "lambda.duration:api")!.quantity, 1_000_000 * 1 * 0.5);
        assert.ok(e.warnings.some((w) => /api: the assumed 5000 ms exceeds its 1 s timeout/.test(w)), e.warnings.join("\n"));
    });

    it("warns when the assumed load exceeds a function's reserved concurrency", () => {
        const tight = settings({ functions: settings().functions.map((f) => (f.name === "api" ? { ...f, reservedConcurrency: 1 } : f)) });
        const e = estimate(tight, usage({ requests: 100_000_000, apiDurationMs: 100 }), book);
        assert.ok(e.warnings.some((w) => /api: the assumed load needs 3\.8 concurrent executions on average, above its reserved concurrency of 1/.test(w)), e.warnings.join("\n"));
    });

    it("counts asynchronous retries of failed events, and sends the failures to the queue", () => {
        const u = usage({ ingestPerMonth: 1_000_000, requests: 1_000_000, failureRate: 0.01 });
        const ingest = lineOf(settings(), u, "lambda.requests:ingest");
        close(ingest.quantity, 1_000_000 + 1_000_000 * 0.01 * 2);
        close(lineOf(settings(), u, "sqs.requests").quantity, 1_000_000 * 0.01 + 43_800 * 0.01);
        // Each queue takes at most one data key per reuse period (a day here), whatever the failures.
        const perQueue = Math.min(1_000_000 * 0.01, DAYS_PER_MONTH) + Math.min(43_800 * 0.01, DAYS_PER_MONTH);
        close(lineOf(settings(), u, "kms.requests.messages").quantity, perQueue + u.alarmNotifications * 2);
    });

    it("runs the canary as often as its schedule says", () => {
        assert.equal(scheduleRunsPerMonth("rate(1 minute)"), 43_800);
        assert.equal(scheduleRunsPerMonth("rate(5 minutes)"), 8_760);
        assert.equal(scheduleRunsPerMonth("rate(2 hours)"), 365);
        assert.equal(scheduleRunsPerMonth("rate(1 day)"), 730 / 24);
        assert.throws(() => scheduleRunsPerMonth("cron(0 12 * * ? *)"), /only rate\(N minute/);
    });

    it("samples X-Ray traces with the default rule", () => {
        assert.equal(sampledTraces(1000), 1000);
        const tenPerSecond = 10 * SECONDS_PER_MONTH;
        close(sampledTraces(tenPerSecond), (1 + 0.05 * 9) * SECONDS_PER_MONTH);
        const untraced = settings({ functions: settings().functions.map((f) => ({ ...f, tracing: false })) });
        assert.ok(!estimate(untraced, usage(), book).lines.some((l) => l.service === "X-Ray"));
    });

    it("keeps logs as long as the retention says, and forever without one", () => {
        const u = usage({ requests: 1_000_000, logBytesPerInvocation: 2048, month: 6 });
        const monthlyGb = (1_000_000 * 2048) / GB;
        close(lineOf(settings(), u, "logs.ingestion:api").quantity, monthlyGb);
        close(lineOf(settings(), u, "logs.storage:api").quantity, monthlyGb * (30 / DAYS_PER_MONTH));
        const never = settings({ functions: settings().functions.map((f) => ({ ...f, logGroup: { ...f.logGroup!, retentionDays: undefined } })) });
        close(lineOf(never, u, "logs.storage:api").quantity, monthlyGb * 6);
    });

    it("bills each rotated key material until the cap", () => {
        assert.equal(billedRotations(365, 11, 2), 0);
        assert.equal(billedRotations(365, 12, 2), 1);
        assert.equal(billedRotations(90, 12, 2), 2);
        assert.equal(billedRotations(90, 120, 2), 2);
        const e = estimate(settings({ kmsKeys: [{ name: "k", rotation: true, rotationPeriodDays: 90 }] }), usage({ month: 24 }), book);
        close(e.lines.find((l) => l.id === "kms.rotations")!.usd, 2 * prices.rate("kms.rotation"));
    });

    it("replicates everything the primary writes, and bills Replication Time Control only when it is on", () => {
        const u = usage({ requests: 1_000_000, ingestPerMonth: 50_000, avgObjectKb: 512, failureRate: 0 });
        const objects = 50_000 + 50_000 + 43_800;
        const gb = (50_000 * 512 * KB + 50_000 * 400 + 43_800 * 80) / GB;
        close(lineOf(settings(), u, "replication.transfer:data").quantity, gb);
        close(lineOf(settings(), u, "replication.requests:data").quantity, objects);
        assert.ok(!estimate(settings(), u, book).lines.some((l) => l.id.startsWith("replication.rtc")));
        const rtc = settings({ replication: [{ ...settings().replication[0], timeControl: true }] });
        close(lineOf(rtc, u, "replication.rtc:data").usd, gb * prices.rate("s3.replication.timeControl"));
        const standby = estimate(settings({ role: "standby", replication: [] }), usage({ requests: 0 }), book);
        assert.ok(!standby.lines.some((l) => l.id.startsWith("replication.") || l.id.startsWith("transfer.")));
    });

    it("counts custom metrics, S3 replication metrics and alarms by resolution", () => {
        const s = settings({ alarms: { standard: 10, highResolution: 2, composite: 1 } });
        const e = estimate(s, usage(), book);
        close(e.lines.find((l) => l.id === "cloudwatch.metrics.custom")!.quantity, 1 + 4);
        close(e.lines.find((l) => l.id === "cloudwatch.alarms.standard")!.usd, 10 * prices.rate("cloudwatch.alarm.standard"));
        close(e.lines.find((l) => l.id === "cloudwatch.alarms.highResolution")!.usd, 2 * prices.rate("cloudwatch.alarm.highResolution"));
        close(e.lines.find((l) => l.id === "cloudwatch.alarms.composite")!.usd, prices.rate("cloudwatch.alarm.composite"));
    });

    it("reports resources it cannot price instead of dropping them", () => {
        const e = estimate(settings({ unpriced: { "aws:cloudfront/distribution:Distribution": 1 } }), usage(), book);
        assert.ok(e.warnings.includes("aws:cloudfront/distribution:Distribution ×1: not priced by this model (add it to tools/cost)"));
    });

    it("totals its lines", () => {
        const e = estimate(settings(), usage(), book);
        close(e.totalUsd, e.lines.reduce((n, l) => n + l.usd, 0));
        assert.ok(e.totalUsd > 0);
    });
});

describe("cost: what the design choices save", () => {
    const find = (s: StackSettings, u: Usage, id: string) => {
        const found = savings(s, u, book).find((x) => x.id === id);
        assert.ok(found, `no saving ${id}`);
        return found;
    };

    it("Bucket Keys: the KMS requests a per-object key would make", () => {
        const u = usage();
        const withKey = lineOf(settings(), u, "kms.requests.s3:data");
        const operations = withKey.quantity / (1 - u.bucketKeyReduction);
        const saving = find(settings(), u, "bucketKeys");
        close(saving.savingUsd, operations * u.bucketKeyReduction * prices.rate("kms.request"), "bucket keys");
        assert.equal(saving.actual, "S3 Bucket Keys on");
        const off = settings({ buckets: settings().buckets.map((b) => ({ ...b, bucketKey: false })) });
        close(find(off, u, "bucketKeys").savingUsd, -saving.savingUsd, "the same difference, seen from the other side");
    });

    it("arm64: the same GB-seconds at the x86_64 price", () => {
        const u = usage();
        const gbSeconds = estimate(settings(), u, book).lines.filter((l) => l.id.startsWith("lambda.duration:")).reduce((n, l) => n + l.quantity, 0);
        close(find(settings(), u, "arm64").savingUsd, gbSeconds * (prices.rate("lambda.duration.x86_64") - prices.rate("lambda.duration.arm64")));
    });

    it("log retention: the logs a never-expiring group would still hold", () => {
        const u = usage({ month: 12 });
        const monthlyGb = estimate(settings(), u, book).lines.filter((l) => l.id.startsWith("logs.ingestion:")).reduce((n, l) => n + l.quantity, 0);
        close(find(settings(), u, "logRetention").savingUsd, monthlyGb * (12 - 30 / DAYS_PER_MONTH) * prices.rate("logs.storage"));
    });
});

describe("cost: the document storage choices", () => {
    const choices = (s: StackSettings, u: Usage) => Object.fromEntries(storageChoices(s, u, book).map((c) => [c.choice, c])) as Record<DocumentStorage, StorageChoice>;
    const withData = (change: (b: BucketCost) => BucketCost) => settings({ buckets: settings().buckets.map((b) => (b.name === "data" ? change(b) : b)) });
    // Large, mostly idle documents: where Intelligent-Tiering pays.
    const idle = usage({ storageGb: 10_000, avgObjectKb: 4096, idle30dShare: 0.8, idle90dShare: 0.5 });
    const objects = (10_000 * GB) / (4096 * KB);
    const noncurrentObjects = (10_000 * idle.overwriteShare * (30 / DAYS_PER_MONTH) * GB) / (4096 * KB);
    const tiers = 10_000 * (0.2 * prices.rate("s3.storage.intelligentTiering.frequent") + 0.3 * prices.rate("s3.storage.intelligentTiering.infrequent") + 0.5 * prices.rate("s3.storage.intelligentTiering.archiveInstant"));
    const monitoring = (objects + noncurrentObjects) * prices.rate("s3.intelligentTiering.monitoring");
    const transitions = idle.ingestPerMonth * prices.rate("s3.lifecycle.transition.intelligentTiering");

    it("by lifecycle: cheaper tiers against the monitoring and one transition per new document", () => {
        const c = choices(settings(), idle);
        close(c.standard.totalUsd - c["intelligent-tiering-by-lifecycle"].totalUsd, 10_000 * prices.rate("s3.storage.standard") - tiers - monitoring - transitions);
    });

    it("on write: the same tiers and monitoring, no transition", () => {
        const c = choices(settings(), idle);
        close(c["intelligent-tiering-by-lifecycle"].totalUsd - c["intelligent-tiering-on-write"].totalUsd, transitions);
        assert.deepEqual(Object.values(c).filter((x) => x.cheapest).map((x) => x.choice), ["intelligent-tiering-on-write"]);
    });

    it("by lifecycle after N days: new documents wait in S3 Standard, and still pay their transition", () => {
        const later = withData((b) => ({ ...b, lifecycle: { ...b.lifecycle, intelligentTiering: { prefix: "objects/", days: 30, objectSizeGreaterThan: 131071 } } }));
        const atOnce = choices(settings(), idle)["intelligent-tiering-by-lifecycle"];
        const after30 = choices(later, idle)["intelligent-tiering-by-lifecycle"];
        assert.match(after30.description, /after 30 days/);
        const youngGb = (idle.ingestPerMonth * 4096 * KB) / GB * (30 / DAYS_PER_MONTH);
        const youngObjects = (youngGb * GB) / (4096 * KB);
        const tierRate = 0.2 * prices.rate("s3.storage.intelligentTiering.frequent") + 0.3 * prices.rate("s3.storage.intelligentTiering.infrequent") + 0.5 * prices.rate("s3.storage.intelligentTiering.archiveInstant");
        close(after30.totalUsd - atOnce.totalUsd, youngGb * (prices.rate("s3.storage.standard") - tierRate) - youngObjects * prices.rate("s3.intelligentTiering.monitoring"));
    });

    it("documents under 128 KiB: every choice costs the same (not monitored, billed at the Standard rate, never moved)", () => {
        const c = choices(settings(), usage({ avgObjectKb: 64 }));
        close(c["intelligent-tiering-on-write"].totalUsd, c.standard.totalUsd);
        close(c["intelligent-tiering-by-lifecycle"].totalUsd, c.standard.totalUsd);
        assert.ok(Object.values(c).every((x) => x.cheapest), "a tie is cheapest for all");
    });

    it("a rule whose size filter excludes the documents moves none of them", () => {
        const filtered = withData((b) => ({ ...b, lifecycle: { ...b.lifecycle, intelligentTiering: { prefix: "objects/", days: 0, objectSizeGreaterThan: 8 * 1024 * 1024 } } }));
        const e = estimate(filtered, idle, book);
        assert.ok(!e.lines.some((l) => l.id.startsWith("s3.transitions:")), "no transition fee");
        assert.match(e.lines.find((l) => l.id === "s3.storage.standard:data")!.basis, /documents under 8192 KiB are not tiered/);
    });

    it("reads the configured choice back from the bucket: the write class first, then a tiering rule", () => {
        const bucket = settings().buckets[0];
        assert.equal(configuredStorage(bucket), "standard");
        assert.equal(configuredStorage({ ...bucket, lifecycle: { intelligentTiering: { prefix: "objects/", days: 0 } } }), "intelligent-tiering-by-lifecycle");
        assert.equal(configuredStorage({ ...bucket, writeStorageClass: "INTELLIGENT_TIERING" }), "intelligent-tiering-on-write");
        assert.deepEqual(storageChoices(settings(), usage(), book).filter((c) => c.configured).map((c) => c.choice), ["standard"]);
    });

    it("no document bucket: no comparison", () => {
        assert.deepEqual(storageChoices(settings({ buckets: [], replication: [], functions: [] }), usage(), book), []);
    });
});
