// sqs-queue-customer-key: queues are encrypted with a customer managed key.
import { T } from "../../lib/types";
import { keyReferenceProblem } from "../../lib/kms";
import { resourceRule } from "../../lib/rule";
import { isSet, known, knownString, rawGet } from "../../lib/values";

const AWS_MANAGED_SQS_KEY = /(^|:)alias\/aws\/sqs$/;

export const policy = resourceRule({
    name: "sqs-queue-customer-key",
    pillar: "security",
    description: "SQS queues are encrypted with a customer managed KMS key (not SSE-SQS, not aws/sqs).",
    rationale: "Failure queues hold whole events (object keys, request payloads) for up to two weeks; a customer key puts reading them under the key policy and CloudTrail.",
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
        if (key && AWS_MANAGED_SQS_KEY.test(key)) {
            report(`The queue uses the AWS managed key ${key}: use a customer managed key.`);
            return;
        }
        const problem = keyReferenceProblem(rawGet(props, "kmsMasterKeyId"), []);
        if (problem) {
            report(`kmsMasterKeyId: ${problem}.`);
        }
    },
});
