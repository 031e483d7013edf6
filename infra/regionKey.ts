import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, Statement } from "./iamDocument";

export interface RegionKeyArgs {
    /** Alias name, `alias/...`; the peer region finds this key by the same alias. */
    alias: string;
    accountId: pulumi.Input<string>;
    region: string;
    /** Days between a deletion request and the key's destruction (7-30). */
    deletionWindowInDays: number;
    /** Yearly rotation is the default; a shorter period rotates more often (90-2560 days). */
    rotationPeriodInDays?: number;
}

/**
 * The region's customer managed key: S3 objects, logs, queues, the alarm topic and function
 * environments are all encrypted with it. Rotation is always on; the key policy gives the account
 * (through IAM) administration and names each AWS service that encrypts with the key, restricted to
 * this account's resources.
 */
export class RegionKey extends pulumi.ComponentResource {
    readonly key: aws.kms.Key;
    readonly alias: aws.kms.Alias;
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: RegionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:security:RegionKey", name, {}, opts);

        this.key = new aws.kms.Key(name, {
            description: `Tandem data, logs, queues and alarms in ${args.region}`,
            enableKeyRotation: true,
            rotationPeriodInDays: args.rotationPeriodInDays ?? 365,
            deletionWindowInDays: args.deletionWindowInDays,
            bypassPolicyLockoutSafetyCheck: false,
            policy: policyJson(keyPolicy(args.accountId, args.region)),
        }, { parent: this });

        this.alias = new aws.kms.Alias(name, {
            name: args.alias,
            targetKeyId: this.key.keyId,
        }, { parent: this });

        this.arn = this.key.arn;
        this.registerOutputs({ arn: this.arn, alias: this.alias.name });
    }
}

function keyPolicy(accountId: pulumi.Input<string>, region: string): Statement[] {
    const sameAccount = { StringEquals: { "aws:SourceAccount": accountId } };
    return [
        {
            // Delegates to IAM: roles get key access only through their own policies.
            Sid: "AccountAdministersThroughIam",
            Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        },
        {
            Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: {
                ArnLike: { "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:aws:logs:${region}:${accountId}:log-group:*` },
            },
        },
        {
            // CloudWatch alarms publish to the encrypted alarm topic.
            Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: sameAccount,
        },
        {
            // SNS delivers alarm notifications to encrypted subscribers.
            Sid: "SnsDeliversFromEncryptedTopic",
            Principal: { Service: "sns.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: sameAccount,
        },
    ];
}
