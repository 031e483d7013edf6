// The whole-program negative suite: realistic one-line mistakes in infra/, index.ts and the stack
// files (what a teammate in a hurry does), each injected into the REAL program — by editing the
// stack it registers (most cases: the program is evaluated once per stack configuration and the
// recorded resources are edited as the changed line would register them), through its own code path
// (resource transformations), or through its stack configuration — and each naming the rule that must
// catch it and the exact resource the violation must be reported on.
// `npm run mutate` prints them with the per-rule fixtures; mutations.test.ts runs them in-process
// and a sample of them through the pack served over gRPC, which must give the same verdicts.
import * as pulumi from "@pulumi/pulumi";
import { evaluateStack, Inventory, StackName } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";
import { policies } from "../../policy/rules";
import { EngineViolation, runPolicies } from "./harness/engine";
import { engineResources, STACK_TAGS } from "./harness/inventory";
import {
    addStmt, attr, chain, change, dependsOn, doc, Edit, remove, stmt, T, transform, transformDoc, without,
} from "./programEdits";

export type CaseClass = "baseline" | "relations" | "wildcards" | "conditions" | "roles" | "new rules" | "exemptions";

export interface ProgramCase {
    name: string;
    class: CaseClass;
    /** The rule that must report a mandatory violation. */
    rule: string;
    /** The resource it must be reported on: [type, logical name]. */
    flags: [string, string];
    stack: StackName;
    /** The change, as the teammate would describe it. */
    description: string;
    preview?: boolean;
    /** Stack configuration (string values, as Pulumi.<stack>.yaml holds them). */
    config?: Record<string, string>;
    /** Through the program's own code path. */
    transformations?: pulumi.ResourceTransformation[];
    /** On the evaluated stack. */
    edit?: Edit;
}

const DATA = "documents-data";
const LOGS = "documents-access-logs";
const PROD_PEER_BUCKET = "tandem-data-123456789012-us-west-2";
const rules = (fn: (r: any) => any) => change(T.replication, "replication", (p) => ({ ...p, rules: p.rules.map(fn) }));
const destination = (fn: (d: any, inv: Inventory) => any) => change(T.replication, "replication", (p, inv) => ({ ...p, rules: p.rules.map((r: any) => ({ ...r, destination: fn(r.destination, inv) })) }));
const dims = (alarm: string, fn: (d: any, inv: Inventory) => any) => change(T.alarm, alarm, (p, inv) => ({ ...p, dimensions: fn(p.dimensions, inv) }));
const env = (fnName: string, vars: Record<string, string>) => change(T.fn, fnName, (p) => ({ ...p, environment: { ...p.environment, variables: { ...p.environment.variables, ...vars } } }));
const trust = (role: string, fn: (s: any) => any) => doc(T.role, role, "assumeRolePolicy", (d) => ({ ...d, Statement: d.Statement.map(fn) }));
const keyStmt = (sid: string, fn: (s: any) => any) => stmt(T.key, "region-key", sid, fn);
const tags = (type: string, name: string, add: Record<string, string>) => change(type, name, (p) => ({ ...p, tags: { ...(p.tags ?? {}), ...add } }));
const setLifecycle = (bucket: string, fn: (r: any) => any) => change(T.lifecycle, bucket, (p) => ({ ...p, rules: p.rules.map(fn) }));
const dashboardBody = (fn: (body: any, inv: Inventory) => any) => doc(T.dashboard, "monitoring", "dashboardBody", fn);
const mapMetrics = (fn: (m: any[]) => any[] | undefined) => (body: any) => ({
    ...body, widgets: body.widgets.map((w: any) => (w.properties?.metrics ? { ...w, properties: { ...w.properties, metrics: w.properties.metrics.map(fn).filter((m: any) => m !== undefined) } } : w)),
});
const fnArn = (inv: Inventory, name: string) => attr(inv, T.fn, name, "arn");

export const MUTATIONS: ProgramCase[] = [
    // ---- Baseline: one defect per rule family, as the first version of the suite had them ----
    { name: "sse-s3-instead-of-kms", class: "baseline", rule: "s3-sse-kms-customer-key", flags: [T.sse, DATA], stack: "prod", description: "the data bucket's default encryption is AES256 (SSE-S3)",
        edit: change(T.sse, DATA, (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] })) },
    { name: "sse-kms-aws-managed-key", class: "baseline", rule: "s3-sse-kms-customer-key", flags: [T.sse, DATA], stack: "dr", description: "the data bucket uses the AWS managed key alias/aws/s3",
        edit: change(T.sse, DATA, (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }, bucketKeyEnabled: true }] })) },
    { name: "bucket-key-off", class: "baseline", rule: "s3-bucket-key-enabled", flags: [T.sse, DATA], stack: "prod", description: "S3 Bucket Keys off on the data bucket",
        transformations: [transform(T.sse, DATA, (p) => ({ ...p, rules: p.rules.map((r: any) => ({ ...r, bucketKeyEnabled: false })) }))] },
    { name: "public-access-block-policy-off", class: "baseline", rule: "s3-public-access-block", flags: [T.pab, DATA], stack: "prod", description: "blockPublicPolicy false",
        edit: change(T.pab, DATA, (p) => ({ ...p, blockPublicPolicy: false })) },
    { name: "public-access-block-missing", class: "baseline", rule: "s3-public-access-block", flags: [T.bucket, DATA], stack: "dr", description: "the data bucket's BucketPublicAccessBlock is gone",
        edit: remove(T.pab, DATA) },
    { name: "acls-enabled", class: "baseline", rule: "s3-acls-disabled", flags: [T.ownership, DATA], stack: "prod", description: "object ownership ObjectWriter",
        edit: change(T.ownership, DATA, (p) => ({ ...p, rule: { objectOwnership: "ObjectWriter" } })) },
    { name: "tls-deny-removed", class: "baseline", rule: "s3-tls-only-policy", flags: [T.bucketPolicy, DATA], stack: "prod", description: "the bucket policy no longer denies plain HTTP",
        transformations: [transformDoc(T.bucketPolicy, DATA, "policy", (d) => ({ ...d, Statement: d.Statement.filter((s: any) => s.Sid !== "DenyInsecureTransport").concat([{ Sid: "Nothing", Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" }]) }))] },
    { name: "public-read-bucket-policy", class: "baseline", rule: "s3-no-public-policy", flags: [T.bucketPolicy, DATA], stack: "prod", description: "the bucket policy lets everyone read objects",
        edit: addStmt(T.bucketPolicy, DATA, { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/*" }) },
    { name: "access-logging-removed", class: "baseline", rule: "s3-access-logging", flags: [T.bucket, DATA], stack: "prod", description: "the data bucket's BucketLogging is gone",
        edit: remove(T.logging, DATA) },
    { name: "key-rotation-off", class: "baseline", rule: "kms-key-rotation", flags: [T.key, "region-key"], stack: "prod", description: "automatic key rotation off",
        edit: change(T.key, "region-key", (p) => ({ ...p, enableKeyRotation: false })) },
    { name: "key-policy-wildcard-principal", class: "baseline", rule: "kms-key-policy-no-public-principal", flags: [T.key, "region-key"], stack: "prod", description: "the administration statement trusts Principal AWS \"*\"",
        edit: keyStmt("AccountAdministersThroughIam", (s) => ({ ...s, Principal: { AWS: "*" } })) },
    { name: "key-lockout-bypass", class: "baseline", rule: "kms-no-lockout-bypass", flags: [T.key, "region-key"], stack: "dr", description: "bypassPolicyLockoutSafetyCheck true",
        edit: change(T.key, "region-key", (p) => ({ ...p, bypassPolicyLockoutSafetyCheck: true })) },
    { name: "key-deletion-window-7-days", class: "baseline", rule: "kms-deletion-window", flags: [T.key, "region-key"], stack: "prod", description: "tandem:kmsDeletionWindowDays 7",
        config: { "tandem:kmsDeletionWindowDays": "7" } },
    { name: "log-group-unencrypted", class: "baseline", rule: "cloudwatch-log-group-kms", flags: [T.logGroup, "api"], stack: "prod", description: "the api log group without kmsKeyId",
        edit: change(T.logGroup, "api", (p) => without(p, "kmsKeyId")) },
    { name: "sns-topic-unencrypted", class: "baseline", rule: "sns-topic-kms", flags: [T.topic, "monitoring-alarms"], stack: "prod", description: "the alarm topic without kmsMasterKeyId",
        edit: change(T.topic, "monitoring-alarms", (p) => without(p, "kmsMasterKeyId")) },
    { name: "sqs-sse-sqs-only", class: "baseline", rule: "sqs-queue-customer-key", flags: [T.queue, "ingest-failures"], stack: "dr", description: "a failure queue on SSE-SQS",
        edit: change(T.queue, "ingest-failures", (p) => ({ ...without(p, "kmsMasterKeyId", "kmsDataKeyReusePeriodSeconds"), sqsManagedSseEnabled: true })) },
    { name: "lambda-environment-default-key", class: "baseline", rule: "lambda-environment-customer-key", flags: [T.fn, "api"], stack: "prod", description: "the api function without kmsKeyArn",
        edit: change(T.fn, "api", (p) => without(p, "kmsKeyArn")) },
    { name: "lambda-environment-secret", class: "baseline", rule: "lambda-environment-no-secrets", flags: [T.fn, "api"], stack: "prod", description: "a database password in the api's environment",
        edit: env("api", { DB_PASSWORD: "correct-horse-battery-staple" }) },
    { name: "function-url-auth-none", class: "baseline", rule: "lambda-function-url-auth", flags: [T.url, "api"], stack: "prod", description: "authorizationType NONE",
        transformations: [transform(T.url, "api", (p) => ({ ...p, authorizationType: "NONE" }))] },
    { name: "permission-without-source-arn", class: "baseline", rule: "lambda-permission-scoped", flags: [T.permission, "canary"], stack: "prod", description: "the canary's EventBridge permission without sourceArn",
        edit: change(T.permission, "canary", (p) => without(p, "sourceArn")) },
    { name: "s3-permission-without-source-account", class: "baseline", rule: "lambda-permission-scoped", flags: [T.permission, "ingest"], stack: "dr", description: "the ingest S3 permission without sourceAccount",
        edit: change(T.permission, "ingest", (p) => without(p, "sourceAccount")) },
    { name: "wildcard-iam-action", class: "baseline", rule: "iam-no-wildcard-action", flags: [T.rolePolicy, "api"], stack: "prod", description: "the api role may s3:* on the bucket",
        transformations: [transformDoc(T.rolePolicy, "api", "policy", (d) => ({ ...d, Statement: d.Statement.map((s: any) => (s.Sid === "ListDocuments" ? { ...s, Action: "s3:*" } : s)) }))] },
    { name: "wildcard-iam-resource", class: "baseline", rule: "iam-no-wildcard-resource", flags: [T.rolePolicy, "ingest"], stack: "prod", description: "ingest may write manifests to any bucket (Resource \"*\")",
        edit: stmt(T.rolePolicy, "ingest", "ReadWriteManifests", (s) => ({ ...s, Resource: "*" })) },
    { name: "full-access-managed-policy", class: "baseline", rule: "iam-no-admin-managed-policy", flags: [T.role, "api"], stack: "prod", description: "AmazonS3FullAccess on the api role",
        edit: change(T.role, "api", (p) => ({ ...p, managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"] })) },
    { name: "trust-policy-any-account", class: "baseline", rule: "iam-trust-policy-scoped", flags: [T.role, "canary"], stack: "dr", description: "the canary role's trust policy without aws:SourceAccount",
        edit: trust("canary", (s) => without(s, "Condition")) },
    { name: "versioning-suspended", class: "baseline", rule: "s3-versioning-enabled", flags: [T.versioning, DATA], stack: "prod", description: "versioning Suspended",
        edit: change(T.versioning, DATA, (p) => ({ ...p, versioningConfiguration: { status: "Suspended" } })) },
    { name: "replication-disabled", class: "baseline", rule: "s3-cross-region-replication", flags: [T.bucket, DATA], stack: "prod", description: "tandem:replicationEnabled false on the primary",
        config: { "tandem:replicationEnabled": "false" } },
    { name: "replication-rule-disabled", class: "baseline", rule: "s3-cross-region-replication", flags: [T.replication, "replication"], stack: "prod", description: "the replication rule's status Disabled",
        edit: rules((r) => ({ ...r, status: "Disabled" })) },
    { name: "replication-skips-kms-objects", class: "baseline", rule: "s3-replication-kms-objects", flags: [T.replication, "replication"], stack: "prod", description: "sseKmsEncryptedObjects Disabled",
        edit: rules((r) => ({ ...r, sourceSelectionCriteria: { ...r.sourceSelectionCriteria, sseKmsEncryptedObjects: { status: "Disabled" } } })) },
    { name: "replication-without-replica-key", class: "baseline", rule: "s3-replication-kms-objects", flags: [T.replication, "replication"], stack: "prod", description: "no replicaKmsKeyId",
        edit: destination((d) => without(d, "encryptionConfiguration")) },
    { name: "delete-markers-not-replicated", class: "baseline", rule: "s3-replication-delete-markers", flags: [T.replication, "replication"], stack: "prod", description: "deleteMarkerReplication Disabled",
        edit: rules((r) => ({ ...r, deleteMarkerReplication: { status: "Disabled" } })) },
    { name: "failure-destination-missing", class: "baseline", rule: "lambda-failure-destination", flags: [T.fn, "ingest"], stack: "prod", description: "the ingest invoke config without destination",
        edit: change(T.invokeConfig, "ingest", (p) => without(p, "destinationConfig")) },
    { name: "reserved-concurrency-unset", class: "baseline", rule: "lambda-reserved-concurrency", flags: [T.fn, "api"], stack: "prod", description: "the api without reservedConcurrentExecutions",
        edit: change(T.fn, "api", (p) => without(p, "reservedConcurrentExecutions")) },
    { name: "timeout-unset", class: "baseline", rule: "lambda-explicit-timeout", flags: [T.fn, "canary"], stack: "dr", description: "the canary without timeout",
        edit: change(T.fn, "canary", (p) => without(p, "timeout")) },
    { name: "memory-unset", class: "baseline", rule: "lambda-explicit-memory", flags: [T.fn, "ingest"], stack: "prod", description: "ingest without memorySize",
        edit: change(T.fn, "ingest", (p) => without(p, "memorySize")) },
    { name: "deprecated-runtime", class: "baseline", rule: "lambda-supported-runtime", flags: [T.fn, "api"], stack: "prod", description: "the api on nodejs16.x",
        edit: change(T.fn, "api", (p) => ({ ...p, runtime: "nodejs16.x" })) },
    { name: "function-without-alarms", class: "baseline", rule: "lambda-function-alarms", flags: [T.fn, "ingest"], stack: "prod", description: "ingest's errors and throttles alarms are gone",
        edit: remove(T.alarm, "ingest-errors", "ingest-throttles") },
    { name: "throttles-alarm-missing", class: "baseline", rule: "lambda-function-alarms", flags: [T.fn, "api"], stack: "dr", description: "the api's throttles alarm is gone",
        edit: remove(T.alarm, "api-throttles") },
    { name: "failure-queue-alarm-missing", class: "baseline", rule: "sqs-failure-queue-alarm", flags: [T.queue, "api-failures"], stack: "prod", description: "the api failure queue's alarm is gone",
        edit: remove(T.alarm, "api-failed-events") },
    { name: "alarm-without-action", class: "baseline", rule: "cloudwatch-alarm-action", flags: [T.alarm, "api-errors"], stack: "prod", description: "the api errors alarm with no alarmActions",
        edit: change(T.alarm, "api-errors", (p) => ({ ...p, alarmActions: [] })) },
    { name: "alarm-actions-disabled", class: "baseline", rule: "cloudwatch-alarm-action", flags: [T.alarm, "canary-duration"], stack: "dr", description: "actionsEnabled false",
        edit: change(T.alarm, "canary-duration", (p) => ({ ...p, actionsEnabled: false })) },
    { name: "replication-lag-alarm-missing", class: "baseline", rule: "s3-replication-lag-alarm", flags: [T.replication, "replication"], stack: "prod", description: "the S3 replication latency alarm is gone",
        edit: remove(T.alarm, "replication-latency") },
    { name: "log-retention-unset", class: "baseline", rule: "lambda-log-group-retention", flags: [T.logGroup, "api"], stack: "prod", description: "the api log group without retentionInDays",
        edit: change(T.logGroup, "api", (p) => without(p, "retentionInDays")) },
    { name: "log-retention-too-short", class: "baseline", rule: "lambda-log-group-retention", flags: [T.logGroup, "api"], stack: "dr", description: "tandem:logRetentionDays 7",
        config: { "tandem:logRetentionDays": "7" } },
    { name: "function-log-group-missing", class: "baseline", rule: "lambda-log-group-retention", flags: [T.fn, "canary"], stack: "prod", description: "the canary's log group is gone",
        edit: remove(T.logGroup, "canary") },
    { name: "tracing-passthrough", class: "baseline", rule: "lambda-tracing-active", flags: [T.fn, "ingest"], stack: "prod", description: "X-Ray PassThrough on ingest",
        edit: change(T.fn, "ingest", (p) => ({ ...p, tracingConfig: { mode: "PassThrough" } })) },
    { name: "tags-missing", class: "baseline", rule: "required-tags", flags: [T.bucket, DATA], stack: "prod", description: "the home provider's default tags lose cost-center",
        edit: change(T.provider, "home", (p) => {
            const d = JSON.parse(p.defaultTags);
            delete d.tags["cost-center"];
            return { ...p, defaultTags: JSON.stringify(d) };
        }) },
    { name: "dashboard-missing", class: "baseline", rule: "cloudwatch-dashboard", flags: [T.stack, "tandem-dr"], stack: "dr", description: "the region dashboard is gone",
        edit: remove(T.dashboard, "monitoring") },
    { name: "exemption-without-reason", class: "baseline", rule: "policy-exemption-valid", flags: [T.bucket, DATA], stack: "prod", description: "an exemption with an empty reason",
        edit: tags(T.bucket, DATA, { "tandem:policy-exempt:s3-access-logging": "" }) },
    { name: "exemption-names-no-rule", class: "baseline", rule: "policy-exemption-valid", flags: [T.bucket, DATA], stack: "dr", description: "an exemption naming a rule the pack does not have",
        edit: tags(T.bucket, DATA, { "tandem:policy-exempt:s3-logging": "logs are shipped to the SIEM by another pipeline" }) },
    { name: "x86_64", class: "baseline", rule: "lambda-arm64", flags: [T.fn, "api"], stack: "prod", description: "the api on x86_64",
        edit: change(T.fn, "api", (p) => ({ ...p, architectures: ["x86_64"] })) },
    { name: "memory-oversized", class: "baseline", rule: "lambda-memory-bounds", flags: [T.fn, "ingest"], stack: "prod", description: "tandem:ingestMemoryMb 10240",
        config: { "tandem:ingestMemoryMb": "10240" } },
    { name: "abort-incomplete-uploads-removed", class: "baseline", rule: "s3-lifecycle-abort-incomplete-uploads", flags: [T.bucket, DATA], stack: "prod", description: "the abort rule is gone",
        edit: change(T.lifecycle, DATA, (p) => ({ ...p, rules: p.rules.filter((r: any) => r.id !== "abort-incomplete-multipart-uploads") })) },
    { name: "noncurrent-versions-kept-forever", class: "baseline", rule: "s3-lifecycle-noncurrent-expiration", flags: [T.bucket, DATA], stack: "dr", description: "no rule expires noncurrent versions",
        edit: setLifecycle(DATA, (r) => without(r, "noncurrentVersionExpiration")) },
    { name: "log-retention-infinite", class: "baseline", rule: "cloudwatch-log-retention-set", flags: [T.logGroup, "ingest"], stack: "prod", description: "retentionInDays 0",
        edit: change(T.logGroup, "ingest", (p) => ({ ...p, retentionInDays: 0 })) },
    { name: "preview: function-without-alarms", class: "baseline", rule: "lambda-function-alarms", flags: [T.fn, "canary"], stack: "prod", preview: true, description: "as function-without-alarms, in a first preview",
        edit: remove(T.alarm, "canary-errors", "canary-throttles") },
    { name: "preview: failure-destination-missing", class: "baseline", rule: "lambda-failure-destination", flags: [T.fn, "api"], stack: "dr", preview: true, description: "as failure-destination-missing, in a first preview",
        edit: change(T.invokeConfig, "api", (p) => without(p, "destinationConfig")) },
    { name: "preview: public-access-block-missing", class: "baseline", rule: "s3-public-access-block", flags: [T.bucket, DATA], stack: "prod", preview: true, description: "as public-access-block-missing, in a first preview",
        edit: remove(T.pab, DATA) },
    { name: "preview: log-group-unencrypted", class: "baseline", rule: "cloudwatch-log-group-kms", flags: [T.logGroup, "ingest"], stack: "dr", preview: true, description: "as log-group-unencrypted, in a first preview",
        edit: change(T.logGroup, "ingest", (p) => without(p, "kmsKeyId")) },

    // ---- 1. Relations: the right resource, the wrong attribute (or the wrong resource) ----
    { name: "alarm-dimension-is-function-arn", class: "relations", rule: "lambda-function-alarms", flags: [T.fn, "api"], stack: "prod", description: "monitoring.ts: FunctionName: f.function.arn",
        edit: chain(dims("api-errors", (_d, inv) => ({ FunctionName: fnArn(inv, "api") })), dims("api-throttles", (_d, inv) => ({ FunctionName: fnArn(inv, "api") }))) },
    { name: "alarm-dimension-is-function-arn (program)", class: "relations", rule: "lambda-function-alarms", flags: [T.fn, "ingest"], stack: "dr", description: "monitoring.ts: FunctionName: f.function.arn, through the program",
        transformations: [transform(T.alarm, undefined, (p) => (p.namespace === "AWS/Lambda" ? { ...p, dimensions: { FunctionName: pulumi.output(p.dimensions).apply((d: any) => `arn:aws:lambda:us-west-2:123456789012:function:${d.FunctionName}`) } } : p))] },
    { name: "errors-alarm-on-another-function", class: "relations", rule: "lambda-function-alarms", flags: [T.fn, "canary"], stack: "prod", description: "copy-paste: the canary's errors alarm keyed by the api's name",
        edit: dims("canary-errors", () => ({ FunctionName: "tandem-api" })) },
    { name: "queue-alarm-by-url", class: "relations", rule: "sqs-failure-queue-alarm", flags: [T.queue, "ingest-failures"], stack: "prod", description: "QueueName: f.failureQueue.url",
        edit: dims("ingest-failed-events", (_d, inv) => ({ QueueName: attr(inv, T.queue, "ingest-failures", "url") })) },
    { name: "queue-alarm-by-arn", class: "relations", rule: "sqs-failure-queue-alarm", flags: [T.queue, "canary-failures"], stack: "dr", description: "QueueName: f.failureQueue.arn",
        edit: dims("canary-failed-events", (_d, inv) => ({ QueueName: attr(inv, T.queue, "canary-failures", "arn") })) },
    { name: "alarm-action-is-failure-queue", class: "relations", rule: "cloudwatch-alarm-action", flags: [T.alarm, "api-errors"], stack: "prod", description: "alarmActions: [f.failureQueue.arn]",
        edit: chain(change(T.alarm, "api-errors", (p, inv) => ({ ...p, alarmActions: [attr(inv, T.queue, "api-failures", "arn")] })), dependsOn(T.alarm, "api-errors", "alarmActions", [[T.queue, "api-failures"]])) },
    { name: "alarm-action-is-key", class: "relations", rule: "cloudwatch-alarm-action", flags: [T.alarm, "canary-replication-lag"], stack: "dr", description: "alarmActions: [args.kmsKeyArn]",
        edit: chain(change(T.alarm, "canary-replication-lag", (p, inv) => ({ ...p, alarmActions: [attr(inv, T.key, "region-key", "arn")] })), dependsOn(T.alarm, "canary-replication-lag", "alarmActions", [[T.key, "region-key"]])) },
    { name: "alarm-action-is-topic-name", class: "relations", rule: "cloudwatch-alarm-action", flags: [T.alarm, "ingest-throttles"], stack: "prod", description: "alarmActions: [topic.name]",
        edit: change(T.alarm, "ingest-throttles", (p) => ({ ...p, alarmActions: ["tandem-alarms"] })) },
    { name: "ok-action-in-peer-region", class: "relations", rule: "cloudwatch-alarm-action", flags: [T.alarm, "api-duration"], stack: "prod", description: "okActions: the peer region's topic ARN",
        edit: change(T.alarm, "api-duration", (p) => ({ ...p, okActions: ["arn:aws:sns:us-west-2:123456789012:tandem-alarms"] })) },
    { name: "alarm-action-is-function", class: "relations", rule: "cloudwatch-alarm-action", flags: [T.alarm, "canary-errors"], stack: "dr", description: "alarmActions: [f.function.arn]",
        edit: chain(change(T.alarm, "canary-errors", (p, inv) => ({ ...p, alarmActions: [fnArn(inv, "canary")] })), dependsOn(T.alarm, "canary-errors", "alarmActions", [[T.fn, "canary"]])) },
    { name: "replication-into-itself", class: "relations", rule: "s3-replication-destination-valid", flags: [T.replication, "replication"], stack: "prod", description: "index.ts: destinationBucketArn: store.data.arn",
        edit: chain(destination((d, inv) => ({ ...d, bucket: attr(inv, T.bucket, DATA, "arn") })), dependsOn(T.replication, "replication", "rules", [[T.bucket, DATA]])) },
    { name: "preview: replication-into-itself", class: "relations", rule: "s3-replication-destination-valid", flags: [T.replication, "replication"], stack: "prod", preview: true, description: "as replication-into-itself, in a first preview",
        edit: chain(destination((d) => ({ ...d, bucket: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" })), dependsOn(T.replication, "replication", "rules", [[T.bucket, DATA]])) },
    { name: "replica-key-is-home-key", class: "relations", rule: "s3-replication-destination-valid", flags: [T.replication, "replication"], stack: "prod", description: "index.ts: destinationKeyArn: key.arn",
        edit: chain(destination((d, inv) => ({ ...d, encryptionConfiguration: { replicaKmsKeyId: attr(inv, T.key, "region-key", "arn") } })), dependsOn(T.replication, "replication", "rules", [[T.key, "region-key"]])) },
    { name: "replica-key-in-third-region", class: "relations", rule: "s3-replication-destination-valid", flags: [T.replication, "replication"], stack: "prod", description: "a hard-coded replica key in eu-west-1",
        edit: destination((d) => ({ ...d, encryptionConfiguration: { replicaKmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/6f9d1a7e-0c3b-4f5e-9a8d-7c6b5a4e3d2c" } })) },
    { name: "destination-by-bucket-name", class: "relations", rule: "s3-replication-destination-valid", flags: [T.replication, "replication"], stack: "prod", description: "index.ts: destinationBucketArn: peerStore.bucketName",
        edit: destination((d) => ({ ...d, bucket: PROD_PEER_BUCKET })) },
    { name: "peer-provider-in-home-region", class: "relations", rule: "s3-replication-destination-valid", flags: [T.replication, "replication"], stack: "prod", description: "index.ts: the peer provider made with cfg.region",
        transformations: [transform(T.provider, "peer", (p) => ({ ...p, region: "us-east-1" }))] },
    { name: "preview: peer-provider-in-home-region", class: "relations", rule: "s3-replication-destination-valid", flags: [T.replication, "replication"], stack: "prod", preview: true, description: "as peer-provider-in-home-region, in a first preview",
        transformations: [transform(T.provider, "peer", (p) => ({ ...p, region: "us-east-1" }))] },
    { name: "replication-alarm-destination-is-source", class: "relations", rule: "s3-replication-lag-alarm", flags: [T.replication, "replication"], stack: "prod", description: "index.ts: replication.destinationBucket: store.data.name",
        edit: chain(dims("replication-latency", (d) => ({ ...d, DestinationBucket: d.SourceBucket })), dims("replication-failed", (d) => ({ ...d, DestinationBucket: d.SourceBucket }))) },
    { name: "replication-alarm-rule-id-typo", class: "relations", rule: "s3-replication-alarm-has-metrics", flags: [T.alarm, "replication-failed"], stack: "prod", description: "index.ts: ruleId: \"all-objects\"",
        edit: chain(dims("replication-latency", (d) => ({ ...d, RuleId: "all-objects" })), dims("replication-failed", (d) => ({ ...d, RuleId: "all-objects" }))) },
    { name: "replication-alarm-rule-id-typo (lag)", class: "relations", rule: "s3-replication-lag-alarm", flags: [T.replication, "replication"], stack: "prod", description: "index.ts: ruleId: \"all-objects\" (the latency alarm)",
        edit: dims("replication-latency", (d) => ({ ...d, RuleId: "all-objects" })) },
    { name: "replication-alarm-source-is-log-bucket", class: "relations", rule: "s3-replication-lag-alarm", flags: [T.replication, "replication"], stack: "prod", description: "index.ts: sourceBucket: store.accessLogs.name",
        edit: chain(dims("replication-latency", (d, inv) => ({ ...d, SourceBucket: attr(inv, T.bucket, LOGS, "bucket") })), dependsOn(T.alarm, "replication-latency", "dimensions", [[T.bucket, LOGS]])) },
    { name: "access-block-by-arn", class: "relations", rule: "s3-public-access-block", flags: [T.bucket, DATA], stack: "prod", description: "secureBucket.ts: BucketPublicAccessBlock bucket: this.bucket.arn",
        edit: change(T.pab, DATA, (p, inv) => ({ ...p, bucket: attr(inv, T.bucket, DATA, "arn") })) },
    { name: "versioning-by-arn", class: "relations", rule: "s3-versioning-enabled", flags: [T.bucket, LOGS], stack: "dr", description: "secureBucket.ts: BucketVersioning bucket: this.arn",
        edit: change(T.versioning, LOGS, (p, inv) => ({ ...p, bucket: attr(inv, T.bucket, LOGS, "arn") })) },
    { name: "encryption-by-arn", class: "relations", rule: "s3-default-encryption", flags: [T.bucket, DATA], stack: "prod", description: "secureBucket.ts: BucketServerSideEncryptionConfiguration bucket: this.arn",
        edit: change(T.sse, DATA, (p, inv) => ({ ...p, bucket: attr(inv, T.bucket, DATA, "arn") })) },
    { name: "logs-to-itself", class: "relations", rule: "s3-access-logging", flags: [T.logging, DATA], stack: "prod", description: "secureBucket.ts: targetBucket: this.bucket.bucket",
        edit: chain(change(T.logging, DATA, (p, inv) => ({ ...p, targetBucket: attr(inv, T.bucket, DATA, "bucket") })), dependsOn(T.logging, DATA, "targetBucket", [[T.bucket, DATA]])) },
    { name: "replication-config-by-arn", class: "relations", rule: "s3-cross-region-replication", flags: [T.bucket, DATA], stack: "prod", description: "replication.ts: bucket: args.sourceBucket.arn",
        edit: change(T.replication, "replication", (p, inv) => ({ ...p, bucket: attr(inv, T.bucket, DATA, "arn") })) },
    { name: "function-role-by-name", class: "relations", rule: "iam-role-trust-matches-use", flags: [T.fn, "ingest"], stack: "prod", description: "hardenedFunction.ts: role: this.role.name",
        edit: change(T.fn, "ingest", (p, inv) => ({ ...p, role: attr(inv, T.role, "ingest", "name") })) },
    { name: "replication-role-by-id", class: "relations", rule: "iam-role-trust-matches-use", flags: [T.replication, "replication"], stack: "prod", description: "replication.ts: role: this.role.id",
        edit: change(T.replication, "replication", (p, inv) => ({ ...p, role: attr(inv, T.role, "replication", "name") })) },
    { name: "logging-config-by-arn", class: "relations", rule: "lambda-log-group-retention", flags: [T.fn, "canary"], stack: "dr", description: "hardenedFunction.ts: loggingConfig.logGroup: this.logGroup.arn",
        edit: change(T.fn, "canary", (p, inv) => ({ ...p, loggingConfig: { ...p.loggingConfig, logGroup: attr(inv, T.logGroup, "canary", "arn") } })) },
    { name: "failure-destination-is-queue-url", class: "relations", rule: "lambda-failure-destination", flags: [T.invokeConfig, "ingest"], stack: "prod", description: "hardenedFunction.ts: destination: this.failureQueue.url",
        edit: change(T.invokeConfig, "ingest", (p, inv) => ({ ...p, destinationConfig: { onFailure: { destination: attr(inv, T.queue, "ingest-failures", "url") } } })) },
    { name: "failure-destination-is-log-group", class: "relations", rule: "lambda-failure-destination", flags: [T.invokeConfig, "api"], stack: "dr", description: "destination: this.logGroup.arn",
        edit: chain(change(T.invokeConfig, "api", (p, inv) => ({ ...p, destinationConfig: { onFailure: { destination: attr(inv, T.logGroup, "api", "arn") } } })), dependsOn(T.invokeConfig, "api", "destinationConfig", [[T.logGroup, "api"]])) },
    { name: "permission-source-is-rule-name", class: "relations", rule: "lambda-permission-scoped", flags: [T.permission, "canary"], stack: "prod", description: "replicationCanary.ts: sourceArn: schedule.name",
        edit: change(T.permission, "canary", (p, inv) => ({ ...p, sourceArn: attr(inv, T.eventRule, "canary", "name") })) },
    { name: "permission-source-is-bucket-name", class: "relations", rule: "lambda-permission-scoped", flags: [T.permission, "ingest"], stack: "dr", description: "ingestPipeline.ts: sourceArn: ctx.bucketName",
        edit: change(T.permission, "ingest", (p, inv) => ({ ...p, sourceArn: attr(inv, T.bucket, DATA, "bucket") })) },
    { name: "permission-source-is-log-bucket", class: "relations", rule: "lambda-permission-scoped", flags: [T.permission, "ingest"], stack: "prod", description: "sourceArn: the access-log bucket's ARN",
        edit: chain(change(T.permission, "ingest", (p, inv) => ({ ...p, sourceArn: attr(inv, T.bucket, LOGS, "arn") })), dependsOn(T.permission, "ingest", "sourceArn", [[T.bucket, LOGS]])) },
    { name: "dashboard-keyed-by-arn", class: "relations", rule: "cloudwatch-dashboard", flags: [T.fn, "api"], stack: "prod", description: "dashboard.ts: the widgets use f.function.arn",
        edit: dashboardBody((b, inv) => mapMetrics((m) => m.map((v: any) => (v === "tandem-api" && m[0] === "AWS/Lambda" ? fnArn(inv, "api") : v)))(b)) },
    { name: "canary-alarm-on-api-service", class: "relations", rule: "cloudwatch-canary-lag-alarm", flags: [T.stack, "tandem-prod"], stack: "prod", description: "monitoring.ts: dimensions { service: SERVICES.api } on the lag alarm",
        edit: dims("canary-replication-lag", () => ({ service: "tandem-api" })) },
    { name: "log-group-key-by-id", class: "relations", rule: "cloudwatch-log-group-kms", flags: [T.logGroup, "api"], stack: "prod", description: "kmsKeyId: key.key.keyId",
        edit: change(T.logGroup, "api", (p, inv) => ({ ...p, kmsKeyId: attr(inv, T.key, "region-key", "keyId") })) },
    { name: "environment-key-by-id", class: "relations", rule: "lambda-environment-customer-key", flags: [T.fn, "canary"], stack: "dr", description: "kmsKeyArn: key.key.keyId",
        edit: change(T.fn, "canary", (p, inv) => ({ ...p, kmsKeyArn: attr(inv, T.key, "region-key", "keyId") })) },
    { name: "preview: alarm-action-computed-from-queue", class: "relations", rule: "cloudwatch-alarm-action", flags: [T.alarm, "ingest-errors"], stack: "dr", preview: true, description: "alarmActions: [f.failureQueue.arn], in a first preview",
        edit: chain(change(T.alarm, "ingest-errors", (p) => ({ ...p, alarmActions: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"] })), dependsOn(T.alarm, "ingest-errors", "alarmActions", [[T.queue, "ingest-failures"]])) },

    // ---- 2. Wildcards: patterns judged by what they match ----
    { name: "put-star-on-documents", class: "wildcards", rule: "iam-no-wildcard-action", flags: [T.rolePolicy, "api"], stack: "prod", description: "documentApi.ts: Action: \"s3:Put*\"",
        edit: stmt(T.rolePolicy, "api", "WriteDocuments", (s) => ({ ...s, Action: "s3:Put*" })) },
    { name: "put-star-grants-put-bucket-policy", class: "wildcards", rule: "iam-no-permissions-management", flags: [T.rolePolicy, "api"], stack: "prod", description: "documentApi.ts: Action: \"s3:Put*\" (PutBucketPolicy included)",
        edit: stmt(T.rolePolicy, "api", "WriteDocuments", (s) => ({ ...s, Action: "s3:Put*" })) },
    { name: "star-object", class: "wildcards", rule: "iam-no-wildcard-action", flags: [T.rolePolicy, "ingest"], stack: "dr", description: "ingestPipeline.ts: Action: \"s3:*Object\"",
        edit: stmt(T.rolePolicy, "ingest", "ReadWriteManifests", (s) => ({ ...s, Action: "s3:*Object" })) },
    { name: "replicate-star", class: "wildcards", rule: "iam-no-wildcard-action", flags: [T.rolePolicy, "replication"], stack: "prod", description: "replication.ts: Action: \"s3:Replicate*\"",
        edit: stmt(T.rolePolicy, "replication", "WriteReplicas", (s) => ({ ...s, Action: "s3:Replicate*" })) },
    { name: "logs-star", class: "wildcards", rule: "iam-no-wildcard-action", flags: [T.rolePolicy, "canary"], stack: "prod", description: "hardenedFunction.ts: Action: \"logs:*\"",
        edit: stmt(T.rolePolicy, "canary", "WriteOwnLogs", (s) => ({ ...s, Action: "logs:*" })) },
    { name: "kms-star-on-region-key", class: "wildcards", rule: "iam-no-wildcard-action", flags: [T.rolePolicy, "api"], stack: "dr", description: "hardenedFunction.ts: Action: \"kms:*\"",
        edit: stmt(T.rolePolicy, "api", "UseRegionKey", (s) => ({ ...s, Action: "kms:*" })) },
    { name: "list-any-bucket", class: "wildcards", rule: "iam-no-wildcard-resource", flags: [T.rolePolicy, "api"], stack: "prod", description: "documentApi.ts: Resource: \"arn:aws:s3:::*\"",
        edit: stmt(T.rolePolicy, "api", "ListDocuments", (s) => ({ ...s, Resource: "arn:aws:s3:::*" })) },
    { name: "manifests-in-any-bucket", class: "wildcards", rule: "iam-no-wildcard-resource", flags: [T.rolePolicy, "ingest"], stack: "prod", description: "ingestPipeline.ts: Resource: \"arn:aws:s3:::*/*\"",
        edit: stmt(T.rolePolicy, "ingest", "ReadWriteManifests", (s) => ({ ...s, Resource: "arn:aws:s3:::*/*" })) },
    { name: "any-key-anywhere", class: "wildcards", rule: "iam-no-wildcard-resource", flags: [T.rolePolicy, "canary"], stack: "dr", description: "hardenedFunction.ts: Resource: \"arn:aws:kms:*:*:key/*\"",
        edit: stmt(T.rolePolicy, "canary", "UseRegionKey", (s) => ({ ...s, Resource: "arn:aws:kms:*:*:key/*" })) },
    { name: "send-to-any-queue", class: "wildcards", rule: "iam-no-wildcard-resource", flags: [T.rolePolicy, "api"], stack: "prod", description: "hardenedFunction.ts: sqs:SendMessage on every queue of the account",
        edit: stmt(T.rolePolicy, "api", "SendFailedEvents", (s) => ({ ...s, Resource: "arn:aws:sqs:us-east-1:123456789012:*" })) },
    { name: "decrypt-any-key", class: "wildcards", rule: "iam-no-wildcard-resource", flags: [T.rolePolicy, "replication"], stack: "prod", description: "replication.ts: kms:Decrypt on \"*\" (kms:ViaService kept)",
        edit: stmt(T.rolePolicy, "replication", "DecryptSourceObjects", (s) => ({ ...s, Resource: "*" })) },
    { name: "logs-any-region", class: "wildcards", rule: "iam-no-wildcard-resource", flags: [T.rolePolicy, "ingest"], stack: "dr", description: "hardenedFunction.ts: Resource: \"arn:aws:logs:*:*:*\"",
        edit: stmt(T.rolePolicy, "ingest", "WriteOwnLogs", (s) => ({ ...s, Resource: "arn:aws:logs:*:*:*" })) },
    { name: "bucket-name-prefix", class: "wildcards", rule: "iam-no-wildcard-resource", flags: [T.rolePolicy, "canary"], stack: "prod", description: "replicationCanary.ts: Resource: \"arn:aws:s3:::tandem-*/canary/*\"",
        edit: stmt(T.rolePolicy, "canary", "ReadWriteProbes", (s) => ({ ...s, Resource: "arn:aws:s3:::tandem-*/canary/*" })) },
    { name: "schedule-any-rule", class: "wildcards", rule: "lambda-permission-scoped", flags: [T.permission, "canary"], stack: "prod", description: "replicationCanary.ts: sourceArn: every rule of the account",
        edit: change(T.permission, "canary", (p) => ({ ...p, sourceArn: "arn:aws:events:us-east-1:123456789012:rule/*" })) },
    { name: "notify-from-any-bucket", class: "wildcards", rule: "lambda-permission-scoped", flags: [T.permission, "ingest"], stack: "dr", description: "ingestPipeline.ts: sourceArn: \"arn:aws:s3:::*\"",
        edit: change(T.permission, "ingest", (p) => ({ ...p, sourceArn: "arn:aws:s3:::*" })) },
    { name: "notify-from-prefixed-buckets", class: "wildcards", rule: "lambda-permission-scoped", flags: [T.permission, "ingest"], stack: "prod", description: "sourceArn: \"arn:aws:s3:::tandem-*\"",
        edit: change(T.permission, "ingest", (p) => ({ ...p, sourceArn: "arn:aws:s3:::tandem-*" })) },
    { name: "preview: notify-from-any-bucket", class: "wildcards", rule: "lambda-permission-scoped", flags: [T.permission, "ingest"], stack: "prod", preview: true, description: "as notify-from-any-bucket, in a first preview",
        edit: chain(change(T.permission, "ingest", (p) => ({ ...p, sourceArn: "arn:aws:s3:::*" })), dependsOn(T.permission, "ingest", "sourceArn", [])) },
    { name: "edge-any-account", class: "wildcards", rule: "lambda-permission-scoped", flags: [T.permission, "api-edge-url"], stack: "prod", description: "documentApi.ts: sourceArn arn:aws:cloudfront::*:distribution/* (tandem:edge origin)",
        config: { "tandem:edge": "origin" }, edit: change(T.permission, "api-edge-url", (p) => ({ ...p, sourceArn: "arn:aws:cloudfront::*:distribution/*" })) },
    { name: "create-grant", class: "wildcards", rule: "iam-no-permissions-management", flags: [T.rolePolicy, "ingest"], stack: "prod", description: "hardenedFunction.ts: kms:CreateGrant added to UseRegionKey",
        edit: stmt(T.rolePolicy, "ingest", "UseRegionKey", (s) => ({ ...s, Action: [...s.Action, "kms:CreateGrant"] })) },
    { name: "put-bucket-policy", class: "wildcards", rule: "iam-no-permissions-management", flags: [T.rolePolicy, "canary"], stack: "dr", description: "replicationCanary.ts: s3:PutBucketPolicy on the bucket",
        edit: stmt(T.rolePolicy, "canary", "ListProbes", (s) => ({ ...s, Action: ["s3:ListBucket", "s3:PutBucketPolicy"] })) },
    { name: "not-resource", class: "wildcards", rule: "iam-no-wildcard-resource", flags: [T.rolePolicy, "api"], stack: "prod", description: "NotResource instead of Resource",
        edit: stmt(T.rolePolicy, "api", "WriteDocuments", (s) => ({ ...without(s, "Resource"), NotResource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/manifests/*" })) },

    // ---- 3. Conditions that do not scope ----
    { name: "cloudwatch-key-statement-unconditioned", class: "conditions", rule: "kms-key-policy-service-principals-scoped", flags: [T.key, "region-key"], stack: "prod", description: "regionKey.ts: the CloudWatch statement without its Condition",
        edit: keyStmt("CloudWatchAlarmsPublishToEncryptedTopic", (s) => without(s, "Condition")) },
    { name: "sns-key-statement-via-service-only", class: "conditions", rule: "kms-key-policy-service-principals-scoped", flags: [T.key, "region-key"], stack: "dr", description: "regionKey.ts: SNS bound only by kms:ViaService",
        edit: keyStmt("SnsDeliversFromEncryptedTopic", (s) => ({ ...s, Condition: { StringEquals: { "kms:ViaService": "sns.us-west-2.amazonaws.com" } } })) },
    { name: "logs-key-statement-any-account", class: "conditions", rule: "kms-key-policy-service-principals-scoped", flags: [T.key, "region-key"], stack: "prod", description: "regionKey.ts: arn:aws:logs:${region}:*:log-group:*",
        edit: keyStmt("CloudWatchLogsEncryptsThisAccountsLogGroups", (s) => ({ ...s, Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:*:log-group:*" } } })) },
    { name: "preview: logs-key-statement-unconditioned", class: "conditions", rule: "kms-key-policy-service-principals-scoped", flags: [T.key, "region-key"], stack: "dr", preview: true, description: "the logs statement without Condition, in a first preview",
        edit: keyStmt("CloudWatchLogsEncryptsThisAccountsLogGroups", (s) => without(s, "Condition")) },
    { name: "key-anyone-via-s3", class: "conditions", rule: "kms-key-policy-no-public-principal", flags: [T.key, "region-key"], stack: "prod", description: "regionKey.ts: Principal AWS \"*\" with kms:ViaService s3 only",
        edit: keyStmt("AccountAdministersThroughIam", (s) => ({ ...s, Principal: { AWS: "*" }, Action: ["kms:Decrypt"], Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } } })) },
    { name: "key-anyone-any-caller-account", class: "conditions", rule: "kms-key-policy-no-public-principal", flags: [T.key, "region-key"], stack: "dr", description: "kms:CallerAccount StringLike \"*\"",
        edit: keyStmt("AccountAdministersThroughIam", (s) => ({ ...s, Principal: "*", Condition: { StringLike: { "kms:CallerAccount": "*" } } })) },
    { name: "trust-wildcard-source-account", class: "conditions", rule: "iam-trust-policy-scoped", flags: [T.role, "api"], stack: "prod", description: "iamDocument.ts: StringLike aws:SourceAccount \"*\"",
        edit: trust("api", (s) => ({ ...s, Condition: { StringLike: { "aws:SourceAccount": "*" } } })) },
    { name: "trust-if-exists", class: "conditions", rule: "iam-trust-policy-scoped", flags: [T.role, "ingest"], stack: "dr", description: "iamDocument.ts: StringEqualsIfExists aws:SourceAccount",
        edit: trust("ingest", (s) => ({ ...s, Condition: { StringEqualsIfExists: { "aws:SourceAccount": "123456789012" } } })) },
    { name: "trust-source-arn-any-account", class: "conditions", rule: "iam-trust-policy-scoped", flags: [T.role, "canary"], stack: "prod", description: "ArnLike aws:SourceArn arn:aws:lambda:*:*:function:*",
        edit: trust("canary", (s) => ({ ...s, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:lambda:*:*:function:*" } } })) },
    { name: "replication-trust-unconditioned", class: "conditions", rule: "iam-trust-policy-scoped", flags: [T.role, "replication"], stack: "prod", description: "replication.ts: the trust policy without aws:SourceAccount",
        edit: trust("replication", (s) => without(s, "Condition")) },
    { name: "preview: trust-negated", class: "conditions", rule: "iam-trust-policy-scoped", flags: [T.role, "api"], stack: "prod", preview: true, description: "StringNotEquals aws:SourceAccount, in a first preview",
        edit: trust("api", (s) => ({ ...s, Condition: { StringNotEquals: { "aws:SourceAccount": "999999999999" } } })) },
    { name: "logging-service-unconditioned", class: "conditions", rule: "s3-no-public-policy", flags: [T.bucketPolicy, LOGS], stack: "prod", description: "documentStore.ts: the log delivery statement without its Condition",
        edit: stmt(T.bucketPolicy, LOGS, "S3ServerAccessLogsFromThisAccount", (s) => without(s, "Condition")) },
    { name: "logging-service-any-account", class: "conditions", rule: "s3-no-public-policy", flags: [T.bucketPolicy, LOGS], stack: "dr", description: "documentStore.ts: StringLike aws:SourceAccount \"*\"",
        edit: stmt(T.bucketPolicy, LOGS, "S3ServerAccessLogsFromThisAccount", (s) => ({ ...s, Condition: { StringLike: { "aws:SourceAccount": "*" } } })) },
    { name: "public-read-over-tls", class: "conditions", rule: "s3-no-public-policy", flags: [T.bucketPolicy, DATA], stack: "prod", description: "a public-read statement conditioned only on aws:SecureTransport",
        edit: addStmt(T.bucketPolicy, DATA, { Sid: "ReadOverTls", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/objects/*", Condition: { Bool: { "aws:SecureTransport": "true" } } }) },

    // ---- 4. Roles judged by their use ----
    { name: "replication-role-for-lambda", class: "roles", rule: "iam-role-trust-matches-use", flags: [T.role, "replication"], stack: "prod", description: "replication.ts: serviceTrustPolicy(\"lambda.amazonaws.com\", ...)",
        edit: trust("replication", (s) => ({ ...s, Principal: { Service: "lambda.amazonaws.com" } })) },
    { name: "replication-role-for-both", class: "roles", rule: "iam-role-trust-matches-use", flags: [T.role, "replication"], stack: "prod", description: "Service: [\"s3.amazonaws.com\", \"lambda.amazonaws.com\"]",
        edit: trust("replication", (s) => ({ ...s, Principal: { Service: ["s3.amazonaws.com", "lambda.amazonaws.com"] } })) },
    { name: "canary-role-for-events", class: "roles", rule: "iam-role-trust-matches-use", flags: [T.role, "canary"], stack: "dr", description: "hardenedFunction.ts: trusted by events.amazonaws.com",
        edit: trust("canary", (s) => ({ ...s, Principal: { Service: "events.amazonaws.com" } })) },
    { name: "api-uses-ingest-role", class: "roles", rule: "iam-role-trust-matches-use", flags: [T.role, "ingest"], stack: "prod", description: "the api given ingest's role",
        edit: chain(change(T.fn, "api", (p, inv) => ({ ...p, role: attr(inv, T.role, "ingest", "arn") })), dependsOn(T.fn, "api", "role", [[T.role, "ingest"]])) },
    { name: "function-role-also-trusts-account", class: "roles", rule: "iam-role-trust-matches-use", flags: [T.role, "api"], stack: "prod", description: "the api role also trusts the account root",
        edit: trust("api", (s) => ({ ...s, Principal: { Service: "lambda.amazonaws.com", AWS: "arn:aws:iam::123456789012:root" } })) },
    { name: "standby-api-writes", class: "roles", rule: "iam-standby-api-read-only", flags: [T.rolePolicy, "api"], stack: "dr", description: "documentApi.ts: WriteDocuments added whatever the role",
        edit: addStmt(T.rolePolicy, "api", { Sid: "WriteDocuments", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::tandem-data-123456789012-us-west-2/objects/*" }) },
    { name: "standby-api-writes (program)", class: "roles", rule: "iam-standby-api-read-only", flags: [T.rolePolicy, "api"], stack: "dr", description: "documentApi.ts: ctx.role !== \"primary\" (the condition inverted), through the program",
        transformations: [transformDoc(T.rolePolicy, "api", "policy", (d) => ({ ...d, Statement: [...d.Statement, { Sid: "WriteDocuments", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::tandem-data-123456789012-us-west-2/objects/*" }] }))] },
    { name: "standby-api-star-object", class: "roles", rule: "iam-standby-api-read-only", flags: [T.rolePolicy, "api"], stack: "dr", description: "the standby api's read statement as s3:*Object",
        edit: stmt(T.rolePolicy, "api", "ReadDocumentsManifestsProbes", (s) => ({ ...s, Action: "s3:*Object" })) },
    { name: "standby-api-tags", class: "roles", rule: "iam-standby-api-read-only", flags: [T.rolePolicy, "api"], stack: "dr", description: "the standby api may tag objects",
        edit: stmt(T.rolePolicy, "api", "ReadDocumentsManifestsProbes", (s) => ({ ...s, Action: ["s3:GetObject", "s3:PutObjectTagging"] })) },
    { name: "standby-api-managed-policy", class: "roles", rule: "iam-standby-api-read-only", flags: [T.role, "api"], stack: "dr", description: "the standby api role with AmazonS3FullAccess attached",
        edit: change(T.role, "api", (p) => ({ ...p, managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"] })) },
    { name: "demoted-prod-api-writes", class: "roles", rule: "iam-standby-api-read-only", flags: [T.rolePolicy, "api"], stack: "prod", description: "failback step 2: prod demoted (tandem:role standby) but its api keeps writing",
        config: { "tandem:role": "standby" }, edit: addStmt(T.rolePolicy, "api", { Sid: "WriteDocuments", Effect: "Allow", Action: ["s3:PutObject"], Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/objects/*" }) },

    // ---- 5. Rules that did not exist ----
    { name: "lag-alarm-not-breaching", class: "new rules", rule: "cloudwatch-rpo-alarm-missing-data-breaching", flags: [T.alarm, "canary-replication-lag"], stack: "prod", description: "monitoring.ts: treatMissingData \"notBreaching\" on the lag alarm",
        edit: change(T.alarm, "canary-replication-lag", (p) => ({ ...p, treatMissingData: "notBreaching" })) },
    { name: "lag-alarm-ignores-missing", class: "new rules", rule: "cloudwatch-rpo-alarm-missing-data-breaching", flags: [T.alarm, "canary-replication-lag"], stack: "dr", description: "treatMissingData \"ignore\"",
        edit: change(T.alarm, "canary-replication-lag", (p) => ({ ...p, treatMissingData: "ignore" })) },
    { name: "lag-threshold-four-rpos", class: "new rules", rule: "cloudwatch-rpo-alarm-threshold", flags: [T.alarm, "canary-replication-lag"], stack: "prod", description: "monitoring.ts: threshold: rpoSeconds * 4",
        edit: change(T.alarm, "canary-replication-lag", (p) => ({ ...p, threshold: p.threshold * 4 })) },
    { name: "rpo-raised-to-an-hour", class: "new rules", rule: "cloudwatch-rpo-alarm-threshold", flags: [T.alarm, "replication-latency"], stack: "prod", description: "Pulumi.prod.yaml: tandem:rpoMinutes 60 (the pack's RPO not raised with it)",
        config: { "tandem:rpoMinutes": "60" } },
    { name: "latency-averaged", class: "new rules", rule: "cloudwatch-rpo-alarm-threshold", flags: [T.alarm, "replication-latency"], stack: "prod", description: "statistic \"Average\" on the S3 latency alarm",
        edit: change(T.alarm, "replication-latency", (p) => ({ ...p, statistic: "Average" })) },
    { name: "lag-needs-half-an-hour", class: "new rules", rule: "cloudwatch-rpo-alarm-threshold", flags: [T.alarm, "canary-replication-lag"], stack: "dr", description: "evaluationPeriods: 30 on the lag alarm",
        edit: change(T.alarm, "canary-replication-lag", (p) => ({ ...p, evaluationPeriods: 30 })) },
    { name: "primary-without-lag-alarm", class: "new rules", rule: "cloudwatch-canary-lag-alarm", flags: [T.stack, "tandem-prod"], stack: "prod", description: "index.ts: expectReplicationLag: cfg.role === \"standby\"",
        edit: remove(T.alarm, "canary-replication-lag") },
    { name: "standby-without-lag-alarm", class: "new rules", rule: "cloudwatch-canary-lag-alarm", flags: [T.stack, "tandem-dr"], stack: "dr", description: "index.ts: expectReplicationLag: replicating",
        edit: remove(T.alarm, "canary-replication-lag") },
    { name: "replication-metrics-off", class: "new rules", rule: "s3-replication-alarm-has-metrics", flags: [T.alarm, "replication-latency"], stack: "prod", description: "replication.ts: metrics: { status: \"Disabled\" }",
        edit: destination((d) => ({ ...d, metrics: { status: "Disabled" } })) },
    { name: "replication-metrics-dropped", class: "new rules", rule: "s3-replication-alarm-has-metrics", flags: [T.alarm, "replication-failed"], stack: "prod", description: "replication.ts: the metrics block removed",
        edit: destination((d) => without(d, "metrics")) },
    { name: "api-timeout-over-url-cap", class: "new rules", rule: "lambda-timeout-within-trigger-limit", flags: [T.fn, "api"], stack: "prod", description: "hardenedFunction.ts: timeout: 90 on the api",
        edit: change(T.fn, "api", (p) => ({ ...p, timeout: 90 })) },
    { name: "canary-outlives-schedule", class: "new rules", rule: "lambda-timeout-within-trigger-limit", flags: [T.fn, "canary"], stack: "dr", description: "Pulumi.dr.yaml: tandem:canaryTimeoutSeconds 120",
        config: { "tandem:canaryTimeoutSeconds": "120" } },
    { name: "notification-without-prefix", class: "new rules", rule: "s3-notification-no-recursive-trigger", flags: [T.notification, "ingest"], stack: "prod", description: "ingestPipeline.ts: filterPrefix removed",
        edit: change(T.notification, "ingest", (p) => ({ ...p, lambdaFunctions: p.lambdaFunctions.map((f: any) => without(f, "filterPrefix")) })) },
    { name: "notification-on-manifests", class: "new rules", rule: "s3-notification-no-recursive-trigger", flags: [T.notification, "ingest"], stack: "dr", description: "ingestPipeline.ts: filterPrefix: PREFIX.manifests",
        edit: change(T.notification, "ingest", (p) => ({ ...p, lambdaFunctions: p.lambdaFunctions.map((f: any) => ({ ...f, filterPrefix: "manifests/" })) })) },
    { name: "ingest-writes-documents", class: "new rules", rule: "s3-notification-no-recursive-trigger", flags: [T.notification, "ingest"], stack: "prod", description: "ingestPipeline.ts: ReadWriteManifests on documents",
        edit: stmt(T.rolePolicy, "ingest", "ReadWriteManifests", (s) => ({ ...s, Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/objects/*" })) },
    { name: "ingest-writes-anywhere-in-bucket", class: "new rules", rule: "s3-notification-no-recursive-trigger", flags: [T.notification, "ingest"], stack: "dr", description: "ReadWriteManifests on `${bucketArn}/*`",
        edit: stmt(T.rolePolicy, "ingest", "ReadWriteManifests", (s) => ({ ...s, Resource: "arn:aws:s3:::tandem-data-123456789012-us-west-2/*" })) },
    { name: "secret-by-value", class: "new rules", rule: "lambda-environment-no-secrets", flags: [T.fn, "api"], stack: "prod", description: "functionContext.ts: UPSTREAM_CONFIG set to an API key",
        edit: env("api", { UPSTREAM_CONFIG: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }) },
    { name: "secret-in-url", class: "new rules", rule: "lambda-environment-no-secrets", flags: [T.fn, "ingest"], stack: "dr", description: "DATABASE_URL with credentials",
        edit: env("ingest", { DATABASE_URL: "postgres://tandem:Sup3rS3cret@db.internal:5432/documents" }) },
    { name: "slack-webhook", class: "new rules", rule: "lambda-environment-no-secrets", flags: [T.fn, "canary"], stack: "prod", description: "NOTIFY set to a Slack webhook URL",
        edit: env("canary", { NOTIFY: "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/AbCdEfGhIjKlMnOpQrStUvWx" }) },
    { name: "dashboard-namespace-typo", class: "new rules", rule: "cloudwatch-dashboard", flags: [T.fn, "ingest"], stack: "prod", description: "dashboard.ts: \"AWS/Lamda\" in ingest's widgets",
        edit: dashboardBody(mapMetrics((m) => (m[0] === "AWS/Lambda" && m.includes("tandem-ingest") ? ["AWS/Lamda", ...m.slice(1)] : m))) },
    { name: "dashboard-without-ingest", class: "new rules", rule: "cloudwatch-dashboard", flags: [T.fn, "ingest"], stack: "dr", description: "monitoring.ts: the dashboard given [api, canary] only",
        edit: dashboardBody(mapMetrics((m) => (m.includes("tandem-ingest") || m.includes("tandem-ingest-failures") ? undefined : m))) },
    { name: "monitoring-forgets-canary", class: "new rules", rule: "lambda-function-alarms", flags: [T.fn, "canary"], stack: "prod", description: "index.ts: functions: [api.fn, ingest.fn]",
        edit: chain(remove(T.alarm, "canary-errors", "canary-throttles", "canary-duration", "canary-failed-events"), dashboardBody(mapMetrics((m) => (m.some((v: any) => typeof v === "string" && v.startsWith("tandem-canary")) ? undefined : m)))) },
    { name: "errors-alarm-falling", class: "new rules", rule: "lambda-function-alarms", flags: [T.fn, "ingest"], stack: "dr", description: "comparisonOperator \"LessThanThreshold\" on ingest's errors",
        edit: change(T.alarm, "ingest-errors", (p) => ({ ...p, comparisonOperator: "LessThanThreshold" })) },

    { name: "replica-modifications-off", class: "new rules", rule: "s3-replication-replica-modifications", flags: [T.replication, "replication"], stack: "prod", description: "replication.ts: replicaModifications: { status: \"Disabled\" }",
        edit: rules((r) => ({ ...r, sourceSelectionCriteria: { ...r.sourceSelectionCriteria, replicaModifications: { status: "Disabled" } } })) },
    { name: "schedule-target-by-name", class: "relations", rule: "lambda-trigger-names-function-arn", flags: [T.eventTarget, "canary"], stack: "dr", description: "replicationCanary.ts: arn: this.fn.function.name",
        edit: change(T.eventTarget, "canary", (p, inv) => ({ ...p, arn: attr(inv, T.fn, "canary", "name") })) },
    { name: "notification-by-function-name", class: "relations", rule: "lambda-trigger-names-function-arn", flags: [T.notification, "ingest"], stack: "prod", description: "ingestPipeline.ts: lambdaFunctionArn: this.fn.function.name",
        edit: change(T.notification, "ingest", (p, inv) => ({ ...p, lambdaFunctions: p.lambdaFunctions.map((f: any) => ({ ...f, lambdaFunctionArn: attr(inv, T.fn, "ingest", "name") })) })) },
    { name: "replication-role-writes-source", class: "relations", rule: "s3-replication-role-permissions", flags: [T.role, "replication"], stack: "prod", description: "replication.ts: WriteReplicas on `${source}/*`",
        edit: stmt(T.rolePolicy, "replication", "WriteReplicas", (s) => ({ ...s, Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/*" })) },
    { name: "replication-role-encrypts-with-home-key", class: "relations", rule: "s3-replication-role-permissions", flags: [T.role, "replication"], stack: "prod", description: "replication.ts: EncryptReplicas on args.sourceKeyArn",
        edit: stmt(T.rolePolicy, "replication", "EncryptReplicas", (s, inv) => ({ ...s, Resource: attr(inv, T.key, "region-key", "arn") })) },
    { name: "replication-documents-only", class: "relations", rule: "s3-cross-region-replication", flags: [T.replication, "replication"], stack: "prod", description: "replication.ts: filter: { prefix: PREFIX.objects }",
        edit: rules((r) => ({ ...r, filter: { prefix: "objects/" } })) },
    { name: "failure-queue-keeps-a-minute", class: "new rules", rule: "lambda-failure-destination", flags: [T.invokeConfig, "api"], stack: "dr", description: "hardenedFunction.ts: messageRetentionSeconds: 60",
        edit: change(T.queue, "api-failures", (p) => ({ ...p, messageRetentionSeconds: 60 })) },
    { name: "dashboard-in-peer-region", class: "relations", rule: "cloudwatch-dashboard", flags: [T.fn, "api"], stack: "prod", description: "dashboard.ts: the widgets' region: args.peerRegion",
        edit: dashboardBody((b) => ({ ...b, widgets: b.widgets.map((w: any) => (w.properties?.region ? { ...w, properties: { ...w.properties, region: "us-west-2" } } : w)) })) },
    { name: "permission-any-lambda-action", class: "wildcards", rule: "lambda-permission-scoped", flags: [T.permission, "ingest"], stack: "prod", description: "ingestPipeline.ts: action: \"lambda:*\"",
        edit: change(T.permission, "ingest", (p) => ({ ...p, action: "lambda:*" })) },

    // ---- 6. Exemptions as narrow as their reason ----
    { name: "log-bucket-without-encryption", class: "exemptions", rule: "s3-default-encryption", flags: [T.bucket, LOGS], stack: "prod", description: "secureBucket.ts: the encryption configuration made for KMS buckets only",
        edit: remove(T.sse, LOGS) },
    { name: "log-bucket-aws-managed-key", class: "exemptions", rule: "s3-sse-kms-customer-key", flags: [T.sse, LOGS], stack: "dr", description: "the SSE-S3 log bucket switched to alias/aws/s3",
        edit: change(T.sse, LOGS, (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }, bucketKeyEnabled: true }] })) },
    { name: "log-bucket-kms-without-bucket-key", class: "exemptions", rule: "s3-bucket-key-enabled", flags: [T.sse, LOGS], stack: "prod", description: "the log bucket on the region key without Bucket Keys",
        edit: change(T.sse, LOGS, (p, inv) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: attr(inv, T.key, "region-key", "arn") } }] })) },
    { name: "exemption-copied-to-data-bucket", class: "exemptions", rule: "s3-sse-kms-customer-key", flags: [T.sse, DATA], stack: "prod", description: "the SSE-S3 exemption copied to the data bucket, which uses aws:kms without a key",
        edit: chain(tags(T.bucket, DATA, { "tandem:policy-exempt:s3-sse-kms-customer-key": "S3 server access logs are delivered only to buckets encrypted with SSE-S3" }),
            change(T.sse, DATA, (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] }))) },
    { name: "exemption-placeholder", class: "exemptions", rule: "policy-exemption-valid", flags: [T.fn, "ingest"], stack: "dr", description: "tandem:policy-exempt:lambda-arm64 = \"TODO\"",
        edit: tags(T.fn, "ingest", { "tandem:policy-exempt:lambda-arm64": "TODO" }) },
    { name: "noncurrent-ten-years", class: "baseline", rule: "s3-lifecycle-noncurrent-expiration", flags: [T.lifecycle, DATA], stack: "prod", description: "Pulumi.prod.yaml: tandem:noncurrentVersionDays 3650",
        config: { "tandem:noncurrentVersionDays": "3650" } },
    { name: "abort-after-a-month", class: "baseline", rule: "s3-lifecycle-abort-incomplete-uploads", flags: [T.lifecycle, DATA], stack: "dr", description: "Pulumi.dr.yaml: tandem:abortIncompleteUploadDays 30",
        config: { "tandem:abortIncompleteUploadDays": "30" } },
];

export interface MutationResult {
    mutation: ProgramCase;
    killed: boolean;
    /** The targeted rule's message on the expected resource, or why the case survived. */
    detail: string;
    violations: EngineViolation[];
}

/** The URN suffix a violation on the case's resource has (`<type>::<name>`, whatever its parents). */
export function flaggedUrnSuffix(c: ProgramCase): string {
    return `${c.flags[0]}::${c.flags[1]}`;
}

/** Whether violations kill the case: a mandatory one from its rule on its resource. */
export function verdict(c: ProgramCase, violations: { policy: string; level: string; urn: string; message: string }[]): { killed: boolean; detail: string } {
    const mine = violations.filter((v) => v.policy === c.rule);
    const hit = mine.find((v) => v.level === "mandatory" && v.urn.endsWith(flaggedUrnSuffix(c)));
    return {
        killed: hit !== undefined,
        detail: hit ? hit.message.split("\n")[0]
            : `not caught on ${c.flags[1]}; ${c.rule} reported ${mine.map((v) => `${v.level} on ${v.urn.split("::").pop()}: ${v.message.split("\n")[0]}`).join(" | ") || "nothing"}`,
    };
}

/** Program-path cases evaluated so far: the served pack's sample judges some of them again. */
const throughProgram = new WeakMap<ProgramCase, Promise<Inventory>>();

/** The stack a case is judged on: one evaluation per distinct stack configuration or program path, edits applied to a copy. */
export async function caseInventory(c: ProgramCase): Promise<Inventory> {
    const world = { preview: c.preview ?? false };
    let evaluated: Promise<Inventory>;
    if (c.transformations) {
        evaluated = throughProgram.get(c) ?? evaluateStack(c.stack, { config: c.config, transformations: c.transformations, world });
        throughProgram.set(c, evaluated);
    } else {
        evaluated = evaluatedStack(c.stack, { config: c.config, world });
    }
    return c.edit ? c.edit(await evaluated) : evaluated;
}

/** Runs the cases in-process, each through the rule it targets, as the engine would run it. */
export async function runMutations(cases: ProgramCase[], onResult?: (r: MutationResult) => void): Promise<MutationResult[]> {
    const results: MutationResult[] = [];
    for (const c of cases) {
        let result: MutationResult;
        try {
            const inv = await caseInventory(c);
            const report = await runPolicies(policies, engineResources(inv), { only: [c.rule], stackTags: STACK_TAGS });
            result = { mutation: c, ...verdict(c, report.violations), violations: report.violations };
        } catch (e) {
            result = { mutation: c, killed: false, detail: `the case could not run: ${e instanceof Error ? e.message : String(e)}`, violations: [] };
        }
        results.push(result);
        onResult?.(result);
    }
    return results;
}

