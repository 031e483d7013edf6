// Queries over an evaluated stack, for tests that assert what the program deploys.
import * as assert from "assert";
import type { Inventory, RecordedResource } from "../../tools/engine/evaluate";

export const TYPES = {
    provider: "pulumi:providers:aws",
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    notification: "aws:s3/bucketNotification:BucketNotification",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    function: "aws:lambda/function:Function",
    functionUrl: "aws:lambda/functionUrl:FunctionUrl",
    permission: "aws:lambda/permission:Permission",
    invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    eventRule: "aws:cloudwatch/eventRule:EventRule",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    queue: "aws:sqs/queue:Queue",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
} as const;

export function ofType(inv: Inventory, type: string): RecordedResource[] {
    return inv.resources.filter((r) => r.type === type);
}

/** The one resource of `type` (optionally with logical `name`); fails if there are none or several. */
export function one(inv: Inventory, type: string, name?: string): RecordedResource {
    const found = ofType(inv, type).filter((r) => name === undefined || r.name === name);
    assert.strictEqual(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
    return found[0];
}

export interface PolicyStatement {
    Sid?: string;
    Effect: string;
    Principal?: unknown;
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

export function statements(policyJson: string): PolicyStatement[] {
    const doc = JSON.parse(policyJson) as { Statement: PolicyStatement[] };
    return doc.Statement;
}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The name of the provider a resource was registered with (`home`, `peer`). */
export function providerName(r: RecordedResource): string | undefined {
    return r.provider?.split("::")[3];
}

/** Resources whose URN puts them under the component with logical `name` (any depth). */
export function inComponent(inv: Inventory, componentUrn: string): RecordedResource[] {
    const children = (urn: string): RecordedResource[] =>
        inv.resources.filter((r) => r.parent === urn).flatMap((r) => [r, ...children(r.urn)]);
    return children(componentUrn);
}
