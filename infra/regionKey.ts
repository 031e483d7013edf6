import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { adopted, CreateOrAdopt } from "./existing";
import { policyJson, Statement } from "./iamDocument";

export interface NewKeyArgs {
    /** Alias name, `alias/...`; the peer region finds this key by the same alias. */
    alias: string;
    accountId: pulumi.Input<string>;
    region: string;
    /** Days between a deletion request and the key's destruction (7-30). */
    deletionWindowInDays?: number;
    /** Yearly rotation is the default; a shorter period rotates more often (90-2560 days). */
    rotationPeriodInDays?: number;
}

/**
 * A key made elsewhere, by its key ARN or by an alias (`alias/...`, looked up in this region). Its key
 * policy must let the services that encrypt with it do so, as this component's policy does; the peer
 * stack finds a region's key by the alias `alias/<app>`, so adopt the standby's key under that alias.
 */
export type ExistingKey = { arn: pulumi.Input<string> } | { alias: string };

export type RegionKeyArgs = CreateOrAdopt<ExistingKey, NewKeyArgs>;

const DELETION_WINDOW_DAYS = 30;
const ROTATION_PERIOD_DAYS = 365;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/;

/**
 * The region's customer managed key: S3 objects, logs, queues, the alarm topic and function
 * environments are all encrypted with it. Rotation is always on; the key policy gives the account
 * (through IAM) administration and names each AWS service that encrypts with the key, restricted to
 * this account's resources. Given `existing`, it creates nothing and yields the adopted key's ARN.
 */
export class RegionKey extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: RegionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:security:RegionKey", name, {}, opts);

        const existing = adopted(`RegionKey ${name}`, args);
        if (existing !== undefined) {
            this.arn = adoptedKeyArn(name, existing, this);
            this.registerOutputs({ arn: this.arn });
            return;
        }
        const create = args as NewKeyArgs;
        const key = new aws.kms.Key(name, {
            description: `Tandem data, logs, queues and alarms in ${create.region}`,
            enableKeyRotation: true,
            rotationPeriodInDays: create.rotationPeriodInDays ?? ROTATION_PERIOD_DAYS,
            deletionWindowInDays: create.deletionWindowInDays ?? DELETION_WINDOW_DAYS,
            bypassPolicyLockoutSafetyCheck: false,
            policy: policyJson(keyPolicy(create.accountId, create.region)),
        }, { parent: this });

        const alias = new aws.kms.Alias(name, {
            name: create.alias,
            targetKeyId: key.keyId,
        }, { parent: this });

        this.arn = key.arn;
        this.registerOutputs({ arn: this.arn, alias: alias.name });
    }
}

/**
 * The ARN of an adopted key. An alias is resolved to its key in this component's region (through its
 * provider: default providers are disabled), because S3, SQS, SNS and Logs record the key ARN, not the
 * alias. A key ARN is checked when it is a plain string: an alias ARN in its place would be accepted by
 * S3 and then break replication's key conditions.
 */
function adoptedKeyArn(name: string, existing: ExistingKey, parent: pulumi.Resource): pulumi.Output<string> {
    if ("alias" in existing) {
        if (!existing.alias.startsWith("alias/")) {
            throw new Error(`RegionKey ${name}: existing.alias is ${JSON.stringify(existing.alias)}; allowed: an alias name, alias/...`);
        }
        return aws.kms.getAliasOutput({ name: existing.alias }, { parent }).targetKeyArn;
    }
    if (typeof existing.arn === "string" && !KEY_ARN.test(existing.arn)) {
        throw new Error(`RegionKey ${name}: existing.arn is ${JSON.stringify(existing.arn)}; allowed: a key ARN, arn:aws:kms:<region>:<account>:key/<id> (adopt by alias with existing.alias)`);
    }
    return pulumi.output(existing.arn);
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
