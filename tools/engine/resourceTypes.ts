// The resource type tokens the tools and tests look for in an evaluated stack, each read from the
// @pulumi/aws class that registers it: a provider upgrade that renames a type fails here, loudly,
// instead of leaving a tool that silently finds nothing. (The policy pack runs without @pulumi/aws and
// keeps its own table: policy/lib/aws.ts.)
import * as aws from "@pulumi/aws";

/** The token a resource class registers with (`aws:s3/bucket:Bucket`); every generated class carries it. */
function tokenOf(resourceClass: unknown): string {
    const token = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
    if (typeof token !== "string") {
        throw new Error("an @pulumi/aws class has no __pulumiType: the provider package changed shape");
    }
    return token;
}

export const TYPES = {
    stack: "pulumi:pulumi:Stack",
    provider: `pulumi:providers:${tokenOf(aws.Provider)}`,
    bucket: tokenOf(aws.s3.Bucket),
    /** Deprecated in v7, still accepted: the policy pack must judge it as a bucket. */
    bucketV2: tokenOf(aws.s3.BucketV2),
    bucketAcl: tokenOf(aws.s3.BucketAcl),
    versioning: tokenOf(aws.s3.BucketVersioning),
    encryption: tokenOf(aws.s3.BucketServerSideEncryptionConfiguration),
    publicAccessBlock: tokenOf(aws.s3.BucketPublicAccessBlock),
    bucketPolicy: tokenOf(aws.s3.BucketPolicy),
    ownership: tokenOf(aws.s3.BucketOwnershipControls),
    lifecycle: tokenOf(aws.s3.BucketLifecycleConfiguration),
    logging: tokenOf(aws.s3.BucketLogging),
    notification: tokenOf(aws.s3.BucketNotification),
    replication: tokenOf(aws.s3.BucketReplicationConfig),
    key: tokenOf(aws.kms.Key),
    replicaKey: tokenOf(aws.kms.ReplicaKey),
    keyPolicy: tokenOf(aws.kms.KeyPolicy),
    alias: tokenOf(aws.kms.Alias),
    role: tokenOf(aws.iam.Role),
    rolePolicy: tokenOf(aws.iam.RolePolicy),
    policy: tokenOf(aws.iam.Policy),
    rolePolicyAttachment: tokenOf(aws.iam.RolePolicyAttachment),
    function: tokenOf(aws.lambda.Function),
    functionUrl: tokenOf(aws.lambda.FunctionUrl),
    permission: tokenOf(aws.lambda.Permission),
    invokeConfig: tokenOf(aws.lambda.FunctionEventInvokeConfig),
    eventSourceMapping: tokenOf(aws.lambda.EventSourceMapping),
    logGroup: tokenOf(aws.cloudwatch.LogGroup),
    alarm: tokenOf(aws.cloudwatch.MetricAlarm),
    compositeAlarm: tokenOf(aws.cloudwatch.CompositeAlarm),
    dashboard: tokenOf(aws.cloudwatch.Dashboard),
    eventRule: tokenOf(aws.cloudwatch.EventRule),
    eventTarget: tokenOf(aws.cloudwatch.EventTarget),
    queue: tokenOf(aws.sqs.Queue),
    topic: tokenOf(aws.sns.Topic),
    subscription: tokenOf(aws.sns.TopicSubscription),
    distribution: tokenOf(aws.cloudfront.Distribution),
    originAccessControl: tokenOf(aws.cloudfront.OriginAccessControl),
    publicKey: tokenOf(aws.cloudfront.PublicKey),
    keyGroup: tokenOf(aws.cloudfront.KeyGroup),
    responseHeadersPolicy: tokenOf(aws.cloudfront.ResponseHeadersPolicy),
} as const;

/** IAM is global: its resources live in no region. */
export const GLOBAL_SERVICES = [tokenOf(aws.iam.Role).split(":")[1].split("/")[0]];
