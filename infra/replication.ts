import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, serviceTrustPolicy } from "./iamDocument";
import { replicationRoleName } from "./naming";

export interface ReplicationArgs {
    app: string;
    accountId: string;
    sourceRegion: string;
    sourceBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    sourceKeyArn: pulumi.Input<string>;
    destinationRegion: string;
    destinationBucketArn: pulumi.Input<string>;
    /** A key in the destination region: S3 re-encrypts replicas with it. */
    destinationKeyArn: pulumi.Input<string>;
    /** S3 Replication Time Control: 99.99% of objects within 15 minutes, billed per GB. */
    replicationTimeControl: boolean;
    permissionsBoundary?: pulumi.Input<string>;
}

/** AWS accepts 15 minutes, and only 15, for both the RTC threshold and the metrics event threshold. */
const RTC_MINUTES = 15;
export const REPLICATION_RULE_ID = "all-objects-to-peer";

/**
 * Cross-region replication of the whole data bucket to the peer region: SSE-KMS objects re-encrypted
 * with the peer's key, delete markers replicated, replica modifications synced (ready for replication
 * in the other direction after a failover), metrics on so the lag and failures can be alarmed.
 * The role can do exactly what S3 documents for SSE-KMS replication, each KMS use bound to S3 in
 * its region and to the bucket's encryption context (Bucket Keys make that the bucket ARN).
 */
export class Replication extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly config: aws.s3.BucketReplicationConfig;

    constructor(name: string, args: ReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:storage:Replication", name, {}, opts);

        this.role = new aws.iam.Role(name, {
            name: replicationRoleName(args.app, args.sourceRegion),
            description: `S3 replication of ${args.app} from ${args.sourceRegion} to ${args.destinationRegion}`,
            assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com", args.accountId),
            permissionsBoundary: args.permissionsBoundary,
        }, { parent: this });

        const source = args.sourceBucket.arn;
        const destination = args.destinationBucketArn;
        const policy = new aws.iam.RolePolicy(name, {
            role: this.role.id,
            policy: policyJson([
                { Sid: "ReadReplicationConfiguration", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: source },
                {
                    Sid: "ReadSourceVersions",
                    Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                    Resource: pulumi.interpolate`${source}/*`,
                },
                {
                    Sid: "WriteReplicas",
                    Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                    Resource: pulumi.interpolate`${destination}/*`,
                },
                {
                    Sid: "DecryptSourceObjects",
                    Action: "kms:Decrypt",
                    Resource: args.sourceKeyArn,
                    Condition: {
                        StringEquals: { "kms:ViaService": `s3.${args.sourceRegion}.amazonaws.com` },
                        StringLike: { "kms:EncryptionContext:aws:s3:arn": [source, pulumi.interpolate`${source}/*`] },
                    },
                },
                {
                    Sid: "EncryptReplicas",
                    Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                    Resource: args.destinationKeyArn,
                    Condition: {
                        StringEquals: { "kms:ViaService": `s3.${args.destinationRegion}.amazonaws.com` },
                        StringLike: { "kms:EncryptionContext:aws:s3:arn": [destination, pulumi.interpolate`${destination}/*`] },
                    },
                },
            ]),
        }, { parent: this });

        this.config = new aws.s3.BucketReplicationConfig(name, {
            bucket: args.sourceBucket.name,
            role: this.role.arn,
            rules: [{
                id: REPLICATION_RULE_ID,
                status: "Enabled",
                priority: 1,
                filter: { prefix: "" },
                deleteMarkerReplication: { status: "Enabled" },
                sourceSelectionCriteria: {
                    sseKmsEncryptedObjects: { status: "Enabled" },
                    replicaModifications: { status: "Enabled" },
                },
                destination: {
                    bucket: destination,
                    encryptionConfiguration: { replicaKmsKeyId: args.destinationKeyArn },
                    ...(args.replicationTimeControl
                        ? {
                            metrics: { status: "Enabled", eventThreshold: { minutes: RTC_MINUTES } },
                            replicationTime: { status: "Enabled", time: { minutes: RTC_MINUTES } },
                        }
                        : { metrics: { status: "Enabled" } }),
                },
            }],
        }, { parent: this, dependsOn: [policy] });

        this.registerOutputs({ roleArn: this.role.arn, destination });
    }
}
