// S3 in @pulumi/aws v7: a bucket's settings live in separate resources (versioning, encryption,
// lifecycle, logging, public access block, ownership controls, policy, replication), each pointing at
// the bucket through its `bucket` input. These helpers find them from the bucket, following
// propertyDependencies (known during a preview), and fall back to the deprecated inline arguments of
// the bucket itself so a program still using them is judged, not ignored.
import { PolicyResource } from "@pulumi/policy";
import { StackGraph } from "./graph";
import { known, knownList, rawGet, rawPath } from "./values";

export const BUCKET = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** Each side resource's current token and its deprecated `V2` alias. */
export const SIDE = {
    versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    encryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    lifecycle: ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"],
    logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    ownership: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    acl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    policy: ["aws:s3/bucketPolicy:BucketPolicy"],
    replication: ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
} as const;

export type SideKind = keyof typeof SIDE;

/** The bucket's `kind` resources (by propertyDependencies, or the same literal bucket name). */
export function sideResources(graph: StackGraph, bucket: PolicyResource, kind: SideKind): PolicyResource[] {
    return graph.referencing(bucket, [...SIDE[kind]], "bucket", ["bucket", "id"]);
}

/** The buckets a side resource configures. */
export function bucketsOf(graph: StackGraph, side: PolicyResource): PolicyResource[] {
    const viaDeps = graph.inputSources(side, "bucket", BUCKET);
    if (viaDeps.length > 0) {
        return viaDeps;
    }
    const name = rawGet(side.props, "bucket");
    return graph.ofType(...BUCKET).filter((b) => typeof name === "string" && (rawGet(b.props, "bucket") === name || rawGet(b.props, "id") === name));
}

/** One default-encryption rule, from BucketServerSideEncryptionConfiguration or the inline argument. */
export interface EncryptionRule {
    source: PolicyResource;
    algorithm: unknown;
    kmsKeyId: unknown;
    bucketKeyEnabled: unknown;
    /** For the split resource: the resources the rules were computed from (the key). */
    keySources: PolicyResource[];
}

export function encryptionRules(graph: StackGraph, bucket: PolicyResource): EncryptionRule[] {
    const read = (source: PolicyResource, rule: unknown, keySources: PolicyResource[]): EncryptionRule => ({
        source,
        algorithm: known(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"),
        // The key is usually another resource's output: unknown in a preview, and still "set".
        kmsKeyId: rawPath(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"),
        bucketKeyEnabled: known(rule, "bucketKeyEnabled"),
        keySources,
    });
    const split = sideResources(graph, bucket, "encryption")
        .flatMap((c) => knownList(c.props, "rules").map((rule) => read(c, rule, graph.inputSources(c, "rules"))));
    const inline = known(bucket.props, "serverSideEncryptionConfiguration", "rule");
    return inline === undefined ? split : [...split, read(bucket, inline, graph.inputSources(bucket, "serverSideEncryptionConfiguration"))];
}

/** Versioning status: "Enabled", "Suspended", "Disabled", or undefined when nothing configures it. */
export function versioningStatus(graph: StackGraph, bucket: PolicyResource): { status: unknown; source: PolicyResource } | undefined {
    const split = sideResources(graph, bucket, "versioning")[0];
    if (split) {
        return { status: known(split.props, "versioningConfiguration", "status"), source: split };
    }
    const inline = known(bucket.props, "versioning", "enabled");
    return inline === undefined ? undefined : { status: inline === true ? "Enabled" : "Suspended", source: bucket };
}

/** A lifecycle rule in one shape, from BucketLifecycleConfiguration or the inline `lifecycleRules`. */
export interface LifecycleRule {
    source: PolicyResource;
    id: string;
    enabled: boolean;
    /** Whether the rule's filter covers every object (no prefix, tag or size condition). */
    allObjects: boolean;
    abortDays: unknown;
    noncurrentDays: unknown;
}

function filterCoversAll(filter: unknown, legacyPrefix: unknown): boolean {
    if (typeof legacyPrefix === "string" && legacyPrefix !== "") {
        return false;
    }
    if (filter === undefined || filter === null) {
        return true;
    }
    return Object.keys(filter as object)
        .filter((k) => known(filter, k) !== undefined)
        .every((k) => k === "prefix" && known(filter, k) === "");
}

export function lifecycleRules(graph: StackGraph, bucket: PolicyResource): LifecycleRule[] {
    const split = sideResources(graph, bucket, "lifecycle").flatMap((c) => knownList(c.props, "rules").map((rule, i) => ({
        source: c,
        id: String(rawGet(rule, "id") ?? `#${i + 1}`),
        enabled: known(rule, "status") === "Enabled",
        allObjects: filterCoversAll(known(rule, "filter"), known(rule, "prefix")),
        abortDays: known(rule, "abortIncompleteMultipartUpload", "daysAfterInitiation"),
        noncurrentDays: known(rule, "noncurrentVersionExpiration", "noncurrentDays"),
    })));
    const inline = knownList(bucket.props, "lifecycleRules").map((rule, i) => ({
        source: bucket,
        id: String(rawGet(rule, "id") ?? `#${i + 1}`),
        enabled: known(rule, "enabled") === true,
        allObjects: filterCoversAll(undefined, known(rule, "prefix")) && known(rule, "tags") === undefined,
        abortDays: known(rule, "abortIncompleteMultipartUploadDays"),
        noncurrentDays: known(rule, "noncurrentVersionExpiration", "days"),
    }));
    return [...split, ...inline];
}

/** Where the bucket's access logs go, if anywhere. */
export function loggingTargets(graph: StackGraph, bucket: PolicyResource): { source: PolicyResource; target: unknown; targetSources: PolicyResource[] }[] {
    const split = sideResources(graph, bucket, "logging").map((l) => ({
        source: l, target: rawGet(l.props, "targetBucket"), targetSources: graph.inputSources(l, "targetBucket", BUCKET),
    }));
    const inline = rawPath(bucket.props, "logging", "targetBucket");
    return inline === undefined ? split : [...split, { source: bucket, target: inline, targetSources: graph.inputSources(bucket, "logging", BUCKET) }];
}
