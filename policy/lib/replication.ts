// Where a replication rule writes to. S3 bucket ARNs name no region, so the destination's region is
// taken from what does: a destination bucket created in this stack (its provider's region), else a
// region code embedded in the bucket's name (this program's naming: <app>-data-<account>-<region>),
// and the replica key, which S3 requires to live in the destination region but does not validate
// (a wrong key is accepted and replication then fails: REFERENCE.md, "S3 replication of SSE-KMS objects").
import { PolicyResource } from "@pulumi/policy";
import { arnRegion, REGION_CODE, refersTo, regionOf, StackGraph } from "./graph";
import { BUCKET, bucketArn, destinationBucketName, ReplicationRule } from "./s3";
import { KMS_KEYS, T } from "./types";
import { isUnknown } from "./values";

export interface DestinationFacts {
    /** Destination buckets of this stack the rule's destination refers to (by ARN). */
    buckets: PolicyResource[];
    /** The destination bucket's region and how it was learnt. */
    bucketRegion?: { region: string; from: string };
    /** The replica key's region and how it was learnt. */
    keyRegion?: { region: string; from: string };
}

export function destinationFacts(graph: StackGraph, rule: ReplicationRule, options: { regionFromBucketName: boolean }): DestinationFacts {
    const buckets = graph.candidatesFor(rule.destination, rule.sources, BUCKET, ["arn"]);
    let bucketRegion: DestinationFacts["bucketRegion"];
    const inStack = buckets.map(regionOf).find((r) => r !== undefined);
    if (inStack) {
        bucketRegion = { region: inStack, from: "the destination bucket's provider" };
    } else if (options.regionFromBucketName) {
        const name = destinationBucketName(rule);
        const m = name ? REGION_CODE.exec(name) : null;
        if (m) {
            bucketRegion = { region: m[1], from: `the region code in the bucket's name ${name}` };
        }
    }
    let keyRegion: DestinationFacts["keyRegion"];
    const fromArn = arnRegion(rule.replicaKmsKeyId);
    if (fromArn) {
        keyRegion = { region: fromArn, from: "the replica key's ARN" };
    } else if (isUnknown(rule.replicaKmsKeyId)) {
        const key = graph.candidatesFor(rule.replicaKmsKeyId, rule.sources, [...KMS_KEYS, T.alias], ["arn"]).map(regionOf).find((r) => r !== undefined);
        if (key) {
            keyRegion = { region: key, from: "the replica key's provider" };
        }
    }
    return { buckets, bucketRegion, keyRegion };
}

/** Whether the rule's destination is the source bucket itself. */
export function replicatesToItself(graph: StackGraph, rule: ReplicationRule, source: PolicyResource): boolean {
    const arn = bucketArn(source);
    if (typeof rule.destination === "string" && !isUnknown(rule.destination)) {
        return arn !== undefined && rule.destination === arn;
    }
    return graph.candidatesFor(rule.destination, rule.sources, BUCKET, ["arn"]).some((b) => b.urn === source.urn);
}

/** The AWS/S3 metrics S3 publishes per replication rule once replication metrics are on. */
export const REPLICATION_METRICS = ["ReplicationLatency", "OperationsPendingReplication", "BytesPendingReplication", "OperationsFailedReplication"];
/** Their dimensions (S3 User Guide, "Metrics and dimensions: Replication metrics"). */
export const REPLICATION_DIMENSIONS = ["SourceBucket", "DestinationBucket", "RuleId"];

/** Whether a watched metric's dimensions name exactly this bucket's rule. */
export function metricMatchesRule(m: { dimensions: Record<string, unknown>; deps: PolicyResource[] }, bucket: PolicyResource, rule: ReplicationRule): boolean {
    const keys = Object.keys(m.dimensions);
    if (keys.length !== REPLICATION_DIMENSIONS.length || !REPLICATION_DIMENSIONS.every((k) => keys.includes(k))) {
        return false;
    }
    if (!refersTo(m.dimensions.SourceBucket, m.deps, bucket, ["bucket", "id"])) {
        return false;
    }
    const destination = m.dimensions.DestinationBucket;
    const destinationName = destinationBucketName(rule);
    const destinationOk = isUnknown(destination) || isUnknown(rule.destination) || destinationName === undefined || destination === destinationName;
    const ruleId = m.dimensions.RuleId;
    return destinationOk && (isUnknown(ruleId) || ruleId === rule.id);
}
