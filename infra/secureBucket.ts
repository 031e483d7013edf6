import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, Statement } from "./iamDocument";
import { exemptionTags } from "./exemptions";

/** SSE-KMS with a customer key, or SSE-S3 where AWS allows nothing else (server access log targets). */
export type BucketEncryption = { kmsKeyArn: pulumi.Input<string> } | { sseS3Reason: string };

export interface SecureBucketArgs {
    bucketName: string;
    encryption: BucketEncryption;
    /** Where S3 server access logs go; leave out only for a bucket that is itself a log target. */
    accessLogs?: { targetBucket: pulumi.Input<string>; targetPrefix: string };
    lifecycleRules: aws.types.input.s3.BucketLifecycleConfigurationRule[];
    /** Statements added to the bucket policy after the TLS-only deny, given the bucket's ARN. */
    extraPolicyStatements?: (bucketArn: pulumi.Output<string>) => Statement[];
    /** Policy rules this bucket is exempt from, each with its reason (reported by the policy pack). */
    policyExemptions?: Record<string, string>;
}

/**
 * An S3 bucket with every protection on, built from v7's split resources: versioning, default
 * encryption (with S3 Bucket Keys for KMS), all four public-access blocks, ACLs disabled
 * (BucketOwnerEnforced), a bucket policy that refuses plain HTTP, lifecycle rules and access logging.
 * The side resources are created one after another, bucket -> public access block -> policy ->
 * ownership, because S3 refuses concurrent changes to one bucket ("conflicting conditional operation").
 */
export class SecureBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly versioning: aws.s3.BucketVersioning;
    readonly lifecycle: aws.s3.BucketLifecycleConfiguration;
    readonly arn: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:storage:SecureBucket", name, {}, opts);
        const parent = { parent: this };

        const exemptions = { ...args.policyExemptions };
        if ("sseS3Reason" in args.encryption) {
            exemptions["s3-sse-kms-customer-key"] = args.encryption.sseS3Reason;
            exemptions["s3-bucket-key-enabled"] = args.encryption.sseS3Reason;
        }
        this.bucket = new aws.s3.Bucket(name, {
            bucket: args.bucketName,
            forceDestroy: false,
            tags: exemptionTags(exemptions),
        }, parent);
        this.arn = this.bucket.arn;
        this.name = this.bucket.bucket;

        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(name, {
            bucket: this.bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, parent);

        const policy = new aws.s3.BucketPolicy(name, {
            bucket: this.bucket.id,
            policy: policyJson([
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [this.arn, pulumi.interpolate`${this.arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": false } },
                },
                ...(args.extraPolicyStatements?.(this.arn) ?? []),
            ]),
        }, { parent: this, dependsOn: [publicAccessBlock] });

        const ownership = new aws.s3.BucketOwnershipControls(name, {
            bucket: this.bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, { parent: this, dependsOn: [policy] });

        this.versioning = new aws.s3.BucketVersioning(name, {
            bucket: this.bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, { parent: this, dependsOn: [ownership] });

        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(name, {
            bucket: this.bucket.id,
            rules: ["kmsKeyArn" in args.encryption
                ? {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.encryption.kmsKeyArn },
                    // One KMS request per bucket key instead of one per object: the largest KMS cost saver.
                    bucketKeyEnabled: true,
                }
                : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }, { parent: this, dependsOn: [this.versioning] });

        let lastChange: pulumi.Resource = encryption;
        if (args.accessLogs) {
            lastChange = new aws.s3.BucketLogging(name, {
                bucket: this.bucket.id,
                targetBucket: args.accessLogs.targetBucket,
                targetPrefix: args.accessLogs.targetPrefix,
                targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
            }, { parent: this, dependsOn: [encryption] });
        }

        this.lifecycle = new aws.s3.BucketLifecycleConfiguration(name, {
            bucket: this.bucket.id,
            rules: args.lifecycleRules,
        }, { parent: this, dependsOn: [lastChange] });

        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}
