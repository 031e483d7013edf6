// Reads moto's configuration back through the AWS APIs and compares it with what the program
// registered — written independently of tools/local's provisioning, so a provisioning that drifts
// from the program shows here. Every setting the program registered must read back equal, except
// those tools/local/gaps.ts declares moto does not store (checked separately: still not stored).
// KMS key ids are matched through the registered aliases, looked up on moto.
import type * as S3 from "@aws-sdk/client-s3";
import type * as KMS from "@aws-sdk/client-kms";
import type * as SQS from "@aws-sdk/client-sqs";
import { clientConfig } from "../../tools/local/moto";
import { GAPS } from "../../tools/local/gaps";
import type { Program, ProgramStack } from "../../tools/local/program";
import { eventQueueName } from "../../tools/local/provisionEvents";
import { QUEUE_ATTRIBUTES, TOPIC_ATTRIBUTES } from "../../tools/local/provisionServices";
import { TYPE } from "../../tools/local/resourceTypes";
import { snsCall } from "../../tools/local/snsQuery";
import { xmlEntries } from "../../tools/local/xml";
import type { RecordedResource } from "../../tools/engine/evaluate";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;
const kmssdk = require("@aws-sdk/client-kms") as typeof KMS;
const sqssdk = require("@aws-sdk/client-sqs") as typeof SQS;

/** The S3 API's member names for the provider's (independently of tools/local/apiShape.ts). */
const ACRONYMS: Record<string, string> = { id: "ID", sseAlgorithm: "SSEAlgorithm", kmsMasterKeyId: "KMSMasterKeyID", replicaKmsKeyId: "ReplicaKmsKeyID", mfaDelete: "MFADelete" };

function api(value: unknown): any {
    if (Array.isArray(value)) return value.map(api);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [ACRONYMS[k] ?? k[0].toUpperCase() + k.slice(1), api(v)]));
}

/** A registered path (`rules[].deleteMarkerReplication`) in the readers' API naming. */
const apiPath = (path: string) =>
    path
        .split(".")
        .map((part) => {
            const name = part.replace("[]", "");
            return (ACRONYMS[name] ?? name[0].toUpperCase() + name.slice(1)) + (part.endsWith("[]") ? "[]" : "");
        })
        .join(".");

/** Paths of `type` that moto does not store (per the gaps list), in API naming. */
const unstored = (type: string) => GAPS.flatMap((g) => g.unstored ?? []).filter((u) => u.type === type).map((u) => apiPath(u.path));

/** Removes a registered (provider-named) path from a value. */
function without(value: any, path: string): any {
    const [head, ...rest] = path.split(".");
    if (value === null || typeof value !== "object") return value;
    const many = head.endsWith("[]");
    const name = many ? head.slice(0, -2) : head;
    if (!(name in value)) return value;
    const copy = { ...value };
    if (rest.length === 0) delete copy[name];
    else if (many) copy[name] = (value[name] as any[]).map((item) => without(item, rest.join(".")));
    else copy[name] = without(value[name], rest.join("."));
    return copy;
}

/** The values at a registered path (`rules[].x` gives one per rule). */
export function valuesAt(value: any, path: string): unknown[] {
    let values = [value];
    for (const part of path.split(".")) {
        const many = part.endsWith("[]");
        const name = many ? part.slice(0, -2) : part;
        values = values.flatMap((v) => (v === null || typeof v !== "object" ? [undefined] : many ? ((v[name] ?? []) as unknown[]) : [v[name]]));
    }
    return values;
}

/** Differences where `actual` does not hold what `expected` holds; arrays of objects with an ID match by ID. */
function compare(expected: unknown, actual: unknown, where: string, out: string[]): void {
    if (expected === undefined) return;
    if (Array.isArray(expected)) {
        if (!Array.isArray(actual)) return void out.push(`${where}: moto has ${JSON.stringify(actual)}, the program registers ${JSON.stringify(expected)}`);
        const byId = expected.every((e) => e !== null && typeof e === "object" && "ID" in e);
        if (!byId && actual.length !== expected.length) out.push(`${where}: moto has ${actual.length} entries, the program registers ${expected.length}`);
        if (byId) {
            const ids = (list: any[]) => list.map((e) => e?.ID).sort().join(", ");
            if (ids(actual) !== ids(expected)) out.push(`${where}: moto has ${ids(actual)}, the program registers ${ids(expected)}`);
        }
        expected.forEach((e, i) => compare(e, byId ? actual.find((a) => a?.ID === (e as any).ID) : actual[i], byId ? `${where}[${(e as any).ID}]` : `${where}[${i}]`, out));
        return;
    }
    if (expected !== null && typeof expected === "object") {
        if (actual === null || typeof actual !== "object") return void out.push(`${where}: moto has ${JSON.stringify(actual)}, the program registers ${JSON.stringify(expected)}`);
        for (const [k, v] of Object.entries(expected)) compare(v, (actual as Record<string, unknown>)[k], `${where}.${k}`, out);
        return;
    }
    if (String(expected) !== String(actual)) out.push(`${where}: moto has ${JSON.stringify(actual)}, the program registers ${JSON.stringify(expected)}`);
}

interface Context {
    endpoint: string;
    region: string;
    s3: S3.S3Client;
    kms: KMS.KMSClient;
    sqs: SQS.SQSClient;
    /** Registered (mock) identifiers → moto's, for KMS keys. */
    keys: Map<string, string>;
}

const moto = (ctx: Context, value: unknown): any => {
    let text = JSON.stringify(value);
    if (text === undefined) return value;
    for (const [mock, real] of ctx.keys) text = text.split(mock).join(real);
    return JSON.parse(text);
};

/** Per type: what moto answers (API-shaped) and what the program registered (same shape). */
type Reader = (ctx: Context, r: RecordedResource) => Promise<{ actual: unknown; expected: unknown }>;

const orNone = <T>(p: Promise<T>) => p.catch((e: Error) => ({ missing: e.name }) as unknown as T);
const pick = (o: Record<string, any>, names: string[]) => Object.fromEntries(names.filter((n) => o[n] !== undefined).map((n) => [n, o[n]]));

function bucketPolicyView(policy: string | undefined): Record<string, unknown> {
    const doc = policy ? (JSON.parse(policy) as { Statement: any[] }) : { Statement: [] };
    return Object.fromEntries(doc.Statement.map((s) => [s.Sid ?? JSON.stringify(s), s]));
}

export const READERS: Record<string, Reader> = {
    [TYPE.bucket]: async (ctx, r) => {
        const Bucket = String(r.state.bucket);
        const location = await orNone(ctx.s3.send(new s3sdk.GetBucketLocationCommand({ Bucket })));
        const tags = await ctx.s3.send(new s3sdk.GetBucketTaggingCommand({ Bucket })).catch(() => ({ TagSet: [] }));
        return {
            actual: { Region: (location as S3.GetBucketLocationCommandOutput).LocationConstraint || "us-east-1", Tags: Object.fromEntries((tags.TagSet ?? []).map((t) => [t.Key, t.Value])) },
            expected: { Region: r.region, Tags: r.state.tagsAll ?? {} },
        };
    },
    [TYPE.versioning]: async (ctx, r) => ({
        actual: await orNone(ctx.s3.send(new s3sdk.GetBucketVersioningCommand({ Bucket: r.inputs.bucket }))),
        expected: api(r.inputs.versioningConfiguration),
    }),
    [TYPE.encryption]: async (ctx, r) => ({
        actual: (await orNone(ctx.s3.send(new s3sdk.GetBucketEncryptionCommand({ Bucket: r.inputs.bucket })))).ServerSideEncryptionConfiguration,
        expected: moto(ctx, { Rules: api(r.inputs.rules) }),
    }),
    [TYPE.publicAccessBlock]: async (ctx, r) => ({
        actual: (await orNone(ctx.s3.send(new s3sdk.GetPublicAccessBlockCommand({ Bucket: r.inputs.bucket })))).PublicAccessBlockConfiguration,
        expected: api(pick(r.inputs, ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])),
    }),
    [TYPE.ownership]: async (ctx, r) => ({
        actual: (await orNone(ctx.s3.send(new s3sdk.GetBucketOwnershipControlsCommand({ Bucket: r.inputs.bucket })))).OwnershipControls,
        expected: { Rules: [api(r.inputs.rule)] },
    }),
    [TYPE.lifecycle]: async (ctx, r) => ({
        actual: await orNone(ctx.s3.send(new s3sdk.GetBucketLifecycleConfigurationCommand({ Bucket: r.inputs.bucket }))),
        expected: { Rules: api(r.inputs.rules) },
    }),
    [TYPE.logging]: async (ctx, r) => ({
        actual: (await orNone(ctx.s3.send(new s3sdk.GetBucketLoggingCommand({ Bucket: r.inputs.bucket })))).LoggingEnabled,
        expected: api(pick(r.inputs, ["targetBucket", "targetPrefix", "targetGrants", "targetObjectKeyFormat"])),
    }),
    // Statements moto holds are the registered ones (a "*" principal written {"AWS": "*"}); a registered
    // statement moto lacks must be one moto would turn into a deny of every request (tools/local/bucketPolicy.ts).
    [TYPE.bucketPolicy]: async (ctx, r) => {
        const policy = await ctx.s3.send(new s3sdk.GetBucketPolicyCommand({ Bucket: r.inputs.bucket })).then((p) => p.Policy, () => undefined);
        const registered = bucketPolicyView(r.inputs.policy);
        const held = bucketPolicyView(policy);
        const expected: Record<string, unknown> = {};
        for (const [sid, s] of Object.entries(registered) as Array<[string, any]>) {
            const denyEveryRequestOnMoto = s.Effect === "Deny" && (s.Condition !== undefined || s.NotPrincipal !== undefined || (s.Principal !== "*" && s.Principal?.AWS !== "*"));
            expected[sid] = denyEveryRequestOnMoto ? "(left out)" : s.Principal === "*" ? { ...s, Principal: { AWS: "*" } } : s;
        }
        const actual = Object.fromEntries(Object.keys({ ...registered, ...held }).map((sid) => [sid, held[sid] ?? "(left out)"]));
        return { actual, expected };
    },
    [TYPE.notification]: async (ctx, r) => {
        const held = await orNone(ctx.s3.send(new s3sdk.GetBucketNotificationConfigurationCommand({ Bucket: r.inputs.bucket })));
        const filter = (t: any) => {
            const rules = [...(t.filterPrefix !== undefined ? [{ Name: "prefix", Value: t.filterPrefix }] : []), ...(t.filterSuffix !== undefined ? [{ Name: "suffix", Value: t.filterSuffix }] : [])];
            return rules.length > 0 ? { Key: { FilterRules: rules } } : undefined;
        };
        const queueArn = (functionArn: string) => `arn:aws:sqs:${ctx.region}:${functionArn.split(":")[4]}:${eventQueueName(functionArn)}`;
        const lower = (configs: any[] | undefined) => (configs ?? []).map((c) => ({ ...c, Filter: c.Filter && { Key: { FilterRules: c.Filter.Key.FilterRules.map((f: any) => ({ ...f, Name: String(f.Name).toLowerCase() })) } } }));
        return {
            actual: { QueueConfigurations: lower(held.QueueConfigurations), TopicConfigurations: lower(held.TopicConfigurations) },
            expected: {
                QueueConfigurations: [
                    ...(r.inputs.lambdaFunctions ?? []).map((t: any) => ({ ID: t.id, Events: t.events, Filter: filter(t), QueueArn: queueArn(t.lambdaFunctionArn) })),
                    ...(r.inputs.queues ?? []).map((t: any) => ({ ID: t.id, Events: t.events, Filter: filter(t), QueueArn: t.queueArn })),
                ].map(({ ID, ...c }) => ({ Id: ID, ...c })),
                TopicConfigurations: (r.inputs.topics ?? []).map((t: any) => ({ Id: t.id, Events: t.events, Filter: filter(t), TopicArn: t.topicArn })),
            },
        };
    },
    [TYPE.replication]: async (ctx, r) => ({
        actual: (await orNone(ctx.s3.send(new s3sdk.GetBucketReplicationCommand({ Bucket: r.inputs.bucket })))).ReplicationConfiguration,
        expected: moto(ctx, api(pick(r.inputs, ["role", "rules"]))),
    }),
    [TYPE.key]: async (ctx, r) => {
        const KeyId = ctx.keys.get(String(r.state.keyId)) ?? "(no alias on moto)";
        const metadata = (await orNone(ctx.kms.send(new kmssdk.DescribeKeyCommand({ KeyId })))).KeyMetadata;
        const rotation = await orNone(ctx.kms.send(new kmssdk.GetKeyRotationStatusCommand({ KeyId })));
        const policy = await ctx.kms.send(new kmssdk.GetKeyPolicyCommand({ KeyId, PolicyName: "default" })).then((p) => JSON.parse(p.Policy ?? "null"), () => undefined);
        return {
            // Named as the provider's inputs, API-style, as the other readers are.
            actual: { Description: metadata?.Description, KeyUsage: metadata?.KeyUsage, IsEnabled: metadata?.Enabled, EnableKeyRotation: rotation.KeyRotationEnabled, RotationPeriodInDays: rotation.RotationPeriodInDays, Policy: policy },
            expected: { ...api(pick(r.inputs, ["description", "keyUsage", "isEnabled", "enableKeyRotation", "rotationPeriodInDays"])), Policy: moto(ctx, JSON.parse(r.inputs.policy ?? "null")) },
        };
    },
    [TYPE.alias]: async (ctx, r) => {
        const aliases = (await ctx.kms.send(new kmssdk.ListAliasesCommand({}))).Aliases ?? [];
        return { actual: aliases.find((a) => a.AliasName === r.inputs.name) ?? "(missing)", expected: { AliasName: r.inputs.name, TargetKeyId: moto(ctx, r.inputs.targetKeyId) } };
    },
    [TYPE.queue]: async (ctx, r) => {
        const url = await ctx.sqs.send(new sqssdk.GetQueueUrlCommand({ QueueName: String(r.state.name) })).then((q) => q.QueueUrl, () => undefined);
        const attributes = url ? (await ctx.sqs.send(new sqssdk.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }))).Attributes : "(missing)";
        const expected = Object.fromEntries(Object.entries(QUEUE_ATTRIBUTES).filter(([input]) => r.inputs[input] !== undefined).map(([input, name]) => [name, moto(ctx, r.inputs[input])]));
        return { actual: attributes, expected };
    },
    [TYPE.topic]: async (ctx, r) => {
        const xml = await snsCall(ctx.endpoint, ctx.region, "GetTopicAttributes", { TopicArn: String(r.state.arn) }).catch((e: Error) => e.message);
        const expected = Object.fromEntries(Object.entries(TOPIC_ATTRIBUTES).filter(([input]) => r.inputs[input] !== undefined).map(([input, name]) => [name, moto(ctx, r.inputs[input])]));
        return { actual: xmlEntries(xml), expected };
    },
    [TYPE.topicSubscription]: async (ctx, r) => {
        const xml = await snsCall(ctx.endpoint, ctx.region, "ListSubscriptionsByTopic", { TopicArn: String(r.inputs.topic) });
        const held = [...xml.matchAll(/<member>([\s\S]*?)<\/member>/g)].map((m) => ({ Protocol: /<Protocol>(.*?)<\/Protocol>/.exec(m[1])?.[1], Endpoint: /<Endpoint>(.*?)<\/Endpoint>/.exec(m[1])?.[1] }));
        const wanted = { Protocol: r.inputs.protocol, Endpoint: r.inputs.endpoint };
        return { actual: held.find((h) => h.Protocol === wanted.Protocol && h.Endpoint === wanted.Endpoint) ?? "(missing)", expected: wanted };
    },
};

/** Registered (mock) KMS key ids → moto's, through each key's registered alias as moto holds it. */
async function keyIds(endpoint: string, program: Program): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    for (const stack of program.stacks) {
        const kms = new kmssdk.KMSClient(clientConfig(endpoint, stack.region));
        try {
            const aliases = (await kms.send(new kmssdk.ListAliasesCommand({}))).Aliases ?? [];
            for (const alias of stack.inventory.resources.filter((r) => r.type === TYPE.alias)) {
                const held = aliases.find((a) => a.AliasName === alias.inputs.name);
                if (held?.TargetKeyId) keys.set(String(alias.inputs.targetKeyId), held.TargetKeyId);
            }
        } finally {
            kms.destroy();
        }
    }
    return keys;
}

async function withContext<T>(endpoint: string, program: Program, region: string, run: (ctx: Context) => Promise<T>): Promise<T> {
    const config = clientConfig(endpoint, region);
    const ctx: Context = { endpoint, region, s3: new s3sdk.S3Client(config), kms: new kmssdk.KMSClient(config), sqs: new sqssdk.SQSClient(config), keys: await keyIds(endpoint, program) };
    try {
        return await run(ctx);
    } finally {
        ctx.s3.destroy();
        ctx.kms.destroy();
        ctx.sqs.destroy();
    }
}

/** Every registered setting of the stack that moto does not hold as registered. */
export async function differences(endpoint: string, program: Program, stack: ProgramStack): Promise<string[]> {
    const out: string[] = [];
    for (const r of stack.inventory.resources) {
        const read = READERS[r.type];
        if (!r.custom || read === undefined) continue;
        await withContext(endpoint, program, r.region ?? stack.region, async (ctx) => {
            const { actual, expected } = await read(ctx, r);
            const comparable = unstored(r.type).reduce((e, path) => without(e, path), expected as any);
            compare(comparable, actual, `${stack.stack} ${r.type.split(":").pop()} ${r.name}`, out);
        });
    }
    return out;
}

/** For each gap's unstored path: what moto answers there, and what was registered (they must differ while the gap holds). */
export async function unstoredReadBacks(endpoint: string, program: Program): Promise<Array<{ where: string; registered: unknown[]; held: unknown[] }>> {
    const found: Array<{ where: string; registered: unknown[]; held: unknown[] }> = [];
    for (const stack of program.stacks) {
        for (const gap of GAPS) {
            for (const u of gap.unstored ?? []) {
                for (const r of stack.inventory.resources.filter((x) => x.custom && x.type === u.type)) {
                    await withContext(endpoint, program, r.region ?? stack.region, async (ctx) => {
                        const { actual } = await READERS[u.type](ctx, r);
                        found.push({ where: `${stack.stack} ${r.name} ${u.path} (${gap.id})`, registered: valuesAt(r.inputs, u.path), held: valuesAt(actual, apiPath(u.path)) });
                    });
                }
            }
        }
    }
    return found;
}
