import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmTarget, raiseAlarms } from "./alarms";
import { Panel, Watched, WIDTH } from "./dashboard";
import { policyJson, serviceTrustPolicy } from "./iamDocument";
import { replicationRoleName } from "./naming";

export interface ReplicationArgs {
    app: string;
    accountId: string;
    sourceRegion: string;
    sourceBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    sourceKeyArn: pulumi.Input<string>;
    destination: {
        region: string;
        bucketName: string;
        bucketArn: pulumi.Input<string>;
        /** A key in the destination region: S3 re-encrypts replicas with it. */
        keyArn: pulumi.Input<string>;
    };
    /** S3 Replication Time Control: 99.99% of objects within 15 minutes, billed per GB. */
    replicationTimeControl: boolean;
    permissionsBoundary?: pulumi.Input<string>;
    /** Recovery point objective: S3's replication latency above it raises an alarm. */
    rpoMinutes: number;
    /** `failedOperations`: objects S3 failed to replicate in five minutes that raise an alarm (default 1). */
    alarms: AlarmTarget & { failedOperations?: number };
}

/** AWS accepts 15 minutes, and only 15, for both the RTC threshold and the metrics event threshold. */
const RTC_MINUTES = 15;
const REPLICATION_RULE_ID = "all-objects-to-peer";

/**
 * Cross-region replication of the whole data bucket to the peer region: SSE-KMS objects re-encrypted
 * with the peer's key, delete markers replicated, replica modifications synced (ready for replication
 * in the other direction after a failover), metrics on so the lag and failures can be alarmed.
 * The role can do exactly what S3 documents for SSE-KMS replication, each KMS use bound to S3 in
 * its region and to the bucket's encryption context (Bucket Keys make that the bucket ARN).
 * S3's own replication metrics are alarmed: failed operations, and latency against the RPO.
 */
export class Replication extends pulumi.ComponentResource implements Watched {
    readonly alarmArns: pulumi.Output<string>[];
    readonly panels: Panel[];

    constructor(name: string, args: ReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:storage:Replication", name, {}, opts);

        const role = new aws.iam.Role(name, {
            name: replicationRoleName(args.app, args.sourceRegion),
            description: `S3 replication of ${args.app} from ${args.sourceRegion} to ${args.destination.region}`,
            assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com", args.accountId),
            permissionsBoundary: args.permissionsBoundary,
        }, { parent: this });

        const source = args.sourceBucket.arn;
        const destination = args.destination.bucketArn;
        const policy = new aws.iam.RolePolicy(name, {
            role: role.id,
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
                    Resource: args.destination.keyArn,
                    Condition: {
                        StringEquals: { "kms:ViaService": `s3.${args.destination.region}.amazonaws.com` },
                        StringLike: { "kms:EncryptionContext:aws:s3:arn": [destination, pulumi.interpolate`${destination}/*`] },
                    },
                },
            ]),
        }, { parent: this });

        new aws.s3.BucketReplicationConfig(name, {
            bucket: args.sourceBucket.name,
            role: role.arn,
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
                    encryptionConfiguration: { replicaKmsKeyId: args.destination.keyArn },
                    ...(args.replicationTimeControl
                        ? {
                            metrics: { status: "Enabled", eventThreshold: { minutes: RTC_MINUTES } },
                            replicationTime: { status: "Enabled", time: { minutes: RTC_MINUTES } },
                        }
                        : { metrics: { status: "Enabled" } }),
                },
            }],
        }, { parent: this, dependsOn: [policy] });

        const rpoSeconds = args.rpoMinutes * 60;
        const rule = { SourceBucket: args.sourceBucket.name, DestinationBucket: args.destination.bucketName, RuleId: REPLICATION_RULE_ID };
        const every5Minutes = { period: 300, evaluationPeriods: 1, treatMissingData: "notBreaching" } as const;
        this.alarmArns = raiseAlarms(this, name, args.alarms, [
            {
                key: "failed", name: `${args.app}-replication-failed`, description: "S3 failed to replicate objects to the peer region",
                namespace: "AWS/S3", metricName: "OperationsFailedReplication", dimensions: rule, statistic: "Sum",
                threshold: args.alarms.failedOperations ?? 1, ...every5Minutes,
            },
            {
                key: "latency", name: `${args.app}-replication-latency`, description: `S3 replication latency is above the RPO (${args.rpoMinutes} min)`,
                namespace: "AWS/S3", metricName: "ReplicationLatency", dimensions: rule, statistic: "Maximum",
                threshold: rpoSeconds, ...every5Minutes,
            },
        ]);
        const dims = ["SourceBucket", rule.SourceBucket, "DestinationBucket", rule.DestinationBucket, "RuleId", rule.RuleId];
        this.panels = [{
            row: "replication", width: WIDTH.half, title: "S3 replication: latency (s) and failed operations", rpoSeconds,
            metrics: [
                ["AWS/S3", "ReplicationLatency", ...dims, { stat: "Maximum" }],
                ["AWS/S3", "OperationsFailedReplication", ...dims, { stat: "Sum" }],
                ["AWS/S3", "OperationsPendingReplication", ...dims, { stat: "Maximum" }],
            ],
        }];

        this.registerOutputs({ roleArn: role.arn, destination });
    }
}
