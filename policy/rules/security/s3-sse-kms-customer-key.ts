// s3-sse-kms-customer-key: objects are encrypted with a key this program controls.
import { KMS_KEYS } from "../../lib/types";
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, encryptionRules } from "../../lib/s3";
import { isUnknown } from "../../lib/values";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];
const AWS_MANAGED_S3_KEY = /(^|:)alias\/aws\/s3$/;

export const policy = stackRule({
    name: "s3-sse-kms-customer-key",
    pillar: "security",
    description: "S3 buckets encrypt objects by default with SSE-KMS under a customer managed key.",
    rationale: "With a customer managed key, the key policy (not only IAM) decides who can read the data, key use is logged in CloudTrail, and replicas are re-encrypted under the peer region's key; SSE-S3 and the AWS managed aws/s3 key give none of that control.",
    anchors: ["Checkov CKV_AWS_145", "Security Hub S3.17", "AWS Config s3-default-encryption-kms"],
    satisfy: "Set the bucket's BucketServerSideEncryptionConfiguration rule to sseAlgorithm \"aws:kms\" with kmsMasterKeyId the region key's ARN (RegionKey), not alias/aws/s3. A bucket that must use SSE-S3 (a server access log target) carries the exemption tag tandem:policy-exempt:s3-sse-kms-customer-key with the reason; the exemption covers SSE-S3 only, never a missing configuration or the AWS managed key.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        for (const rule of encryptionRules(graph, bucket)) {
            if (!KMS_ALGORITHMS.includes(rule.algorithm as string)) {
                report(rule.source, `${label(bucket)} encrypts with ${JSON.stringify(rule.algorithm ?? "AES256")}, not SSE-KMS: set sseAlgorithm "aws:kms" with a customer managed key.`);
            } else if (rule.kmsKeyId === undefined || rule.kmsKeyId === "") {
                report(rule.source, `${label(bucket)} uses SSE-KMS without kmsMasterKeyId, i.e. the AWS managed key aws/s3, whose policy you cannot control: name a customer managed key.`);
            } else if (typeof rule.kmsKeyId === "string" && !isUnknown(rule.kmsKeyId) && AWS_MANAGED_S3_KEY.test(rule.kmsKeyId)) {
                report(rule.source, `${label(bucket)} names the AWS managed key ${rule.kmsKeyId}: name a customer managed key.`);
            } else if (isUnknown(rule.kmsKeyId) && rule.keySources.length > 0 && !rule.keySources.some((s) => KMS_KEYS.includes(s.type) || s.type === "aws:kms/alias:Alias")) {
                report(rule.source, `${label(bucket)}'s kmsMasterKeyId is computed from ${rule.keySources.map(label).join(", ")}, not from a KMS key.`);
            }
        }
    }),
    // The exemption is for buckets S3 can only fill with SSE-S3 objects: it covers AES256, nothing else.
    exemptionPremise: (bucket, graph) => {
        const rules = encryptionRules(graph, bucket);
        return rules.length > 0 && rules.every((r) => r.algorithm === "AES256") ? undefined : "the bucket's default encryption is not SSE-S3 (AES256)";
    },
});
