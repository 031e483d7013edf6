// Security: data at rest outside S3 (logs, topics, queues, function environments) and secrets.
import { T } from "../../lib/aws";
import { resourceRule, TandemPolicy } from "../../lib/rule";
import { isSet, isUnknown, known, knownString } from "../../lib/values";

export const logGroupKms = resourceRule({
    name: "cloudwatch-log-group-kms",
    pillar: "security",
    description: "CloudWatch log groups are encrypted with a customer managed KMS key.",
    anchors: ["Checkov CKV_AWS_158"],
    satisfy: "Set kmsKeyId on the LogGroup to the region key (its key policy must let logs.<region>.amazonaws.com use it, as RegionKey's does).",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    types: [T.logGroup],
    check: ({ props, report }) => {
        if (!isSet(props, "kmsKeyId")) {
            report("The log group has no kmsKeyId: its events are encrypted only with a key CloudWatch owns.");
        }
    },
});

const AWS_MANAGED_ALIAS = (service: string) => new RegExp(`(^|:)alias/aws/${service}$`);

export const snsTopicKms = resourceRule<{ allowAwsManagedKey: boolean }>({
    name: "sns-topic-kms",
    pillar: "security",
    description: "SNS topics are encrypted at rest with KMS (a customer managed key unless configured otherwise).",
    anchors: ["Security Hub SNS.1", "Checkov CKV_AWS_26"],
    satisfy: "Set kmsMasterKeyId on the Topic to the region key. CloudWatch alarms can publish to an encrypted topic only when the key policy lets cloudwatch.amazonaws.com use the key, which the AWS managed aws/sns key never does.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            allowAwsManagedKey: { type: "boolean", default: false, description: "Accept the AWS managed key alias/aws/sns." },
        },
    },
}, {
    types: [T.topic],
    check: ({ props, config, report }) => {
        if (!isSet(props, "kmsMasterKeyId")) {
            report("The topic is not encrypted: set kmsMasterKeyId.");
            return;
        }
        const key = knownString(props, "kmsMasterKeyId");
        if (key && !config.allowAwsManagedKey && AWS_MANAGED_ALIAS("sns").test(key)) {
            report(`The topic uses the AWS managed key ${key}; CloudWatch alarms cannot publish through it. Use a customer managed key.`);
        }
    },
});

export const sqsCustomerKey = resourceRule({
    name: "sqs-queue-customer-key",
    pillar: "security",
    description: "SQS queues are encrypted with a customer managed KMS key (not SSE-SQS, not aws/sqs).",
    anchors: ["Checkov CKV2_AWS_73", "Checkov CKV_AWS_27", "Security Hub SQS.1"],
    satisfy: "Set kmsMasterKeyId on the Queue to the region key (HardenedFunction's failure queues do), with kmsDataKeyReusePeriodSeconds to bound KMS requests.",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    types: [T.queue],
    check: ({ props, report }) => {
        if (!isSet(props, "kmsMasterKeyId")) {
            const managed = known(props, "sqsManagedSseEnabled") === true ? " (SSE-SQS uses a key SQS owns)" : "";
            report(`The queue is not encrypted with a customer managed key${managed}: set kmsMasterKeyId.`);
            return;
        }
        const key = knownString(props, "kmsMasterKeyId");
        if (key && AWS_MANAGED_ALIAS("sqs").test(key)) {
            report(`The queue uses the AWS managed key ${key}: use a customer managed key.`);
        }
    },
});

/** The function's environment variables; throws (undecided) while the map itself is unknown. */
function environmentVariables(props: unknown): Record<string, unknown> {
    const vars = known(props, "environment", "variables");
    return vars !== null && typeof vars === "object" ? (vars as Record<string, unknown>) : {};
}

export const lambdaEnvironmentKey = resourceRule({
    name: "lambda-environment-customer-key",
    pillar: "security",
    description: "Lambda functions with environment variables encrypt them with a customer managed KMS key.",
    anchors: ["Checkov CKV_AWS_173"],
    satisfy: "Set kmsKeyArn on the function to the region key (HardenedFunction does) and allow the role kms:Decrypt on it.",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    types: [T.function],
    check: ({ props, report }) => {
        const names = Object.keys(environmentVariables(props));
        if (names.length > 0 && !isSet(props, "kmsKeyArn")) {
            report(`The environment (${names.join(", ")}) is encrypted with the AWS managed key aws/lambda: set kmsKeyArn.`);
        }
    },
});

/** Values that are references to a secret store, not secrets. */
const REFERENCE = /^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:|ssm:|secretsmanager:)/;
/** Shapes of well-known credentials, whatever the variable is called. */
const CREDENTIAL_SHAPES: [string, RegExp][] = [
    ["an AWS access key id", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
    ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ["a GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
    ["a Slack token", /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
    ["a Stripe secret key", /\b(sk|rk)_live_[A-Za-z0-9]{16,}/],
    ["a Google API key", /\bAIza[0-9A-Za-z_-]{35}\b/],
    ["a JSON web token", /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
    ["credentials in a URL", /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i],
];

export const lambdaEnvironmentNoSecrets = resourceRule<{ secretNamePattern: string; allowedNames: string[] }>({
    name: "lambda-environment-no-secrets",
    pillar: "security",
    description: "Lambda environment variables hold no secrets (keys, passwords, tokens) in plain values.",
    anchors: ["Checkov CKV_AWS_45", "Well-Architected SEC02-BP03"],
    satisfy: "Keep secrets in Secrets Manager or SSM Parameter Store and put only their ARN or name in the environment; the function reads the secret at cold start.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            secretNamePattern: {
                type: "string",
                default: "(password|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|credential|client[_-]?secret)",
                description: "Case-insensitive regular expression: variables whose name matches must not hold a literal value.",
            },
            allowedNames: { type: "array", items: { type: "string" }, default: [], description: "Variable names never reported (e.g. a token's expiry setting)." },
        },
    },
}, {
    types: [T.function],
    check: ({ props, config, report }) => {
        const secretName = new RegExp(config.secretNamePattern, "i");
        for (const [name, value] of Object.entries(environmentVariables(props))) {
            if (config.allowedNames.includes(name) || typeof value !== "string" || isUnknown(value) || value === "" || REFERENCE.test(value)) {
                continue; // Values computed from other resources are outputs, not literals.
            }
            const shape = CREDENTIAL_SHAPES.find(([, re]) => re.test(value));
            if (shape) {
                report(`${name} holds what looks like ${shape[0]}: keep it in Secrets Manager or SSM and pass its ARN.`);
            } else if (secretName.test(name)) {
                report(`${name} looks like a secret and has a literal value (${value.length} characters): pass a Secrets Manager or SSM reference instead.`);
            }
        }
    },
});

export const encryptionPolicies: TandemPolicy[] = [logGroupKms, snsTopicKms, sqsCustomerKey, lambdaEnvironmentKey, lambdaEnvironmentNoSecrets];
