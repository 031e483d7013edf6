// The lifecycle of the region's two buckets: what S3 aborts, expires and moves on its own so that
// storage cost stays bounded. SecureBucket applies these rules; DocumentStore picks them per bucket.
import * as aws from "@pulumi/aws";
import { PREFIX } from "../functions/contract";
import { DocumentStorage } from "./config";

type Rule = aws.types.input.s3.BucketLifecycleConfigurationRule;

/** Every lifecycle rule needs a filter; an empty prefix is every object. */
const ALL_OBJECTS = { prefix: "" };
/** Canary probes only prove replication works; a day of them is plenty. */
const PROBE_LIFETIME_DAYS = 1;
/**
 * Intelligent-Tiering neither monitors nor moves an object under 128 KB: it bills it at the Frequent
 * Access rate, S3 Standard's (S3 API reference, PutBucketIntelligentTieringConfiguration). Moving one
 * costs a transition fee and saves nothing, so the rule skips them (128 KiB: the larger reading of "KB").
 */
export const TIERING_MIN_OBJECT_BYTES = 128 * 1024;

export interface DataLifecycle {
    abortIncompleteUploadDays: number;
    noncurrentVersionDays: number;
    documentStorage: DocumentStorage;
    /** With intelligent-tiering-by-lifecycle: 0 moves documents as soon as lifecycle runs. */
    intelligentTieringDays: number;
}

/**
 * The data bucket: incomplete uploads aborted, old versions and stray delete markers expired,
 * documents large enough to gain from it tiered (when the storage choice says so), canary probes
 * dropped after a day.
 */
export function dataBucketLifecycle(days: DataLifecycle): Rule[] {
    const tiering = documentTieringRule(days.documentStorage, days.intelligentTieringDays);
    return [
        abortIncompleteUploads(days.abortIncompleteUploadDays),
        {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: ALL_OBJECTS,
            noncurrentVersionExpiration: { noncurrentDays: days.noncurrentVersionDays },
            expiration: { expiredObjectDeleteMarker: true },
        },
        ...(tiering ? [tiering] : []),
        {
            id: "expire-canary-probes",
            status: "Enabled",
            filter: { prefix: PREFIX.probes },
            expiration: { days: PROBE_LIFETIME_DAYS },
            noncurrentVersionExpiration: { noncurrentDays: PROBE_LIFETIME_DAYS },
        },
    ];
}

/** The rule that moves documents to Intelligent-Tiering, for the one storage choice that has one. */
export function documentTieringRule(storage: DocumentStorage, afterDays: number): Rule | undefined {
    if (storage !== "intelligent-tiering-by-lifecycle") return undefined;
    return {
        id: "documents-to-intelligent-tiering",
        status: "Enabled",
        // Prefix and size together need `and`: a filter holds one predicate (S3 API reference, LifecycleRuleFilter).
        filter: { and: { prefix: PREFIX.objects, objectSizeGreaterThan: TIERING_MIN_OBJECT_BYTES - 1 } },
        transitions: [{ days: afterDays, storageClass: "INTELLIGENT_TIERING" }],
    };
}

/** The access log bucket: logs kept for their retention, then gone (with their versions). */
export function accessLogLifecycle(days: { abortIncompleteUploadDays: number; retentionDays: number }): Rule[] {
    return [
        abortIncompleteUploads(days.abortIncompleteUploadDays),
        {
            id: "expire-access-logs",
            status: "Enabled",
            filter: ALL_OBJECTS,
            expiration: { days: days.retentionDays },
            noncurrentVersionExpiration: { noncurrentDays: 1 },
        },
    ];
}

function abortIncompleteUploads(days: number): Rule {
    return {
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: ALL_OBJECTS,
        abortIncompleteMultipartUpload: { daysAfterInitiation: days },
    };
}
