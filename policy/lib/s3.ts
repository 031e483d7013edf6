// S3 in @pulumi/aws v7: a bucket's settings live in separate resources (versioning, encryption,
// lifecycle, logging, public access block, ownership controls, policy, replication, notification),
// each naming the bucket in its `bucket` input. A side resource belongs to a bucket when that input
// is the bucket's name (its `bucket` or `id` attribute, never its ARN: the S3 API takes names), by
// literal or computed from the bucket (see graph.ts). The helpers fall back to the deprecated inline
// arguments of the bucket itself (and accept the deprecated `V2` type tokens) so a program still using
// them is judged, not ignored.
import { PolicyResource } from "@pulumi/policy";
import { bucketNameOfArn } from "./arn";
import { StackGraph } from "./graph";
import { asList, isUnknown, known, knownList, rawGet, rawPath } from "./values";

export const BUCKET = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** A bucket's name attributes: what a side resource's `bucket` input must hold. */
export const BUCKET_NAME_ATTRS = ["bucket", "id"];

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
    notification: ["aws:s3/bucketNotification:BucketNotification"],
} as const;

export type SideKind = keyof typeof SIDE;

/** The bucket's `kind` resources. */
export function sideResources(graph: StackGraph, bucket: PolicyResource, kind: SideKind): PolicyResource[] {
    return graph.referencing(bucket, SIDE[kind], "bucket", BUCKET_NAME_ATTRS);
}

/** The buckets a side resource configures. */
export function bucketsOf(graph: StackGraph, side: PolicyResource): PolicyResource[] {
    return graph.referenced(side, "bucket", BUCKET, BUCKET_NAME_ATTRS);
}

/** The bucket's name, when known. */
export function bucketName(bucket: PolicyResource): string | undefined {
    for (const k of BUCKET_NAME_ATTRS) {
        const v = rawGet(bucket.props, k);
        if (typeof v === "string" && v !== "" && !isUnknown(v)) {
            return v;
        }
    }
    return undefined;
}

/** The bucket's ARN: its output, else `arn:aws:s3:::<name>` (bucket ARNs name neither region nor account). */
export function bucketArn(bucket: PolicyResource): string | undefined {
    const arn = rawGet(bucket.props, "arn");
    if (typeof arn === "string" && !isUnknown(arn)) {
        return arn;
    }
    const name = bucketName(bucket);
    return name === undefined ? undefined : `arn:aws:s3:::${name}`;
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

/** Whether the bucket's default encryption has anything to say (a configuration resource or the inline argument). */
export function hasEncryptionConfiguration(graph: StackGraph, bucket: PolicyResource): boolean {
    return sideResources(graph, bucket, "encryption").length > 0 || known(bucket.props, "serverSideEncryptionConfiguration") !== undefined;
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
export function loggingTargets(graph: StackGraph, bucket: PolicyResource): { source: PolicyResource; target: unknown; targetBuckets: PolicyResource[] }[] {
    const split = sideResources(graph, bucket, "logging").map((l) => ({
        source: l, target: rawGet(l.props, "targetBucket"), targetBuckets: graph.referenced(l, "targetBucket", BUCKET, BUCKET_NAME_ATTRS),
    }));
    const inline = rawPath(bucket.props, "logging", "targetBucket");
    if (inline === undefined) {
        return split;
    }
    const deps = graph.inputSources(bucket, "logging", BUCKET);
    return [...split, { source: bucket, target: inline, targetBuckets: graph.candidatesFor(inline, deps, BUCKET, BUCKET_NAME_ATTRS) }];
}

/** Whether some bucket of the stack sends its access logs to `bucket`. */
export function isLogTarget(graph: StackGraph, bucket: PolicyResource): boolean {
    return graph.ofType(...BUCKET).some((b) => b.urn !== bucket.urn && loggingTargets(graph, b).some((t) => t.targetBuckets.some((x) => x.urn === bucket.urn)));
}

/** A replication rule in one shape, from BucketReplicationConfig or the inline `replicationConfiguration`. */
export interface ReplicationRule {
    /** The resource holding the rule (the BucketReplicationConfig, or the bucket for the inline form). */
    source: PolicyResource;
    id: string;
    enabled: boolean;
    /** destination.bucket: the destination bucket's ARN. */
    destination: unknown;
    replicaKmsKeyId: unknown;
    /** Whether SSE-KMS objects are selected (sourceSelectionCriteria). */
    kmsObjects: unknown;
    deleteMarkers: unknown;
    metrics: boolean;
    replicationTime: boolean;
    /** The resources the rules (or the inline configuration) were computed from. */
    sources: PolicyResource[];
    /** Whether replica modification sync is on (undefined for the inline form, which cannot express it). */
    replicaModifications?: boolean;
    /** Whether the rule selects every object (no prefix or tag filter). */
    allObjects: boolean;
    /** The rule's filter, for messages. */
    filter: unknown;
    /** The replication role input and what it was computed from. */
    role: unknown;
    roleSources: PolicyResource[];
}

const enabled = (v: unknown) => v === "Enabled";

/** Every replication rule of the bucket (split resources and the deprecated inline form). */
export function replicationRules(graph: StackGraph, bucket: PolicyResource): ReplicationRule[] {
    const split = sideResources(graph, bucket, "replication").flatMap((c) => knownList(c.props, "rules").map((rule, i): ReplicationRule => ({
        source: c,
        id: String(rawGet(rule, "id") ?? `#${i + 1}`),
        enabled: enabled(known(rule, "status")),
        destination: rawPath(rule, "destination", "bucket"),
        replicaKmsKeyId: rawPath(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId"),
        kmsObjects: known(rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "status") === "Enabled",
        replicaModifications: known(rule, "sourceSelectionCriteria", "replicaModifications", "status") === "Enabled",
        deleteMarkers: known(rule, "deleteMarkerReplication", "status") === "Enabled",
        metrics: enabled(known(rule, "destination", "metrics", "status")),
        replicationTime: enabled(known(rule, "destination", "replicationTime", "status")),
        allObjects: filterCoversAll(known(rule, "filter"), known(rule, "prefix")),
        filter: known(rule, "filter") ?? known(rule, "prefix") ?? null,
        sources: graph.inputSources(c, "rules"),
        role: rawGet(c.props, "role"),
        roleSources: graph.inputSources(c, "role"),
    })));
    const inline = known(bucket.props, "replicationConfiguration");
    if (inline === undefined) {
        return split;
    }
    const sources = graph.inputSources(bucket, "replicationConfiguration");
    return [...split, ...knownList(inline, "rules").map((rule, i): ReplicationRule => ({
        source: bucket,
        id: String(rawGet(rule, "id") ?? `#${i + 1}`),
        enabled: enabled(known(rule, "status")),
        destination: rawPath(rule, "destination", "bucket"),
        replicaKmsKeyId: rawPath(rule, "destination", "replicaKmsKeyId"),
        kmsObjects: known(rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "enabled") === true,
        deleteMarkers: known(rule, "deleteMarkerReplicationStatus") === "Enabled",
        metrics: enabled(known(rule, "destination", "metrics", "status")),
        replicationTime: enabled(known(rule, "destination", "replicationTime", "status")),
        allObjects: filterCoversAll(known(rule, "filter"), known(rule, "prefix")),
        filter: known(rule, "filter") ?? known(rule, "prefix") ?? null,
        sources,
        role: rawGet(inline, "role"),
        roleSources: sources,
    }))];
}

/** Whether the bucket has any replication configured at all (a configuration resource or the inline argument). */
export function hasReplicationConfiguration(graph: StackGraph, bucket: PolicyResource): boolean {
    return sideResources(graph, bucket, "replication").length > 0 || known(bucket.props, "replicationConfiguration") !== undefined;
}

/** The destination bucket's name from the rule's destination (an ARN), when known. */
export function destinationBucketName(rule: ReplicationRule): string | undefined {
    return bucketNameOfArn(rule.destination);
}

/** A Lambda target of an S3 event notification. */
export interface FunctionNotification {
    source: PolicyResource;
    index: number;
    functionArn: unknown;
    events: string[];
    prefix: string;
    suffix: string;
}

export function functionNotifications(graph: StackGraph, bucket: PolicyResource): FunctionNotification[] {
    return sideResources(graph, bucket, "notification").flatMap((n) => knownList(n.props, "lambdaFunctions").map((f, index) => ({
        source: n,
        index,
        functionArn: rawGet(f, "lambdaFunctionArn"),
        events: asList(known(f, "events")).filter((e): e is string => typeof e === "string"),
        prefix: String(known(f, "filterPrefix") ?? ""),
        suffix: String(known(f, "filterSuffix") ?? ""),
    })));
}
