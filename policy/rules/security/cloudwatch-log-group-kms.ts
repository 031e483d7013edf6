// cloudwatch-log-group-kms: log groups are encrypted with a customer managed key.
import { T } from "../../lib/types";
import { keyReferenceProblem } from "../../lib/kms";
import { resourceRule } from "../../lib/rule";
import { isSet, rawGet } from "../../lib/values";

export const policy = resourceRule({
    name: "cloudwatch-log-group-kms",
    pillar: "security",
    description: "CloudWatch log groups are encrypted with a customer managed KMS key (named by its ARN).",
    rationale: "Function logs carry request details and errors; with the region key, reading them needs kms:Decrypt on a key whose policy this program controls, and the key's use is audited.",
    anchors: ["Checkov CKV_AWS_158", "AWS Config cloudwatch-log-group-encrypted"],
    satisfy: "Set kmsKeyId on the LogGroup to the region key's ARN (HardenedFunction does); the key policy must let logs.<region>.amazonaws.com use it for this account's log groups (RegionKey's does).",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    types: [T.logGroup],
    check: ({ props, report }) => {
        if (!isSet(props, "kmsKeyId")) {
            report("The log group has no kmsKeyId: its events are encrypted only with a key CloudWatch owns.");
            return;
        }
        // CloudWatch Logs takes only a key ARN (CloudWatch Logs API Reference, CreateLogGroup kmsKeyId).
        const problem = keyReferenceProblem(rawGet(props, "kmsKeyId"), [], { arnOnly: true });
        if (problem) {
            report(`kmsKeyId: ${problem}.`);
        }
    },
});
