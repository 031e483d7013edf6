// sns-topic-kms: topics are encrypted with a customer managed key.
import { T } from "../../lib/types";
import { keyReferenceProblem } from "../../lib/kms";
import { resourceRule } from "../../lib/rule";
import { isSet, knownString, rawGet } from "../../lib/values";

const AWS_MANAGED_SNS_KEY = /(^|:)alias\/aws\/sns$/;

export const policy = resourceRule<{ allowAwsManagedKey: boolean }>({
    name: "sns-topic-kms",
    pillar: "security",
    description: "SNS topics are encrypted at rest with KMS (a customer managed key unless configured otherwise).",
    rationale: "Alarm notifications name resources and failures; CloudWatch alarms can publish to an encrypted topic only when the key policy admits cloudwatch.amazonaws.com, which the AWS managed aws/sns key never does, so the customer key is also what keeps alarms working.",
    anchors: ["Security Hub SNS.1", "Checkov CKV_AWS_26"],
    satisfy: "Set kmsMasterKeyId on the Topic to the region key (Monitoring does).",
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
        if (key && !config.allowAwsManagedKey && AWS_MANAGED_SNS_KEY.test(key)) {
            report(`The topic uses the AWS managed key ${key}; CloudWatch alarms cannot publish through it. Use a customer managed key.`);
            return;
        }
        const problem = keyReferenceProblem(rawGet(props, "kmsMasterKeyId"), []);
        if (problem) {
            report(`kmsMasterKeyId: ${problem}.`);
        }
    },
});
