// The lifecycle of the region's two buckets: what S3 aborts, expires and moves on its own so that
// storage cost stays bounded. SecureBucket applies these rules; DocumentStore picks them per bucket.
import * as aws from "@pulumi/aws";
import { PREFIX } from "../functions/contract";

type Rule = aws.types.input.s3.BucketLifecycleConfigurationRule;

/** Every lifecycle rule needs a filter; an empty prefix is every object. */
const ALL_OBJECTS = { prefix: "" };
/** Canary probes only prove replication works; a day of them is plenty. */
const PROBE_LIFETIME_DAYS = 1;

export interface DataLifecycle {
    abortIncompleteUploadDays: number;
    noncurrentVersionDays: number;
    /** 0 moves documents to Intelligent-Tiering as soon as lifecycle runs. */
    intelligentTieringDays: number;
}

/**
 * The data bucket: incomplete uploads aborted, old versions and stray delete markers expired,
 * documents tiered automatically, canary probes dropped after a day.
 */
export function dataBucketLifecycle(days: DataLifecycle): Rule[] {
    return [
        abortIncompleteUploads(days.abortIncompleteUploadDays),
        {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: ALL_OBJECTS,
            noncurrentVersionExpiration: { noncurrentDays: days.noncurrentVersionDays },
            expiration: { expiredObjectDeleteMarker: true },
        },
        {
            id: "documents-to-intelligent-tiering",
            status: "Enabled",
            filter: { prefix: PREFIX.objects },
            transitions: [{ days: days.intelligentTieringDays, storageClass: "INTELLIGENT_TIERING" }],
        },
        {
            id: "expire-canary-probes",
            status: "Enabled",
            filter: { prefix: PREFIX.probes },
            expiration: { days: PROBE_LIFETIME_DAYS },
            noncurrentVersionExpiration: { noncurrentDays: PROBE_LIFETIME_DAYS },
        },
    ];
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
