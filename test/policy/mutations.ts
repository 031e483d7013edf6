// The mutation suite: named defects injected into the REAL program (through resource transformations
// applied to every resource it registers, through its stack configuration, or by dropping resources
// from the evaluated inventory), each naming the rule that must catch it. `npm run mutate` and
// test/policy/mutations.test.ts run them through the pack, served as the engine serves it.
import * as pulumi from "@pulumi/pulumi";
import { evaluateStack, Inventory, RecordedResource, StackName } from "../../tools/engine/evaluate";
import { PolicyHost, PolicyReport } from "../../tools/engine/policyHost";

export interface Mutation {
    name: string;
    /** The rule that must report a mandatory violation on the mutated stack. */
    rule: string;
    stack: StackName;
    /** What the defect is, in one line. */
    description: string;
    /** Evaluate as a first preview (computed outputs unknown). */
    preview?: boolean;
    /** Stack configuration overrides (string values, as in Pulumi.<stack>.yaml). */
    config?: Record<string, string>;
    transformations?: pulumi.ResourceTransformation[];
    /** Resources dropped from the evaluated inventory (as if the program no longer declared them). */
    remove?: (r: RecordedResource) => boolean;
}

type Props = Record<string, any>;

/** Rewrites the inputs of the resources of `type` (named `name`, if given) as the program registers them. */
function edit(type: string, name: string | undefined, change: (props: Props) => Props): pulumi.ResourceTransformation {
    return (args) => (args.type === type && (name === undefined || args.name === name)
        ? { props: change({ ...args.props }), opts: args.opts }
        : undefined);
}

/** Rewrites a JSON policy document input (an Output<string> in the program). */
function editDocument(type: string, name: string, prop: string, change: (doc: any) => any): pulumi.ResourceTransformation {
    return edit(type, name, (p) => ({ ...p, [prop]: pulumi.output(p[prop]).apply((json: string) => JSON.stringify(change(JSON.parse(json)))) }));
}

const without = (obj: Props, ...keys: string[]): Props => Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));
const named = (type: string, ...names: string[]) => (r: RecordedResource) => r.type === type && names.includes(r.name);

const T = {
    bucket: "aws:s3/bucket:Bucket",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    logging: "aws:s3/bucketLogging:BucketLogging",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    key: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    topic: "aws:sns/topic:Topic",
    queue: "aws:sqs/queue:Queue",
    fn: "aws:lambda/function:Function",
    url: "aws:lambda/functionUrl:FunctionUrl",
    permission: "aws:lambda/permission:Permission",
    invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    provider: "pulumi:providers:aws",
};

const DATA = "documents-data";
const replicationRule = (change: (rule: Props) => Props) => edit(T.replication, "replication", (p) => ({ ...p, rules: p.rules.map(change) }));

export const MUTATIONS: Mutation[] = [
    // Security: S3
    { name: "sse-s3-instead-of-kms", rule: "s3-sse-kms-customer-key", stack: "prod", description: "the data bucket's default encryption is AES256 (SSE-S3)",
        transformations: [edit(T.sse, DATA, (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }))] },
    { name: "sse-kms-aws-managed-key", rule: "s3-sse-kms-customer-key", stack: "dr", description: "the data bucket uses the AWS managed key alias/aws/s3",
        transformations: [edit(T.sse, DATA, (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }, bucketKeyEnabled: true }] }))] },
    { name: "bucket-key-off", rule: "s3-bucket-key-enabled", stack: "prod", description: "S3 Bucket Keys off on the data bucket",
        transformations: [edit(T.sse, DATA, (p) => ({ ...p, rules: p.rules.map((r: Props) => ({ ...r, bucketKeyEnabled: false })) }))] },
    { name: "public-access-block-policy-off", rule: "s3-public-access-block", stack: "prod", description: "one of the four public access blocks (blockPublicPolicy) is false",
        transformations: [edit(T.pab, DATA, (p) => ({ ...p, blockPublicPolicy: false }))] },
    { name: "public-access-block-missing", rule: "s3-public-access-block", stack: "dr", description: "the data bucket's BucketPublicAccessBlock is gone",
        remove: named(T.pab, DATA) },
    { name: "acls-enabled", rule: "s3-acls-disabled", stack: "prod", description: "object ownership ObjectWriter (ACLs enabled)",
        transformations: [edit(T.ownership, DATA, (p) => ({ ...p, rule: { objectOwnership: "ObjectWriter" } }))] },
    { name: "tls-deny-removed", rule: "s3-tls-only-policy", stack: "prod", description: "the bucket policy no longer denies plain HTTP",
        transformations: [editDocument(T.bucketPolicy, DATA, "policy", (d) => ({ ...d, Statement: d.Statement.filter((s: Props) => s.Sid !== "DenyInsecureTransport") }))] },
    { name: "public-read-bucket-policy", rule: "s3-no-public-policy", stack: "prod", description: "the bucket policy lets everyone read objects",
        transformations: [editDocument(T.bucketPolicy, DATA, "policy", (d) => ({
            ...d, Statement: [...d.Statement, { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${d.Statement[0].Resource[0]}/*` }],
        }))] },
    { name: "access-logging-removed", rule: "s3-access-logging", stack: "prod", description: "the data bucket's BucketLogging is gone",
        remove: named(T.logging, DATA) },

    // Security: KMS
    { name: "key-rotation-off", rule: "kms-key-rotation", stack: "prod", description: "automatic key rotation off",
        transformations: [edit(T.key, "region-key", (p) => ({ ...p, enableKeyRotation: false }))] },
    { name: "key-policy-wildcard-principal", rule: "kms-key-policy-no-public-principal", stack: "prod", description: "the key policy's administration statement trusts Principal AWS \"*\"",
        transformations: [editDocument(T.key, "region-key", "policy", (d) => ({
            ...d, Statement: d.Statement.map((s: Props) => (s.Sid === "AccountAdministersThroughIam" ? { ...s, Principal: { AWS: "*" } } : s)),
        }))] },
    { name: "key-lockout-bypass", rule: "kms-no-lockout-bypass", stack: "dr", description: "bypassPolicyLockoutSafetyCheck true",
        transformations: [edit(T.key, "region-key", (p) => ({ ...p, bypassPolicyLockoutSafetyCheck: true }))] },
    { name: "key-deletion-window-7-days", rule: "kms-deletion-window", stack: "prod", description: "tandem:kmsDeletionWindowDays 7",
        config: { "tandem:kmsDeletionWindowDays": "7" } },

    // Security: encryption at rest, secrets
    { name: "log-group-unencrypted", rule: "cloudwatch-log-group-kms", stack: "prod", description: "the api log group without kmsKeyId",
        transformations: [edit(T.logGroup, "api", (p) => without(p, "kmsKeyId"))] },
    { name: "sns-topic-unencrypted", rule: "sns-topic-kms", stack: "prod", description: "the alarm topic without kmsMasterKeyId",
        transformations: [edit(T.topic, "monitoring-alarms", (p) => without(p, "kmsMasterKeyId"))] },
    { name: "sqs-sse-sqs-only", rule: "sqs-queue-customer-key", stack: "dr", description: "a failure queue on SSE-SQS instead of the region key",
        transformations: [edit(T.queue, "ingest-failures", (p) => ({ ...without(p, "kmsMasterKeyId", "kmsDataKeyReusePeriodSeconds"), sqsManagedSseEnabled: true }))] },
    { name: "lambda-environment-default-key", rule: "lambda-environment-customer-key", stack: "prod", description: "the api function without kmsKeyArn",
        transformations: [edit(T.fn, "api", (p) => without(p, "kmsKeyArn"))] },
    { name: "lambda-environment-secret", rule: "lambda-environment-no-secrets", stack: "prod", description: "a database password in the api's environment",
        transformations: [edit(T.fn, "api", (p) => ({
            ...p, environment: pulumi.output(p.environment).apply((e: Props) => ({ ...e, variables: { ...e.variables, DB_PASSWORD: "correct-horse-battery-staple" } })),
        }))] },

    // Security: invocation
    { name: "function-url-auth-none", rule: "lambda-function-url-auth", stack: "prod", description: "the api's Function URL with authorizationType NONE",
        transformations: [edit(T.url, "api", (p) => ({ ...p, authorizationType: "NONE" }))] },
    { name: "permission-without-source-arn", rule: "lambda-permission-scoped", stack: "prod", description: "the canary's EventBridge permission without sourceArn",
        transformations: [edit(T.permission, "canary", (p) => without(p, "sourceArn"))] },
    { name: "s3-permission-without-source-account", rule: "lambda-permission-scoped", stack: "dr", description: "the ingest S3 permission without sourceAccount",
        transformations: [edit(T.permission, "ingest", (p) => without(p, "sourceAccount"))] },

    // Security: IAM
    { name: "wildcard-iam-action", rule: "iam-no-wildcard-action", stack: "prod", description: "the api role may s3:* on the bucket",
        transformations: [editDocument(T.rolePolicy, "api", "policy", (d) => ({
            ...d, Statement: d.Statement.map((s: Props) => (s.Sid === "ListDocuments" ? { ...s, Action: "s3:*" } : s)),
        }))] },
    { name: "wildcard-iam-resource", rule: "iam-no-wildcard-resource", stack: "prod", description: "the ingest role may write manifests to any bucket (Resource \"*\")",
        transformations: [editDocument(T.rolePolicy, "ingest", "policy", (d) => ({
            ...d, Statement: d.Statement.map((s: Props) => (s.Sid === "ReadWriteManifests" ? { ...s, Resource: "*" } : s)),
        }))] },
    { name: "full-access-managed-policy", rule: "iam-no-admin-managed-policy", stack: "prod", description: "AmazonS3FullAccess attached to the api role",
        transformations: [edit(T.role, "api", (p) => ({ ...p, managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"] }))] },
    { name: "trust-policy-any-account", rule: "iam-trust-policy-scoped", stack: "dr", description: "the canary role's trust policy without its aws:SourceAccount condition",
        transformations: [editDocument(T.role, "canary", "assumeRolePolicy", (d) => ({ ...d, Statement: d.Statement.map((s: Props) => without(s, "Condition")) }))] },

    // Reliability
    { name: "versioning-suspended", rule: "s3-versioning-enabled", stack: "prod", description: "the data bucket's versioning Suspended",
        transformations: [edit(T.versioning, DATA, (p) => ({ ...p, versioningConfiguration: { status: "Suspended" } }))] },
    { name: "replication-disabled", rule: "s3-cross-region-replication", stack: "prod", description: "tandem:replicationEnabled false on the primary",
        config: { "tandem:replicationEnabled": "false" } },
    { name: "replication-to-same-region", rule: "s3-cross-region-replication", stack: "prod", description: "the peer provider points at the home region (us-east-1)",
        transformations: [edit(T.provider, "peer", (p) => ({ ...p, region: "us-east-1" }))] },
    { name: "replication-rule-disabled", rule: "s3-cross-region-replication", stack: "prod", description: "the replication rule's status Disabled",
        transformations: [replicationRule((r) => ({ ...r, status: "Disabled" }))] },
    { name: "replication-skips-kms-objects", rule: "s3-replication-kms-objects", stack: "prod", description: "sseKmsEncryptedObjects Disabled",
        transformations: [replicationRule((r) => ({ ...r, sourceSelectionCriteria: { ...r.sourceSelectionCriteria, sseKmsEncryptedObjects: { status: "Disabled" } } }))] },
    { name: "replication-without-replica-key", rule: "s3-replication-kms-objects", stack: "prod", description: "no replicaKmsKeyId",
        transformations: [replicationRule((r) => ({ ...r, destination: without(r.destination, "encryptionConfiguration") }))] },
    { name: "delete-markers-not-replicated", rule: "s3-replication-delete-markers", stack: "prod", description: "deleteMarkerReplication Disabled",
        transformations: [replicationRule((r) => ({ ...r, deleteMarkerReplication: { status: "Disabled" } }))] },
    { name: "failure-destination-missing", rule: "lambda-failure-destination", stack: "prod", description: "the ingest invoke config without an on-failure destination",
        transformations: [edit(T.invokeConfig, "ingest", (p) => without(p, "destinationConfig"))] },
    { name: "reserved-concurrency-unset", rule: "lambda-reserved-concurrency", stack: "prod", description: "the api without reservedConcurrentExecutions",
        transformations: [edit(T.fn, "api", (p) => without(p, "reservedConcurrentExecutions"))] },
    { name: "timeout-unset", rule: "lambda-explicit-timeout", stack: "dr", description: "the canary without timeout",
        transformations: [edit(T.fn, "canary", (p) => without(p, "timeout"))] },
    { name: "memory-unset", rule: "lambda-explicit-memory", stack: "prod", description: "the ingest function without memorySize",
        transformations: [edit(T.fn, "ingest", (p) => without(p, "memorySize"))] },
    { name: "deprecated-runtime", rule: "lambda-supported-runtime", stack: "prod", description: "the api on nodejs16.x",
        transformations: [edit(T.fn, "api", (p) => ({ ...p, runtime: "nodejs16.x" }))] },
    { name: "function-without-alarms", rule: "lambda-function-alarms", stack: "prod", description: "the ingest function's errors and throttles alarms are gone",
        remove: named(T.alarm, "ingest-errors", "ingest-throttles") },
    { name: "throttles-alarm-missing", rule: "lambda-function-alarms", stack: "dr", description: "the api's throttles alarm is gone",
        remove: named(T.alarm, "api-throttles") },
    { name: "failure-queue-alarm-missing", rule: "sqs-failure-queue-alarm", stack: "prod", description: "the api failure queue's depth alarm is gone",
        remove: named(T.alarm, "api-failed-events") },
    { name: "alarm-without-action", rule: "cloudwatch-alarm-action", stack: "prod", description: "the api errors alarm with no alarmActions",
        transformations: [edit(T.alarm, "api-errors", (p) => ({ ...p, alarmActions: [] }))] },
    { name: "alarm-actions-disabled", rule: "cloudwatch-alarm-action", stack: "dr", description: "the canary duration alarm with actionsEnabled false",
        transformations: [edit(T.alarm, "canary-duration", (p) => ({ ...p, actionsEnabled: false }))] },
    { name: "replication-lag-alarm-missing", rule: "s3-replication-lag-alarm", stack: "prod", description: "the S3 replication latency alarm is gone",
        remove: named(T.alarm, "replication-latency") },

    // Operational excellence
    { name: "log-retention-unset", rule: "lambda-log-group-retention", stack: "prod", description: "the api log group without retentionInDays",
        transformations: [edit(T.logGroup, "api", (p) => without(p, "retentionInDays"))] },
    { name: "log-retention-too-short", rule: "lambda-log-group-retention", stack: "dr", description: "tandem:logRetentionDays 7",
        config: { "tandem:logRetentionDays": "7" } },
    { name: "function-log-group-missing", rule: "lambda-log-group-retention", stack: "prod", description: "the canary's log group is gone",
        remove: named(T.logGroup, "canary") },
    { name: "tracing-passthrough", rule: "lambda-tracing-active", stack: "prod", description: "X-Ray tracing PassThrough on the ingest function",
        transformations: [edit(T.fn, "ingest", (p) => ({ ...p, tracingConfig: { mode: "PassThrough" } }))] },
    { name: "tags-missing", rule: "required-tags", stack: "prod", description: "the home provider's default tags lose cost-center",
        // The provider JSON-encodes its nested configuration before registering: defaultTags is a JSON string here.
        transformations: [edit(T.provider, "home", (p) => ({
            ...p, defaultTags: pulumi.output(p.defaultTags).apply((json: string) => {
                const d = JSON.parse(json);
                return JSON.stringify({ ...d, tags: without(d.tags, "cost-center") });
            }),
        }))] },
    { name: "dashboard-missing", rule: "cloudwatch-dashboard", stack: "dr", description: "the region dashboard is gone",
        remove: named(T.dashboard, "monitoring") },
    { name: "exemption-without-reason", rule: "policy-exemption-valid", stack: "prod", description: "the data bucket exempted from s3-access-logging with an empty reason",
        transformations: [edit(T.bucket, DATA, (p) => ({ ...p, tags: { ...p.tags, "tandem:policy-exempt:s3-access-logging": "" } }))] },
    { name: "exemption-names-no-rule", rule: "policy-exemption-valid", stack: "dr", description: "an exemption tag naming a rule the pack does not have",
        transformations: [edit(T.bucket, DATA, (p) => ({ ...p, tags: { ...p.tags, "tandem:policy-exempt:s3-logging": "logs are shipped to the SIEM by another pipeline" } }))] },

    // Performance efficiency
    { name: "x86_64", rule: "lambda-arm64", stack: "prod", description: "the api on x86_64",
        transformations: [edit(T.fn, "api", (p) => ({ ...p, architectures: ["x86_64"] }))] },
    { name: "memory-oversized", rule: "lambda-memory-bounds", stack: "prod", description: "tandem:ingestMemoryMb 10240",
        config: { "tandem:ingestMemoryMb": "10240" } },

    // Cost optimization
    { name: "abort-incomplete-uploads-removed", rule: "s3-lifecycle-abort-incomplete-uploads", stack: "prod", description: "the data bucket's abort-incomplete-uploads lifecycle rule is gone",
        transformations: [edit(T.lifecycle, DATA, (p) => ({ ...p, rules: p.rules.filter((r: Props) => r.id !== "abort-incomplete-multipart-uploads") }))] },
    { name: "noncurrent-versions-kept-forever", rule: "s3-lifecycle-noncurrent-expiration", stack: "dr", description: "no lifecycle rule expires noncurrent versions",
        transformations: [edit(T.lifecycle, DATA, (p) => ({ ...p, rules: p.rules.map((r: Props) => without(r, "noncurrentVersionExpiration")) }))] },
    { name: "log-retention-infinite", rule: "cloudwatch-log-retention-set", stack: "prod", description: "the ingest log group with retentionInDays 0 (never expire)",
        transformations: [edit(T.logGroup, "ingest", (p) => ({ ...p, retentionInDays: 0 }))] },

    // Decided in a first preview, from dependencies alone (the ARNs and IDs involved are unknown then)
    { name: "preview: function-without-alarms", rule: "lambda-function-alarms", stack: "prod", preview: true, description: "as function-without-alarms, in a first preview",
        remove: named(T.alarm, "canary-errors", "canary-throttles") },
    { name: "preview: failure-destination-missing", rule: "lambda-failure-destination", stack: "dr", preview: true, description: "as failure-destination-missing, in a first preview",
        transformations: [edit(T.invokeConfig, "api", (p) => without(p, "destinationConfig"))] },
    { name: "preview: public-access-block-missing", rule: "s3-public-access-block", stack: "prod", preview: true, description: "as public-access-block-missing, in a first preview",
        remove: named(T.pab, DATA) },
    { name: "preview: replication-to-same-region", rule: "s3-cross-region-replication", stack: "prod", preview: true, description: "as replication-to-same-region, in a first preview",
        transformations: [edit(T.provider, "peer", (p) => ({ ...p, region: "us-east-1" }))] },
    { name: "preview: log-group-unencrypted", rule: "cloudwatch-log-group-kms", stack: "dr", preview: true, description: "as log-group-unencrypted, in a first preview",
        transformations: [edit(T.logGroup, "ingest", (p) => without(p, "kmsKeyId"))] },
];

export interface MutationResult {
    mutation: Mutation;
    killed: boolean;
    /** The targeted rule's first message, or why the mutation survived. */
    detail: string;
    report: PolicyReport;
}

/** The inventory without the resources `remove` selects. */
export function withoutResources(inventory: Inventory, remove: (r: RecordedResource) => boolean): Inventory {
    const removed = inventory.resources.filter(remove);
    if (removed.length === 0) {
        throw new Error("the mutation removes nothing: no resource matches");
    }
    return { ...inventory, resources: inventory.resources.filter((r) => !remove(r)) };
}

/** Runs the mutations through `host`, evaluating the next mutated program while the pack checks the last. */
export async function runMutations(host: PolicyHost, mutations: Mutation[], onResult?: (r: MutationResult) => void): Promise<MutationResult[]> {
    const baselines = new Map<string, Promise<Inventory>>();
    const baseline = (stack: string, preview: boolean) => {
        const key = `${stack}:${preview}`;
        if (!baselines.has(key)) {
            baselines.set(key, evaluateStack(stack, { world: { preview } }));
        }
        return baselines.get(key)!;
    };
    const mutate = async (m: Mutation): Promise<Inventory> => {
        const evaluated = m.config || m.transformations
            ? await evaluateStack(m.stack, { config: m.config, transformations: m.transformations, world: { preview: m.preview ?? false } })
            : await baseline(m.stack, m.preview ?? false);
        return m.remove ? withoutResources(evaluated, m.remove) : evaluated;
    };
    const results: MutationResult[] = [];
    let next = mutate(mutations[0]);
    for (let i = 0; i < mutations.length; i++) {
        const m = mutations[i];
        const inventory = await next;
        if (i + 1 < mutations.length) {
            next = mutate(mutations[i + 1]);
            next.catch(() => undefined);
        }
        const report = await host.run(inventory);
        const caught = report.violations.filter((v) => v.policy === m.rule && v.level === "mandatory");
        const result: MutationResult = {
            mutation: m,
            killed: caught.length > 0,
            detail: caught.length > 0
                ? caught[0].message.split("\n")[0]
                : `not caught; ${m.rule} reported ${report.violations.filter((v) => v.policy === m.rule).map((v) => `${v.level}: ${v.message.split("\n")[0]}`).join(" | ") || "nothing"}`,
            report,
        };
        results.push(result);
        onResult?.(result);
    }
    return results;
}
