import * as pulumi from "@pulumi/pulumi";
import { accessLogLifecycle, dataBucketLifecycle } from "./bucketLifecycle";
import { DocumentStorage } from "./config";
import { accessLogBucketName, dataBucketName } from "./naming";
import { SecureBucket } from "./secureBucket";

export interface DocumentStoreArgs {
    app: string;
    accountId: string;
    region: string;
    kmsKeyArn: pulumi.Input<string>;
    noncurrentVersionDays: number;
    abortIncompleteUploadDays: number;
    /** Only intelligent-tiering-by-lifecycle adds a rule here; on-write is the api's choice (FunctionContext). */
    documentStorage: DocumentStorage;
    /** With intelligent-tiering-by-lifecycle: 0 moves documents as soon as lifecycle runs. */
    intelligentTieringDays: number;
    accessLogRetentionDays: number;
    /** An existing bucket (e.g. a foundation's log archive) to receive access logs instead of our own. */
    logArchiveBucket?: pulumi.Input<string>;
}

/**
 * The region's document store: the data bucket, and the bucket its access logs go to (unless a log
 * archive is given), each with its lifecycle (./bucketLifecycle.ts). A resource that must wait until
 * the store is fully configured (replication needs versioning first) depends on the store itself.
 */
export class DocumentStore extends pulumi.ComponentResource {
    readonly dataBucketName: pulumi.Output<string>;
    readonly dataBucketArn: pulumi.Output<string>;
    /** Our own access log bucket; undefined when a log archive receives the logs. */
    readonly accessLogBucketName?: pulumi.Output<string>;

    constructor(name: string, args: DocumentStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:storage:DocumentStore", name, {}, opts);

        let logTarget = args.logArchiveBucket;
        let accessLogs: SecureBucket | undefined;
        if (logTarget === undefined) {
            accessLogs = new SecureBucket(`${name}-access-logs`, {
                bucketName: accessLogBucketName(args.app, args.accountId, args.region),
                encryption: { sseS3Reason: "S3 server access logs are delivered only to buckets encrypted with SSE-S3" },
                policyExemptions: { "s3-access-logging": "this bucket is the access log target: logging it to itself would loop", "s3-cross-region-replication": "access logs describe this region only: the data bucket they log is replicated" },
                lifecycleRules: accessLogLifecycle({ abortIncompleteUploadDays: args.abortIncompleteUploadDays, retentionDays: args.accessLogRetentionDays }),
                extraPolicyStatements: (arn) => [{
                    Sid: "S3ServerAccessLogsFromThisAccount",
                    Principal: { Service: "logging.s3.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${arn}/*`,
                    Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                }],
            }, { parent: this });
            this.accessLogBucketName = accessLogs.name;
            logTarget = accessLogs.name;
        }

        const data = new SecureBucket(`${name}-data`, {
            bucketName: dataBucketName(args.app, args.accountId, args.region),
            encryption: { kmsKeyArn: args.kmsKeyArn },
            accessLogs: { targetBucket: logTarget, targetPrefix: `${dataBucketName(args.app, args.accountId, args.region)}/` },
            lifecycleRules: dataBucketLifecycle(args),
        }, { parent: this, dependsOn: accessLogs ? [accessLogs] : [] });
        this.dataBucketName = data.name;
        this.dataBucketArn = data.arn;

        this.registerOutputs({ dataBucket: this.dataBucketName, accessLogBucket: logTarget });
    }
}
