// Reliability: data survives mistakes and the loss of a region; failures are retried, kept and seen.
import { PolicyResource } from "@pulumi/policy";
import { alarmsOn, functionNames, KMS_KEYS, T } from "../lib/aws";
import { arnRegion, label, regionOf, StackGraph } from "../lib/graph";
import { resourceRule, stackRule, TandemPolicy } from "../lib/rule";
import { BUCKET, encryptionRules, sideResources, versioningStatus } from "../lib/s3";
import { effectiveTags } from "../lib/tags";
import { asList, isSet, isUnknown, known, knownList, rawGet, rawPath } from "../lib/values";

export const versioning = stackRule({
    name: "s3-versioning-enabled",
    pillar: "reliability",
    description: "S3 buckets keep object versions (versioning Enabled), so an overwrite or delete can be undone.",
    anchors: ["Checkov CKV_AWS_21", "Security Hub S3.14"],
    satisfy: "Create a BucketVersioning for the bucket with versioningConfiguration.status \"Enabled\" (replication requires it too).",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const v = versioningStatus(graph, bucket);
        if (!v) {
            report(bucket, `${label(bucket)} has no BucketVersioning: versioning is off.`);
        } else if (v.status !== "Enabled") {
            report(v.source, `${label(bucket)} has versioning ${JSON.stringify(v.status)}: set it to "Enabled".`);
        }
    }),
});

interface RoleSettings {
    roleTag: string;
    nonReplicatingRoles: string[];
}

const ROLE_SCHEMA = {
    roleTag: { type: "string" as const, default: "role", description: "Tag (usually a provider default tag) naming the stack's role." },
    nonReplicatingRoles: {
        type: "array" as const, items: { type: "string" as const }, default: ["standby"],
        description: "Roles whose buckets are replicas themselves and need no replication of their own.",
    },
};

/** Whether a bucket belongs to a stack that must replicate (its effective role tag is not a standby's). */
function mustReplicate(bucket: PolicyResource, settings: RoleSettings): boolean {
    const role = effectiveTags(bucket.props, bucket.provider?.props)?.[settings.roleTag];
    return role === undefined || !settings.nonReplicatingRoles.includes(role);
}

/** The rules of a BucketReplicationConfig that are switched on. */
function enabledRules(config: PolicyResource): { id: string; rule: unknown }[] {
    return knownList(config.props, "rules")
        .map((rule, i) => ({ id: String(rawGet(rule, "id") ?? `#${i + 1}`), rule }))
        .filter(({ rule }) => known(rule, "status") === "Enabled");
}

/**
 * The region a replication rule writes to. S3 bucket ARNs name no region, so it is taken from what
 * does: a destination bucket created by this program (its provider's region), else the replica key,
 * which S3 requires to live in the destination region (its ARN names the region; a key created here
 * names it through its provider).
 */
function destinationRegion(graph: StackGraph, config: PolicyResource, source: PolicyResource, rule: unknown): string | undefined {
    const sources = graph.inputSources(config, "rules");
    const destinationBuckets = sources.filter((s) => BUCKET.includes(s.type) && s.urn !== source.urn);
    const bucketRegion = destinationBuckets.map(regionOf).find((r) => r !== undefined);
    if (bucketRegion) {
        return bucketRegion;
    }
    const replicaKey = rawPath(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId");
    const keyRegion = arnRegion(replicaKey);
    if (keyRegion) {
        return keyRegion;
    }
    return isUnknown(replicaKey) ? sources.filter((s) => KMS_KEYS.includes(s.type)).map(regionOf).find((r) => r !== undefined) : undefined;
}

export const crossRegionReplication = stackRule<RoleSettings>({
    name: "s3-cross-region-replication",
    pillar: "reliability",
    description: "On a primary stack, every bucket replicates (an enabled rule) to a bucket in another region.",
    anchors: ["Checkov CKV_AWS_144", "Security Hub S3.7", "Well-Architected REL10-BP01"],
    satisfy: "Create a BucketReplicationConfig for the bucket with an Enabled rule whose destination is the peer region's bucket, and name the replica key by its ARN (in the peer region). Standby stacks (role tag \"standby\") are not required to replicate; a promoted standby whose peer is down runs with this rule set to advisory (see Configuring).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: ROLE_SCHEMA },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(...BUCKET).filter((b) => mustReplicate(b, config)), (bucket) => {
        const configs = sideResources(graph, bucket, "replication");
        if (configs.length === 0) {
            report(bucket, `${label(bucket)} is not replicated to another region (no BucketReplicationConfig); this stack's ${config.roleTag} is ${JSON.stringify(effectiveTags(bucket.props, bucket.provider?.props)?.[config.roleTag] ?? "not tagged")}.`);
            return;
        }
        for (const c of configs) {
            const rules = enabledRules(c);
            if (rules.length === 0) {
                report(c, `${label(c)} has no Enabled rule: nothing is replicated.`);
            }
            const from = regionOf(c) ?? regionOf(bucket);
            for (const { id, rule } of rules) {
                const to = destinationRegion(graph, c, bucket, rule);
                if (!from || !to) {
                    report(c, `Rule ${id} of ${label(c)}: cannot tell ${from ? "which region it replicates to" : "which region the bucket is in"}; name the replica key (in the destination region) by its ARN.`);
                } else if (from === to) {
                    report(c, `Rule ${id} of ${label(c)} replicates within ${from}: losing the region loses both copies.`);
                }
            }
        }
    }),
});

export const replicationEncryptedObjects = stackRule({
    name: "s3-replication-kms-objects",
    pillar: "reliability",
    description: "Replication of an SSE-KMS bucket includes KMS-encrypted objects and names the replica key.",
    anchors: ["Security Hub S3.7", "AWS S3 docs: Replicating objects encrypted with SSE-KMS"],
    satisfy: "On every Enabled rule set sourceSelectionCriteria.sseKmsEncryptedObjects.status \"Enabled\" and destination.encryptionConfiguration.replicaKmsKeyId to the peer region's key; without them S3 silently skips every SSE-KMS object.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const kms = encryptionRules(graph, bucket).some((r) => typeof r.algorithm === "string" && r.algorithm.startsWith("aws:kms"));
        if (!kms) {
            return;
        }
        for (const c of sideResources(graph, bucket, "replication")) {
            for (const { id, rule } of enabledRules(c)) {
                if (known(rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "status") !== "Enabled") {
                    report(c, `Rule ${id} of ${label(c)} does not replicate SSE-KMS objects (sourceSelectionCriteria.sseKmsEncryptedObjects): ${label(bucket)} encrypts every object with KMS, so nothing would be replicated.`);
                }
                if (!isSet(rawPath(rule, "destination", "encryptionConfiguration"), "replicaKmsKeyId")) {
                    report(c, `Rule ${id} of ${label(c)} names no replica key (destination.encryptionConfiguration.replicaKmsKeyId).`);
                }
            }
        }
    }),
});

export const replicationDeleteMarkers = stackRule({
    name: "s3-replication-delete-markers",
    pillar: "reliability",
    description: "Replication rules replicate delete markers, so the replica does not serve deleted documents after a failover.",
    anchors: ["AWS S3 docs: Replicating delete markers", "Well-Architected REL09 (back up data)"],
    satisfy: "Set deleteMarkerReplication.status \"Enabled\" on every Enabled rule (it needs a prefix filter, not a tag filter).",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        for (const c of sideResources(graph, bucket, "replication")) {
            for (const { id, rule } of enabledRules(c)) {
                if (known(rule, "deleteMarkerReplication", "status") !== "Enabled") {
                    report(c, `Rule ${id} of ${label(c)} does not replicate delete markers: documents deleted in the primary stay readable in the replica.`);
                }
            }
        }
    }),
});

/** The function's FunctionEventInvokeConfigs (by propertyDependencies or its known name). */
function invokeConfigs(graph: StackGraph, fn: PolicyResource): PolicyResource[] {
    const names = functionNames(fn);
    return graph.ofType(T.eventInvokeConfig).filter((c) =>
        graph.inputSources(c, "functionName").some((s) => s.urn === fn.urn) || names.includes(rawGet(c.props, "functionName") as string));
}

export const failureDestination = stackRule({
    name: "lambda-failure-destination",
    pillar: "reliability",
    description: "Every Lambda function keeps the events it fails on: an on-failure destination or a dead-letter queue.",
    anchors: ["Checkov CKV_AWS_116", "Serverless Rules ES1007"],
    satisfy: "Give the function a FunctionEventInvokeConfig with destinationConfig.onFailure.destination (an encrypted SQS queue, as HardenedFunction does) or a deadLetterConfig.targetArn.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(T.function), (fn) => {
        if (isSet(fn.props, "deadLetterConfig", "targetArn")) {
            return;
        }
        const configs = invokeConfigs(graph, fn);
        if (!configs.some((c) => isSet(c.props, "destinationConfig", "onFailure", "destination"))) {
            report(fn, configs.length === 0
                ? `${label(fn)} has neither a dead-letter queue nor a FunctionEventInvokeConfig: failed asynchronous events are dropped.`
                : `${label(fn)}'s FunctionEventInvokeConfig has no destinationConfig.onFailure.destination: failed events are dropped.`);
        }
    }),
});

export const reservedConcurrency = resourceRule({
    name: "lambda-reserved-concurrency",
    pillar: "reliability",
    description: "Lambda functions reserve their concurrency: a guaranteed share and a ceiling that protects what they call.",
    anchors: ["Checkov CKV_AWS_115", "Serverless Lens REL 1"],
    satisfy: "Set reservedConcurrentExecutions to a positive number (tandem:<fn>ReservedConcurrency).",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    types: [T.function],
    check: ({ props, report }) => {
        const reserved = known(props, "reservedConcurrentExecutions");
        if (reserved === undefined || reserved === -1) {
            report("reservedConcurrentExecutions is not set: the function competes for the account's unreserved concurrency and has no ceiling.");
        } else if (typeof reserved !== "number" || reserved < 1) {
            report(`reservedConcurrentExecutions is ${JSON.stringify(reserved)}: 0 throttles every invocation.`);
        }
    },
});

export const explicitTimeout = resourceRule({
    name: "lambda-explicit-timeout",
    pillar: "reliability",
    description: "Lambda functions set their timeout explicitly instead of inheriting the 3-second default.",
    anchors: ["Serverless Rules ES1006"],
    satisfy: "Set timeout (seconds) from measured latency (tandem:<fn>TimeoutSeconds); the duration alarm fires at 80% of it.",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    types: [T.function],
    check: ({ props, report }) => {
        if (!isSet(props, "timeout")) {
            report("timeout is not set: the function inherits the 3-second default.");
        }
    },
});

export const explicitMemory = resourceRule({
    name: "lambda-explicit-memory",
    pillar: "reliability",
    description: "Lambda functions set their memory explicitly instead of inheriting the 128 MB default.",
    anchors: ["Serverless Rules ES1005"],
    satisfy: "Set memorySize (MB) from measurement (tandem:<fn>MemoryMb); memory also sets the CPU share.",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    types: [T.function],
    check: ({ props, report }) => {
        if (!isSet(props, "memorySize")) {
            report("memorySize is not set: the function inherits 128 MB and the CPU share that comes with it.");
        }
    },
});

/** Runtimes Lambda supports on Amazon Linux 2023 and has not scheduled for deprecation (as of 2026-11). */
export const SUPPORTED_RUNTIMES = [
    "nodejs22.x", "nodejs24.x", "python3.12", "python3.13", "python3.14", "java21", "java25", "dotnet8", "dotnet10",
    "ruby3.3", "ruby3.4", "provided.al2023",
];

export const supportedRuntime = resourceRule<{ allowedRuntimes: string[] }>({
    name: "lambda-supported-runtime",
    pillar: "reliability",
    description: "Lambda functions run on a runtime that still receives security updates.",
    anchors: ["Checkov CKV_AWS_363", "Security Hub Lambda.2", "Serverless Rules E2531 (EOL runtime)"],
    satisfy: "Set runtime to one of allowedRuntimes (Tandem: aws.lambda.Runtime.NodeJS22dX).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            allowedRuntimes: { type: "array", items: { type: "string" }, default: SUPPORTED_RUNTIMES, description: "Runtimes accepted." },
        },
    },
}, {
    types: [T.function],
    check: ({ props, config, report, notApplicable }) => {
        if (known(props, "packageType") === "Image") {
            notApplicable("container image functions bring their own runtime");
        }
        const runtime = known(props, "runtime");
        if (typeof runtime !== "string" || !config.allowedRuntimes.includes(runtime)) {
            report(`runtime ${JSON.stringify(runtime)} is not one of the supported runtimes (${config.allowedRuntimes.join(", ")}).`);
        }
    },
});

export const functionAlarms = stackRule<{ requiredMetrics: string[] }>({
    name: "lambda-function-alarms",
    pillar: "reliability",
    description: "Every Lambda function has CloudWatch alarms on its Errors and Throttles metrics.",
    anchors: ["Serverless Rules: Lambda No Error Alarm", "Well-Architected REL06-BP01", "Serverless Lens OPS 1"],
    satisfy: "Create a MetricAlarm per metric in namespace AWS/Lambda with dimensions { FunctionName: fn.name } (the output, so the alarm depends on the function), as Monitoring does.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            requiredMetrics: { type: "array", items: { type: "string" }, minItems: 1, default: ["Errors", "Throttles"], description: "AWS/Lambda metrics each function needs an alarm on." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(T.function), (fn) => {
        const missing = config.requiredMetrics.filter((metric) => alarmsOn(graph, fn, "AWS/Lambda", [metric], "FunctionName", ["name"]).length === 0);
        if (missing.length > 0) {
            report(fn, `${label(fn)} has no alarm on ${missing.join(", ")}.`);
        }
    }),
});

/** Queues that hold failed events: failure destinations, dead-letter queues and redrive targets. */
function failureQueues(graph: StackGraph): PolicyResource[] {
    const queues = new Map<string, PolicyResource>();
    const add = (r: PolicyResource, prop: string) => graph.inputSources(r, prop, [T.queue]).forEach((q) => queues.set(q.urn, q));
    graph.ofType(T.eventInvokeConfig).forEach((c) => add(c, "destinationConfig"));
    graph.ofType(T.function).forEach((f) => add(f, "deadLetterConfig"));
    graph.ofType(T.eventTarget).forEach((t) => add(t, "deadLetterConfig"));
    graph.ofType(T.queue).forEach((q) => add(q, "redrivePolicy"));
    graph.ofType(T.redrivePolicy).forEach((p) => add(p, "redrivePolicy"));
    return [...queues.values()];
}

export const failureQueueAlarm = stackRule<{ metricNames: string[] }>({
    name: "sqs-failure-queue-alarm",
    pillar: "reliability",
    description: "Every queue that receives failed events (failure destination, DLQ, redrive target) has a depth or age alarm.",
    anchors: ["Well-Architected REL06-BP01", "Serverless Lens REL 2"],
    satisfy: "Create a MetricAlarm in namespace AWS/SQS on ApproximateNumberOfMessagesVisible (or ApproximateAgeOfOldestMessage) with dimensions { QueueName: queue.name }.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            metricNames: {
                type: "array", items: { type: "string" }, minItems: 1,
                default: ["ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"],
                description: "AWS/SQS metrics that count as watching the queue (any one).",
            },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(failureQueues(graph), (queue) => {
        if (alarmsOn(graph, queue, "AWS/SQS", config.metricNames, "QueueName", ["name"]).length === 0) {
            report(queue, `${label(queue)} receives failed events but no alarm watches it (${config.metricNames.join(" or ")}): failures would pile up unseen.`);
        }
    }),
});

export const alarmAction = stackRule({
    name: "cloudwatch-alarm-action",
    pillar: "reliability",
    description: "CloudWatch alarms have actions enabled and notify someone when they fire.",
    anchors: ["AWS Config cloudwatch-alarm-action-check", "Checkov CKV_AWS_319", "Security Hub CloudWatch.15"],
    satisfy: "Leave actionsEnabled on (the default) and set alarmActions to the alarm topic's ARN, as Monitoring does.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(T.metricAlarm, T.compositeAlarm), (alarm) => {
        if (known(alarm.props, "actionsEnabled") === false) {
            report(alarm, `${label(alarm)} has actionsEnabled false: it changes state and tells nobody.`);
        }
        // In a preview the topic ARN is unknown (and the SDK may send the whole list as unknown); that
        // the actions are computed from a resource (the topic) is known, and is enough to know they are set.
        const actions = rawGet(alarm.props, "alarmActions");
        const computed = graph.inputSources(alarm, "alarmActions").length > 0;
        const count = isUnknown(actions) ? (computed ? 1 : knownList(alarm.props, "alarmActions").length) : asList(actions).length;
        if (count === 0) {
            report(alarm, `${label(alarm)} has no alarmActions: it tells nobody when it fires.`);
        }
    }),
});

export const replicationLagAlarm = stackRule<{ metricNames: string[] }>({
    name: "s3-replication-lag-alarm",
    pillar: "reliability",
    description: "Every replicated bucket has an alarm on its replication lag, the live recovery point.",
    anchors: ["Well-Architected REL06-BP01", "Well-Architected REL13-BP01 (RPO)", "AWS S3 docs: Replication metrics"],
    satisfy: "Enable replication metrics on the rule and create a MetricAlarm in namespace AWS/S3 on ReplicationLatency with dimensions { SourceBucket: bucket.bucket, DestinationBucket, RuleId } and the RPO as threshold, as Monitoring does.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            metricNames: { type: "array", items: { type: "string" }, minItems: 1, default: ["ReplicationLatency"], description: "AWS/S3 replication metrics that count as watching the lag (any one)." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(...BUCKET), (bucket) => {
        const replicated = sideResources(graph, bucket, "replication").some((c) => enabledRules(c).length > 0);
        if (replicated && alarmsOn(graph, bucket, "AWS/S3", config.metricNames, "SourceBucket", ["bucket"]).length === 0) {
            report(bucket, `${label(bucket)} replicates to another region but no alarm watches ${config.metricNames.join(" or ")}: a stalled replication would go unseen.`);
        }
    }),
});

export const reliabilityPolicies: TandemPolicy[] = [
    versioning, crossRegionReplication, replicationEncryptedObjects, replicationDeleteMarkers, failureDestination,
    reservedConcurrency, explicitTimeout, explicitMemory, supportedRuntime, functionAlarms, failureQueueAlarm, alarmAction,
    replicationLagAlarm,
];
