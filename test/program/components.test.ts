// Each component on its own: what it adopts instead of creating (`existing`, refused together with
// creation arguments), and the settings it takes as arguments with today's values as defaults.
import * as assert from "assert";
import { DocumentApi } from "../../infra/documentApi";
import { tandemFunction } from "../../infra/functionContext";
import { HardenedFunction, HardenedFunctionArgs } from "../../infra/hardenedFunction";
import { Monitoring, MonitoringArgs } from "../../infra/monitoring";
import { RegionKey, RegionKeyArgs } from "../../infra/regionKey";
import { Replication } from "../../infra/replication";
import { ReplicationCanary, ReplicationCanaryArgs } from "../../infra/replicationCanary";
import { SecureBucket, SecureBucketArgs } from "../../infra/secureBucket";
import { MOCK_ACCOUNT_ID } from "../../tools/engine/mockWorld";
import { CONTEXT, evaluateComponents, TOPIC_ARN } from "../support/components";
import { ofType, one, TYPES } from "../support/inventory";

const KEY_ARN = `arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:key/0b3a1f4e-6f0a-4c1e-9d7b-2a5c8e9f1d23`;
const ROLE_ARN = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/platform/lambda-ingest`;
const SETTINGS = { memoryMb: 256, timeoutSeconds: 30, reservedConcurrency: 2 };
const alarms = { topicArn: TOPIC_ARN };
/** What a test of refusal passes: both `existing` and creation arguments, as an untyped caller could. */
const both = <T>(args: object) => args as T;

function fnArgs(overrides: Partial<HardenedFunctionArgs> = {}): HardenedFunctionArgs {
    return {
        ...tandemFunction(CONTEXT, "ingest", SETTINGS),
        description: "a function",
        callbackFactory: () => async () => ({}),
        role: { statements: [{ Sid: "ListBucket", Action: "s3:ListBucket", Resource: CONTEXT.bucketArn }] },
        alarms,
        ...overrides,
    };
}

const alarmNamed = (inv: { resources: any[] }, physical: string) => ofType(inv as any, TYPES.alarm).find((a) => a.inputs.name === physical)!;

describe("components on their own", () => {
    describe("RegionKey", () => {
        const key = (args: RegionKeyArgs, world?: { deployedRegions: string[] }) =>
            evaluateComponents((home) => ({ arn: new RegionKey("key", args, home).arn }), { world });

        it("creates a rotating key with a 30-day deletion window and its alias by default", async () => {
            const inv = await key({ alias: "alias/tandem", accountId: MOCK_ACCOUNT_ID, region: "us-east-1" });
            const k = one(inv, TYPES.key).inputs;
            assert.deepStrictEqual([k.enableKeyRotation, k.rotationPeriodInDays, k.deletionWindowInDays], [true, 365, 30]);
            assert.strictEqual(one(inv, TYPES.alias).inputs.name, "alias/tandem");
            assert.strictEqual(inv.outputs.arn, one(inv, TYPES.key).state.arn);
        });

        it("adopts a key by ARN and creates nothing", async () => {
            const inv = await key({ existing: { arn: KEY_ARN } });
            assert.deepStrictEqual(inv.resources.filter((r) => r.custom && r.type !== TYPES.provider), []);
            assert.strictEqual(inv.outputs.arn, KEY_ARN);
        });

        it("adopts a key by alias, looked up in its own region through its provider", async () => {
            const inv = await key({ existing: { alias: "alias/platform-data" } });
            assert.deepStrictEqual(inv.resources.filter((r) => r.custom && r.type !== TYPES.provider), []);
            // The mock answers the lookup in the provider's region only (tools/engine/mockWorld.ts).
            assert.match(inv.outputs.arn, new RegExp(`^arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:key/[0-9a-f-]{36}$`));
            await assert.rejects(key({ existing: { alias: "alias/platform-data" } }, { deployedRegions: ["us-west-2"] }),
                /NotFoundException: Alias alias\/platform-data is not found in us-east-1/);
        });

        it("refuses `existing` with creation arguments, naming them", async () => {
            await assert.rejects(key(both({ existing: { arn: KEY_ARN }, alias: "alias/tandem", deletionWindowInDays: 7 })),
                /RegionKey key: `existing` adopts one made elsewhere, and alias, deletionWindowInDays would configure one this component creates; give `existing` or those, not both/);
        });

        it("refuses an alias name where an ARN belongs, and a name that is no alias", async () => {
            await assert.rejects(key({ existing: { arn: `arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:alias/tandem` } }), /existing.arn is .*; allowed: a key ARN/);
            await assert.rejects(key({ existing: { alias: "tandem" } }), /existing.alias is "tandem"; allowed: an alias name, alias\/\.\.\./);
        });
    });

    describe("SecureBucket", () => {
        const bucket = (args: SecureBucketArgs, world?: { deployedRegions: string[] }) =>
            evaluateComponents((home) => {
                const b = new SecureBucket("logs", args, home);
                return { name: b.name, arn: b.arn };
            }, { world });

        it("adopts a bucket by name, looked up for its ARN, and creates none of its resources", async () => {
            const inv = await bucket({ existing: { name: "platform-log-archive" } });
            assert.deepStrictEqual(inv.resources.filter((r) => r.type.startsWith("aws:s3/")), []);
            assert.deepStrictEqual(inv.outputs, { name: "platform-log-archive", arn: "arn:aws:s3:::platform-log-archive" });
        });

        it("stops when the bucket to adopt does not exist", async () => {
            await assert.rejects(bucket({ existing: { name: "platform-log-archive" } }, { deployedRegions: [] }), /bucket platform-log-archive does not exist/);
        });

        it("refuses `existing` with creation arguments", async () => {
            await assert.rejects(bucket(both({ existing: { name: "platform-log-archive" }, bucketName: "mine", lifecycleRules: [] })),
                /SecureBucket logs: `existing` adopts one made elsewhere, and bucketName, lifecycleRules would configure one/);
        });
    });

    describe("Monitoring", () => {
        const monitoring = (topic: MonitoringArgs["topic"]) => evaluateComponents((home) => {
            const m = new Monitoring("monitoring", { app: "tandem", region: "us-east-1", topic }, home);
            return { topicArn: m.topicArn, dashboard: m.addDashboard([]) };
        });

        it("adopts a topic by ARN: no topic, no subscription, alarms go to it", async () => {
            const inv = await monitoring({ existing: { arn: TOPIC_ARN } });
            assert.deepStrictEqual([...ofType(inv, TYPES.topic), ...ofType(inv, TYPES.subscription)], []);
            assert.strictEqual(inv.outputs.topicArn, TOPIC_ARN);
        });

        it("refuses `existing` with subscriptions or a key for a topic it would create", async () => {
            await assert.rejects(monitoring(both({ existing: { arn: TOPIC_ARN }, emails: ["oncall@example.com"] })),
                /Monitoring monitoring: topic: `existing` adopts one made elsewhere, and emails would configure one/);
            await assert.rejects(monitoring(both({ existing: { arn: TOPIC_ARN }, kmsKeyArn: KEY_ARN })), /and kmsKeyArn would configure one/);
        });

        it("refuses the same address twice, whatever its case", async () => {
            await assert.rejects(monitoring({ kmsKeyArn: KEY_ARN, emails: ["oncall@example.com", "OnCall@example.com"] }),
                /Monitoring monitoring: OnCall@example.com is subscribed twice; list each address once/);
        });

        it("makes one dashboard only", async () => {
            await assert.rejects(evaluateComponents((home) => {
                const m = new Monitoring("monitoring", { app: "tandem", region: "us-east-1", topic: { kmsKeyArn: KEY_ARN } }, home);
                m.addDashboard([]);
                m.addDashboard([]);
            }), /Monitoring monitoring already has its dashboard/);
        });
    });

    describe("HardenedFunction", () => {
        const fn = (args: HardenedFunctionArgs) => evaluateComponents((home) => {
            new HardenedFunction("ingest", args, home);
        });

        it("runs nodejs22.x on arm64 unless told otherwise", async () => {
            const defaults = one(await fn(fnArgs()), TYPES.function).inputs;
            assert.deepStrictEqual([defaults.runtime, defaults.architectures], ["nodejs22.x", ["arm64"]]);
            const chosen = one(await fn(fnArgs({ runtime: "nodejs24.x", architecture: "x86_64" })), TYPES.function).inputs;
            assert.deepStrictEqual([chosen.runtime, chosen.architectures], ["nodejs24.x", ["x86_64"]]);
        });

        it("refuses a runtime that cannot run the serialized JavaScript", async () => {
            await assert.rejects(fn(fnArgs({ runtime: "python3.12" as never })), /HardenedFunction ingest: runtime is python3.12; allowed: a Node.js runtime/);
        });

        it("adopts a role by ARN: no role, no policy attached to it, the function runs as it", async () => {
            const inv = await fn(fnArgs({ role: { existing: { arn: ROLE_ARN } } }));
            assert.deepStrictEqual([...ofType(inv, TYPES.role), ...ofType(inv, TYPES.rolePolicy), ...ofType(inv, TYPES.rolePolicyAttachment)], []);
            assert.strictEqual(one(inv, TYPES.function).inputs.role, ROLE_ARN);
        });

        it("refuses an adopted role together with statements or a boundary for a role it would create", async () => {
            await assert.rejects(fn(fnArgs({ role: both({ existing: { arn: ROLE_ARN }, statements: [] }) })),
                /HardenedFunction ingest: role: `existing` adopts one made elsewhere, and statements would configure one/);
            await assert.rejects(fn(fnArgs({ role: both({ existing: { arn: ROLE_ARN }, permissionsBoundary: "arn:aws:iam::aws:policy/PowerUserAccess" }) })),
                /and permissionsBoundary would configure one/);
        });

        it("alarms at today's thresholds by default, and at the ones given", async () => {
            const defaults = await fn(fnArgs());
            assert.deepStrictEqual(["errors", "throttles", "duration", "failed-events"].map((k) => alarmNamed(defaults, `tandem-ingest-${k}`).inputs.threshold), [1, 1, 24000, 1]);
            const given = await fn(fnArgs({ alarms: { ...alarms, errors: 5, durationShareOfTimeout: 0.5, failedEvents: undefined } }));
            assert.deepStrictEqual(["errors", "throttles", "duration", "failed-events"].map((k) => alarmNamed(given, `tandem-ingest-${k}`).inputs.threshold), [5, 1, 15000, 1]);
            assert.match(alarmNamed(given, "tandem-ingest-duration").inputs.alarmDescription, /above 50% of its 30s timeout/);
        });

        it("refuses a duration alarm beyond the timeout", async () => {
            await assert.rejects(fn(fnArgs({ alarms: { ...alarms, durationShareOfTimeout: 1.5 } })), /durationShareOfTimeout is 1.5; allowed: above 0 and at most 1/);
        });
    });

    describe("DocumentApi and Replication thresholds", () => {
        it("alarm at today's values unless given others", async () => {
            const build = (serverErrors?: number, failedOperations?: number) => evaluateComponents((home) => {
                new DocumentApi("api", { context: CONTEXT, settings: SETTINGS, edgeOrigin: false, alarms: { ...alarms, serverErrors } }, home);
                new Replication("replication", {
                    app: "tandem", accountId: MOCK_ACCOUNT_ID, sourceRegion: "us-east-1",
                    sourceBucket: { name: "tandem-data", arn: "arn:aws:s3:::tandem-data" }, sourceKeyArn: KEY_ARN,
                    destination: { region: "us-west-2", bucketName: "peer", bucketArn: "arn:aws:s3:::peer", keyArn: KEY_ARN.replace("us-east-1", "us-west-2") },
                    replicationTimeControl: false, rpoMinutes: 15, alarms: { ...alarms, failedOperations },
                }, home);
            });
            const defaults = await build();
            assert.deepStrictEqual([alarmNamed(defaults, "tandem-api-server-errors").inputs.threshold, alarmNamed(defaults, "tandem-replication-failed").inputs.threshold], [5, 1]);
            const given = await build(20, 10);
            assert.deepStrictEqual([alarmNamed(given, "tandem-api-server-errors").inputs.threshold, alarmNamed(given, "tandem-replication-failed").inputs.threshold], [20, 10]);
            assert.match(alarmNamed(given, "tandem-api-server-errors").inputs.alarmDescription, /^The api answered 20 or more requests with a 5xx in 5 minutes/);
        });
    });

    describe("ReplicationCanary", () => {
        const canary = (args: Partial<ReplicationCanaryArgs>) => evaluateComponents((home) => {
            new ReplicationCanary("canary", { context: CONTEXT, settings: SETTINGS, rpoMinutes: 15, alarms, ...args }, home);
        });

        it("runs every minute by default, and on the rate it is given, with the lag alarm's period following it", async () => {
            const everyMinute = await canary({});
            assert.deepStrictEqual([one(everyMinute, TYPES.eventRule).inputs.scheduleExpression, one(everyMinute, TYPES.eventRule).inputs.description], ["rate(1 minute)", "Runs the replication canary every minute"]);
            assert.strictEqual(alarmNamed(everyMinute, "tandem-replication-lag").inputs.period, 60);
            const everyFive = await canary({ schedule: "rate(5 minutes)" });
            assert.deepStrictEqual([one(everyFive, TYPES.eventRule).inputs.scheduleExpression, one(everyFive, TYPES.eventRule).inputs.description], ["rate(5 minutes)", "Runs the replication canary every 5 minutes"]);
            // A 60-second period would see no probe in four of five periods: missing data, which breaches.
            assert.strictEqual(alarmNamed(everyFive, "tandem-replication-lag").inputs.period, 300);
        });

        for (const schedule of ["rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(1.5 hours)", "cron(0/5 * * * ? *)", "every minute"]) {
            it(`refuses the schedule ${schedule}`, async () => {
                await assert.rejects(canary({ schedule }), /ReplicationCanary canary: schedule is .*; allowed: a rate expression/);
            });
        }

        it("refuses an RPO no longer than the probe period while it alarms on lag, and takes it without the alarm", async () => {
            await assert.rejects(canary({ schedule: "rate(15 minutes)" }),
                /ReplicationCanary canary: the RPO \(15 min\) must be longer than the probe period \(every 15 minutes\)/);
            const unwatched = await canary({ schedule: "rate(15 minutes)", lagAlarm: false });
            assert.strictEqual(alarmNamed(unwatched, "tandem-replication-lag"), undefined);
        });
    });
});

// Type-level refusal: each line fails to compile if `existing` and creation arguments are accepted together.
// @ts-expect-error a key is adopted or created, not both
const _keyBoth: RegionKeyArgs = { existing: { arn: KEY_ARN }, alias: "alias/x" };
// @ts-expect-error a topic is adopted or created, not both
const _topicBoth: MonitoringArgs["topic"] = { existing: { arn: TOPIC_ARN }, emails: [] };
