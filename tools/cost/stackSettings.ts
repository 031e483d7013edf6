// Reads what the cost model needs from an evaluated stack: the settings the program actually gave
// each billable resource (memory, architecture, timeouts, schedules, retention, encryption, lifecycle,
// replication, alarms...), related to each other the way AWS relates them (a function and its log
// group, its trigger, its retry settings). Pure: it works on recorded resources, not on the runtime.
import { ENV } from "../../functions/contract";
import { TYPES } from "../engine/resourceTypes";

/** The part of a recorded resource the cost model reads (tools/engine/evaluate.ts RecordedResource). */
export interface ResourceRecord {
    type: string;
    name: string;
    custom: boolean;
    inputs: Record<string, any>;
    state?: Record<string, any>;
}

export interface StackRecord {
    stack: string;
    resources: ResourceRecord[];
    config: Record<string, string>;
}

export type Architecture = "arm64" | "x86_64";

/** What makes a function run: HTTP calls on its URL, objects created in a bucket, or a schedule. */
export type Trigger =
    | { kind: "http" }
    | { kind: "objectCreated"; bucket: string; prefix: string }
    | { kind: "schedule"; runsPerMonth: number; expression: string }
    | { kind: "none" };

export interface FunctionCost {
    /** Logical name in the program (api, ingest, canary). */
    name: string;
    functionName: string;
    memoryMb: number;
    architecture: Architecture;
    timeoutSeconds: number;
    reservedConcurrency?: number;
    tracing: boolean;
    environmentKms: boolean;
    logGroup?: { name: string; retentionDays?: number; kms: boolean };
    /** Retries of a failed asynchronous invocation (Lambda's default is 2). */
    asyncRetries: number;
    /** Logical name of the SQS queue failed asynchronous events go to. */
    failureQueue?: string;
    trigger: Trigger;
}

export interface LifecycleCost {
    noncurrentVersionDays?: number;
    /** Prefix moved to Intelligent-Tiering, after how many days, and only objects larger than this (bytes). */
    intelligentTiering?: { prefix: string; days: number; objectSizeGreaterThan?: number };
    /** Days after which current objects expire (log buckets). */
    expirationDays?: number;
}

export interface BucketCost {
    name: string;
    bucketName: string;
    sseKms: boolean;
    bucketKey: boolean;
    versioning: boolean;
    lifecycle: LifecycleCost;
    /** Name of the bucket this one's server access logs go to. */
    accessLogTarget?: string;
    /** The storage class the functions write documents in (their TANDEM_STORAGE_CLASS); S3 Standard when none says. */
    writeStorageClass: string;
    notifiesFunctions: string[];
}

export interface ReplicationCost {
    sourceBucket: string;
    destinationBucketArn: string;
    destinationRegion?: string;
    timeControl: boolean;
    metrics: boolean;
    /** Prefixes replicated ("" = everything). */
    prefixes: string[];
}

export interface AlarmCounts {
    standard: number;
    highResolution: number;
    composite: number;
}

export interface StackSettings {
    stack: string;
    region: string;
    role: "primary" | "standby";
    functions: FunctionCost[];
    buckets: BucketCost[];
    replication: ReplicationCost[];
    /** Alarm metrics by resolution (an alarm on a metric-math expression counts each metric it reads). */
    alarms: AlarmCounts;
    dashboards: number;
    /** Distinct custom (non-AWS/*) metrics the alarms and dashboards read: namespace/name/dimensions. */
    customMetrics: string[];
    kmsKeys: { name: string; rotation: boolean; rotationPeriodDays: number }[];
    queues: { name: string; kms: boolean; dataKeyReuseSeconds: number }[];
    topics: { name: string; kms: boolean; emailSubscriptions: number }[];
    /** Resource types with no charge of their own (IAM, permissions, Function URLs, schedule rules...). */
    free: Record<string, number>;
    /** Billable-looking resource types the model does not know: reported, never silently dropped. */
    unpriced: Record<string, number>;
}

/** AWS's billing month: 730 hours. */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

const T = { ...TYPES, metricAlarm: TYPES.alarm, kmsKey: TYPES.key };

/** Types that cost nothing by themselves; what they cause (invocations, requests) is priced elsewhere. */
const FREE_TYPES = new Set<string>([
    T.provider,
    T.role, T.rolePolicy, T.policy, T.rolePolicyAttachment,
    T.alias,
    T.permission, T.functionUrl, T.invokeConfig,
    // Scheduled EventBridge rules deliver to Lambda at no charge (the invocations are priced).
    T.eventRule, T.eventTarget,
    T.publicAccessBlock, T.bucketPolicy, T.ownership, T.versioning, T.encryption, T.lifecycle, T.logging,
    T.notification, T.replication, T.subscription,
    // The failover edge's signing and viewer keys (its distribution is billed and not modeled).
    T.originAccessControl, T.publicKey, T.keyGroup, T.responseHeadersPolicy,
]);

/** Types whose charges this model computes (a resource of one of these types is accounted for). */
const PRICED_TYPES = new Set<string>([
    T.function, T.logGroup, T.bucket, T.metricAlarm, T.compositeAlarm, T.dashboard, T.kmsKey, T.queue, T.topic,
]);

export function stackSettings(record: StackRecord): StackSettings {
    const custom = record.resources.filter((r) => r.custom);
    const ofType = (type: string) => custom.filter((r) => r.type === type);
    const region = record.config["aws:region"];
    const role = record.config["tandem:role"];
    if (!region) throw new Error(`stack ${record.stack} has no aws:region in its configuration`);
    if (role !== "primary" && role !== "standby") throw new Error(`stack ${record.stack}: tandem:role is ${JSON.stringify(role)}, expected primary or standby`);

    const buckets = ofType(T.bucket).map((b) => bucketSettings(b, custom));
    const functions = ofType(T.function).map((f) => functionSettings(f, custom, buckets));

    const free: Record<string, number> = {};
    const unpriced: Record<string, number> = {};
    for (const r of custom) {
        if (FREE_TYPES.has(r.type)) free[r.type] = (free[r.type] ?? 0) + 1;
        else if (!PRICED_TYPES.has(r.type)) unpriced[r.type] = (unpriced[r.type] ?? 0) + 1;
    }

    const alarms: AlarmCounts = { standard: 0, highResolution: 0, composite: ofType(T.compositeAlarm).length };
    for (const a of ofType(T.metricAlarm)) {
        const metrics = alarmMetrics(a.inputs);
        for (const m of metrics) {
            if (m.period < 60) alarms.highResolution++;
            else alarms.standard++;
        }
    }

    const subscriptions = ofType(T.subscription);
    return {
        stack: record.stack,
        region,
        role,
        functions,
        buckets,
        replication: ofType(T.replication).map(replicationSettings),
        alarms,
        dashboards: ofType(T.dashboard).length,
        customMetrics: customMetrics(ofType(T.metricAlarm), ofType(T.dashboard)),
        kmsKeys: ofType(T.kmsKey).map((k) => ({
            name: k.name,
            rotation: k.inputs.enableKeyRotation === true,
            rotationPeriodDays: k.inputs.rotationPeriodInDays ?? 365,
        })),
        queues: ofType(T.queue).map((q) => ({
            name: q.name,
            kms: typeof q.inputs.kmsMasterKeyId === "string" && q.inputs.kmsMasterKeyId !== "",
            // SQS's default: a data key is reused for five minutes.
            dataKeyReuseSeconds: q.inputs.kmsDataKeyReusePeriodSeconds ?? 300,
        })),
        topics: ofType(T.topic).map((t) => {
            const arn = t.state?.arn;
            return {
                name: t.name,
                kms: typeof t.inputs.kmsMasterKeyId === "string" && t.inputs.kmsMasterKeyId !== "",
                emailSubscriptions: subscriptions.filter((s) => s.inputs.protocol === "email" && arn !== undefined && s.inputs.topic === arn).length,
            };
        }),
        free,
        unpriced,
    };
}

function bucketSettings(bucket: ResourceRecord, all: ResourceRecord[]): BucketCost {
    const bucketName: string = bucket.inputs.bucket ?? bucket.state?.bucket ?? bucket.name;
    const about = (type: string) => all.filter((r) => r.type === type && r.inputs.bucket === bucketName);
    const sse = about(T.encryption)[0]?.inputs.rules?.[0];
    const writers = all.filter((r) => r.type === T.function && r.inputs.environment?.variables?.[ENV.bucket] === bucketName);
    const writeStorageClass = writers.map((f) => f.inputs.environment.variables[ENV.storageClass]).find((c) => typeof c === "string") ?? "STANDARD";
    const notifications = about(T.notification).flatMap((n) => (n.inputs.lambdaFunctions ?? []) as any[]);
    return {
        name: bucket.name,
        bucketName,
        sseKms: sse?.applyServerSideEncryptionByDefault?.sseAlgorithm === "aws:kms",
        bucketKey: sse?.bucketKeyEnabled === true,
        versioning: about(T.versioning)[0]?.inputs.versioningConfiguration?.status === "Enabled",
        lifecycle: lifecycleSettings(about(T.lifecycle)[0]?.inputs.rules ?? []),
        accessLogTarget: about(T.logging)[0]?.inputs.targetBucket,
        writeStorageClass,
        notifiesFunctions: notifications.map((n) => String(n.lambdaFunctionArn)),
    };
}

/** What a bucket's lifecycle rules (as BucketLifecycleConfiguration takes them) do to its cost. */
export function lifecycleSettings(rules: any[]): LifecycleCost {
    const lifecycle: LifecycleCost = {};
    for (const rule of rules.filter((r) => r.status === "Enabled")) {
        const noncurrent = rule.noncurrentVersionExpiration?.noncurrentDays;
        const filter = rule.filter?.and ?? rule.filter ?? {};
        const prefix: string = filter.prefix ?? rule.prefix ?? "";
        // Only rules over the whole bucket set its defaults; prefix rules (canary probes) are too small to matter.
        if (noncurrent !== undefined && prefix === "") {
            lifecycle.noncurrentVersionDays = Math.min(noncurrent, lifecycle.noncurrentVersionDays ?? Infinity);
        }
        if (rule.expiration?.days !== undefined && prefix === "") lifecycle.expirationDays = rule.expiration.days;
        const tiering = (rule.transitions ?? []).find((t: any) => t.storageClass === "INTELLIGENT_TIERING");
        if (tiering) lifecycle.intelligentTiering = { prefix, days: tiering.days ?? 0, objectSizeGreaterThan: filter.objectSizeGreaterThan };
    }
    return lifecycle;
}

function functionSettings(fn: ResourceRecord, all: ResourceRecord[], buckets: BucketCost[]): FunctionCost {
    const i = fn.inputs;
    const functionName: string = i.name ?? fn.state?.name ?? fn.name;
    const arn: string | undefined = fn.state?.arn;
    const logGroupName: string = i.loggingConfig?.logGroup ?? `/aws/lambda/${functionName}`;
    const logGroup = all.find((r) => r.type === T.logGroup && (r.inputs.name ?? r.state?.name) === logGroupName);
    const invokeConfig = all.find((r) => r.type === T.invokeConfig && r.inputs.functionName === functionName);
    const architectures: string[] = i.architectures ?? ["x86_64"];
    return {
        name: fn.name,
        functionName,
        memoryMb: i.memorySize ?? 128,
        architecture: architectures[0] === "arm64" ? "arm64" : "x86_64",
        timeoutSeconds: i.timeout ?? 3,
        reservedConcurrency: typeof i.reservedConcurrentExecutions === "number" && i.reservedConcurrentExecutions >= 0 ? i.reservedConcurrentExecutions : undefined,
        tracing: i.tracingConfig?.mode === "Active",
        environmentKms: typeof i.kmsKeyArn === "string" && i.kmsKeyArn !== "",
        logGroup: logGroup && {
            name: logGroupName,
            // Absent or 0 means never expire.
            retentionDays: logGroup.inputs.retentionInDays || undefined,
            kms: typeof logGroup.inputs.kmsKeyId === "string" && logGroup.inputs.kmsKeyId !== "",
        },
        asyncRetries: invokeConfig?.inputs.maximumRetryAttempts ?? 2,
        failureQueue: queueNamed(all, invokeConfig?.inputs.destinationConfig?.onFailure?.destination),
        trigger: triggerOf(functionName, arn, all, buckets),
    };
}

/** The logical name of the queue with this ARN, if it is one of the stack's. */
function queueNamed(all: ResourceRecord[], arn: unknown): string | undefined {
    if (typeof arn !== "string") return undefined;
    return all.find((r) => r.type === T.queue && r.state?.arn === arn)?.name;
}

function triggerOf(functionName: string, arn: string | undefined, all: ResourceRecord[], buckets: BucketCost[]): Trigger {
    if (all.some((r) => r.type === T.functionUrl && r.inputs.functionName === functionName)) {
        return { kind: "http" };
    }
    for (const n of all.filter((r) => r.type === T.notification)) {
        const target = ((n.inputs.lambdaFunctions ?? []) as any[]).find((l) => arn !== undefined && l.lambdaFunctionArn === arn);
        if (target && ((target.events ?? []) as string[]).some((e) => e.startsWith("s3:ObjectCreated:"))) {
            const bucket = buckets.find((b) => b.bucketName === n.inputs.bucket);
            return { kind: "objectCreated", bucket: bucket?.name ?? String(n.inputs.bucket), prefix: target.filterPrefix ?? "" };
        }
    }
    const target = all.find((r) => r.type === T.eventTarget && arn !== undefined && r.inputs.arn === arn);
    if (target) {
        const rule = all.find((r) => r.type === T.eventRule && (r.inputs.name ?? r.state?.name) === target.inputs.rule);
        const expression: string | undefined = rule?.inputs.scheduleExpression;
        if (expression) {
            return { kind: "schedule", expression, runsPerMonth: scheduleRunsPerMonth(expression) };
        }
    }
    return { kind: "none" };
}

/** Runs per billing month of an EventBridge `rate(...)` schedule. */
export function scheduleRunsPerMonth(expression: string): number {
    const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
    if (!rate) {
        throw new Error(`Cannot price the schedule ${JSON.stringify(expression)}: only rate(N minute(s)|hour(s)|day(s)) schedules are supported`);
    }
    const n = Number(rate[1]);
    if (n < 1) throw new Error(`The schedule ${expression} has a zero rate`);
    const minutes = rate[2].startsWith("minute") ? n : rate[2].startsWith("hour") ? n * 60 : n * 1440;
    return (HOURS_PER_MONTH * 60) / minutes;
}

function replicationSettings(r: ResourceRecord): ReplicationCost {
    const rules: any[] = (r.inputs.rules ?? []).filter((rule: any) => rule.status === "Enabled");
    const destination = rules[0]?.destination ?? {};
    const keyArn: string | undefined = destination.encryptionConfiguration?.replicaKmsKeyId;
    return {
        sourceBucket: String(r.inputs.bucket),
        destinationBucketArn: String(destination.bucket),
        // The replica key is regional, so its ARN names the destination region.
        destinationRegion: keyArn?.split(":")[3] || undefined,
        timeControl: rules.some((rule) => rule.destination?.replicationTime?.status === "Enabled"),
        metrics: rules.some((rule) => rule.destination?.metrics?.status === "Enabled"),
        prefixes: rules.map((rule) => rule.filter?.prefix ?? rule.prefix ?? ""),
    };
}

/** The metrics one alarm is billed for, with their period. */
function alarmMetrics(inputs: Record<string, any>): { period: number }[] {
    const queries: any[] = inputs.metricQueries ?? [];
    if (queries.length > 0) {
        return queries.filter((q) => q.metric).map((q) => ({ period: q.metric.period ?? 60 }));
    }
    return [{ period: inputs.period ?? 60 }];
}

/** Custom metrics read by alarms and dashboards; each distinct namespace/name/dimension set is billed. */
function customMetrics(alarms: ResourceRecord[], dashboards: ResourceRecord[]): string[] {
    const ids = new Set<string>();
    const add = (namespace: unknown, name: unknown, dimensions: [string, unknown][]) => {
        if (typeof namespace !== "string" || typeof name !== "string" || namespace.startsWith("AWS/")) return;
        const dims = dimensions.map(([k, v]) => `${k}=${String(v)}`).sort().join(",");
        ids.add(`${namespace}/${name}${dims ? `{${dims}}` : ""}`);
    };
    for (const a of alarms) {
        add(a.inputs.namespace, a.inputs.metricName, Object.entries(a.inputs.dimensions ?? {}));
    }
    for (const d of dashboards) {
        let body: any;
        try {
            body = JSON.parse(d.inputs.dashboardBody ?? "{}");
        } catch {
            continue;
        }
        for (const widget of body.widgets ?? []) {
            for (const metric of widget.properties?.metrics ?? []) {
                if (!Array.isArray(metric) || typeof metric[0] !== "string" || metric[0] === "...") continue;
                const [namespace, name, ...rest] = metric;
                const dims: [string, unknown][] = [];
                for (let k = 0; k + 1 < rest.length && typeof rest[k] === "string"; k += 2) dims.push([rest[k], rest[k + 1]]);
                add(namespace, name, dims);
            }
        }
    }
    return [...ids].sort();
}
