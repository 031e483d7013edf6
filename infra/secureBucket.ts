import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { adopted, CreateOrAdopt } from "./existing";
import { exemptionTags } from "./exemptions";
import { policyJson, Statement } from "./iamDocument";

/** SSE-KMS with a customer key, or SSE-S3 where AWS allows nothing else (server access log targets). */
export type BucketEncryption = { kmsKeyArn: pulumi.Input<string> } | { sseS3Reason: string };

export interface NewBucketArgs {
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

/** A bucket made elsewhere, by name; its owner keeps its protections. It is looked up for its ARN. */
export interface ExistingBucket {
    name: string;
}

export type SecureBucketArgs = CreateOrAdopt<ExistingBucket, NewBucketArgs>;

/**
 * An S3 bucket with every protection on, built from v7's split resources: versioning, default
 * encryption (with S3 Bucket Keys for KMS), all four public-access blocks, ACLs disabled
 * (BucketOwnerEnforced), a bucket policy that refuses plain HTTP, lifecycle rules and access logging.
 * The side resources are created one after another, bucket -> public access block -> policy ->
 * ownership, because S3 refuses concurrent changes to one bucket ("conflicting conditional operation").
 * Given `existing`, it creates none of these and only yields the adopted bucket's name and ARN.
 */
export class SecureBucket extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:storage:SecureBucket", name, {}, opts);
        const parent = { parent: this };

        const existing = adopted(`SecureBucket ${name}`, args);
        if (existing !== undefined) {
            // Through this component's provider (default providers are disabled); a missing bucket
            // fails the lookup here, before anything is pointed at it.
            const found = aws.s3.getBucketOutput({ bucket: existing.name }, parent);
            this.name = found.bucket;
            this.arn = found.arn;
            this.registerOutputs({ arn: this.arn, name: this.name });
            return;
        }
        const create = args as NewBucketArgs;

        const exemptions = { ...create.policyExemptions };
        if ("sseS3Reason" in create.encryption) {
            exemptions["s3-sse-kms-customer-key"] = create.encryption.sseS3Reason;
            exemptions["s3-bucket-key-enabled"] = create.encryption.sseS3Reason;
        }
        const bucket = new aws.s3.Bucket(name, {
            bucket: create.bucketName,
            forceDestroy: false,
            tags: exemptionTags(exemptions),
        }, parent);
        this.arn = bucket.arn;
        this.name = bucket.bucket;

        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(name, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, parent);

        const policy = new aws.s3.BucketPolicy(name, {
            bucket: bucket.id,
            policy: policyJson([
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [this.arn, pulumi.interpolate`${this.arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": false } },
                },
                ...(create.extraPolicyStatements?.(this.arn) ?? []),
            ]),
        }, { parent: this, dependsOn: [publicAccessBlock] });

        const ownership = new aws.s3.BucketOwnershipControls(name, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, { parent: this, dependsOn: [policy] });

        const versioning = new aws.s3.BucketVersioning(name, {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, { parent: this, dependsOn: [ownership] });

        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(name, {
            bucket: bucket.id,
            rules: ["kmsKeyArn" in create.encryption
                ? {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: create.encryption.kmsKeyArn },
                    // One KMS request per bucket key instead of one per object: the largest KMS cost saver.
                    bucketKeyEnabled: true,
                }
                : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }, { parent: this, dependsOn: [versioning] });

        let lastChange: pulumi.Resource = encryption;
        if (create.accessLogs) {
            lastChange = new aws.s3.BucketLogging(name, {
                bucket: bucket.id,
                targetBucket: create.accessLogs.targetBucket,
                targetPrefix: create.accessLogs.targetPrefix,
                targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
            }, { parent: this, dependsOn: [encryption] });
        }

        new aws.s3.BucketLifecycleConfiguration(name, {
            bucket: bucket.id,
            rules: create.lifecycleRules,
        }, { parent: this, dependsOn: [lastChange] });

        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}
