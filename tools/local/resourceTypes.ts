// The one table of resource types the local run knows: each type token as @pulumi/aws registers it
// (the static `__pulumiType` of its resource class), and what the local run does with resources of
// that type — provision them on moto, run them itself, or leave them out for a reason listed in
// ./gaps.ts. A type the program registers that is not here is reported at start, never ignored silently.
import * as aws from "@pulumi/aws";
import type { GapId } from "./gaps";

/** The type token a @pulumi/aws resource class registers its resources under. */
function token(resourceClass: object): string {
    const type = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
    if (typeof type !== "string") {
        throw new Error("a @pulumi/aws resource class without __pulumiType: the local run's type table needs updating");
    }
    return type;
}

export const TYPE = {
    bucket: token(aws.s3.Bucket),
    versioning: token(aws.s3.BucketVersioning),
    encryption: token(aws.s3.BucketServerSideEncryptionConfiguration),
    publicAccessBlock: token(aws.s3.BucketPublicAccessBlock),
    ownership: token(aws.s3.BucketOwnershipControls),
    lifecycle: token(aws.s3.BucketLifecycleConfiguration),
    logging: token(aws.s3.BucketLogging),
    bucketPolicy: token(aws.s3.BucketPolicy),
    notification: token(aws.s3.BucketNotification),
    replication: token(aws.s3.BucketReplicationConfig),
    key: token(aws.kms.Key),
    alias: token(aws.kms.Alias),
    queue: token(aws.sqs.Queue),
    topic: token(aws.sns.Topic),
    topicSubscription: token(aws.sns.TopicSubscription),
    function: token(aws.lambda.Function),
    functionUrl: token(aws.lambda.FunctionUrl),
    invokeConfig: token(aws.lambda.FunctionEventInvokeConfig),
    permission: token(aws.lambda.Permission),
    eventRule: token(aws.cloudwatch.EventRule),
    eventTarget: token(aws.cloudwatch.EventTarget),
    logGroup: token(aws.cloudwatch.LogGroup),
    metricAlarm: token(aws.cloudwatch.MetricAlarm),
    dashboard: token(aws.cloudwatch.Dashboard),
    role: token(aws.iam.Role),
    rolePolicy: token(aws.iam.RolePolicy),
    rolePolicyAttachment: token(aws.iam.RolePolicyAttachment),
    distribution: token(aws.cloudfront.Distribution),
    originAccessControl: token(aws.cloudfront.OriginAccessControl),
    publicKey: token(aws.cloudfront.PublicKey),
    keyGroup: token(aws.cloudfront.KeyGroup),
} as const;

export type Treatment =
    /** Created on moto from the registered inputs (./provision*.ts). */
    | { by: "moto" }
    /** Done by the local run itself (./localApp.ts); the gap says how it differs from AWS. */
    | { by: "local run"; gap: GapId }
    /** Not created locally; the gap says why. */
    | { by: "left out"; gap: GapId };

const moto: Treatment = { by: "moto" };

/** What the local run does with each type of resource the program may register. */
export const TREATMENT: ReadonlyMap<string, Treatment> = new Map<string, Treatment>([
    ["pulumi:providers:aws", { by: "local run", gap: "regions" }],
    [TYPE.bucket, moto],
    [TYPE.versioning, moto],
    [TYPE.encryption, moto],
    [TYPE.publicAccessBlock, moto],
    [TYPE.ownership, moto],
    [TYPE.lifecycle, moto],
    [TYPE.logging, moto],
    [TYPE.bucketPolicy, moto],
    [TYPE.notification, moto],
    [TYPE.replication, { by: "local run", gap: "replication" }],
    [TYPE.key, moto],
    [TYPE.alias, moto],
    [TYPE.queue, moto],
    [TYPE.topic, moto],
    [TYPE.topicSubscription, moto],
    [TYPE.function, { by: "local run", gap: "lambda" }],
    [TYPE.functionUrl, { by: "local run", gap: "function-url" }],
    [TYPE.eventRule, { by: "local run", gap: "schedules" }],
    [TYPE.eventTarget, { by: "local run", gap: "schedules" }],
    [TYPE.invokeConfig, { by: "left out", gap: "async-invoke" }],
    [TYPE.permission, { by: "left out", gap: "iam" }],
    [TYPE.role, { by: "left out", gap: "iam" }],
    [TYPE.rolePolicy, { by: "left out", gap: "iam" }],
    [TYPE.rolePolicyAttachment, { by: "left out", gap: "iam" }],
    [TYPE.logGroup, { by: "left out", gap: "cloudwatch" }],
    [TYPE.metricAlarm, { by: "left out", gap: "cloudwatch" }],
    [TYPE.dashboard, { by: "left out", gap: "cloudwatch" }],
    [TYPE.distribution, { by: "left out", gap: "edge" }],
    [TYPE.originAccessControl, { by: "left out", gap: "edge" }],
    [TYPE.publicKey, { by: "left out", gap: "edge" }],
    [TYPE.keyGroup, { by: "left out", gap: "edge" }],
]);
