import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PREFIX } from "../functions/contract";
import { accessLogBucketName, dataBucketName } from "./naming";
import { SecureBucket } from "./secureBucket";

export interface DocumentStoreArgs {
    app: string;
    accountId: string;
    region: string;
    kmsKeyArn: pulumi.Input<string>;
    noncurrentVersionDays: number;
    abortIncompleteUploadDays: number;
    /** 0 moves documents to Intelligent-Tiering as soon as lifecycle runs. */
    intelligentTieringDays: number;
    accessLogRetentionDays: number;
    /** An existing bucket (e.g. a foundation's log archive) to receive access logs instead of our own. */
    logArchiveBucket?: pulumi.Input<string>;
}

const ALL_OBJECTS = { prefix: "" };
/** Canary probes only prove replication works; a day of them is plenty. */
const PROBE_LIFETIME_DAYS = 1;

/**
 * The region's document store: the data bucket, and the bucket its access logs go to (unless a log
 * archive is given). The lifecycle keeps cost bounded: incomplete uploads aborted, old versions and
 * stray delete markers expired, documents tiered automatically, canary probes dropped after a day.
 */
export class DocumentStore extends pulumi.ComponentResource {
    readonly data: SecureBucket;
    readonly accessLogs?: SecureBucket;

    constructor(name: string, args: DocumentStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:storage:DocumentStore", name, {}, opts);

        let logTarget = args.logArchiveBucket;
        if (logTarget === undefined) {
            this.accessLogs = new SecureBucket(`${name}-access-logs`, {
                bucketName: accessLogBucketName(args.app, args.accountId, args.region),
                encryption: { sseS3Reason: "S3 server access logs are delivered only to buckets encrypted with SSE-S3" },
                policyExemptions: { "s3-access-logging": "this bucket is the access log target: logging it to itself would loop", "s3-cross-region-replication": "access logs describe this region only: the data bucket they log is replicated" },
                lifecycleRules: [
                    abortIncompleteUploads(args.abortIncompleteUploadDays),
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: ALL_OBJECTS,
                        expiration: { days: args.accessLogRetentionDays },
                        noncurrentVersionExpiration: { noncurrentDays: 1 },
                    },
                ],
                extraPolicyStatements: (arn) => [{
                    Sid: "S3ServerAccessLogsFromThisAccount",
                    Principal: { Service: "logging.s3.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${arn}/*`,
                    Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                }],
            }, { parent: this });
            logTarget = this.accessLogs.name;
        }

        this.data = new SecureBucket(`${name}-data`, {
            bucketName: dataBucketName(args.app, args.accountId, args.region),
            encryption: { kmsKeyArn: args.kmsKeyArn },
            accessLogs: { targetBucket: logTarget, targetPrefix: `${dataBucketName(args.app, args.accountId, args.region)}/` },
            lifecycleRules: [
                abortIncompleteUploads(args.abortIncompleteUploadDays),
                {
                    id: "expire-noncurrent-versions",
                    status: "Enabled",
                    filter: ALL_OBJECTS,
                    noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
                    expiration: { expiredObjectDeleteMarker: true },
                },
                {
                    id: "documents-to-intelligent-tiering",
                    status: "Enabled",
                    filter: { prefix: PREFIX.objects },
                    transitions: [{ days: args.intelligentTieringDays, storageClass: "INTELLIGENT_TIERING" }],
                },
                {
                    id: "expire-canary-probes",
                    status: "Enabled",
                    filter: { prefix: PREFIX.probes },
                    expiration: { days: PROBE_LIFETIME_DAYS },
                    noncurrentVersionExpiration: { noncurrentDays: PROBE_LIFETIME_DAYS },
                },
            ],
        }, { parent: this, dependsOn: this.accessLogs ? [this.accessLogs] : [] });

        this.registerOutputs({ dataBucket: this.data.name, accessLogBucket: logTarget });
    }
}

function abortIncompleteUploads(days: number): aws.types.input.s3.BucketLifecycleConfigurationRule {
    return {
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: ALL_OBJECTS,
        abortIncompleteMultipartUpload: { daysAfterInitiation: days },
    };
}
