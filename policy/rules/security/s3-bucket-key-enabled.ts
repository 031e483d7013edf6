// s3-bucket-key-enabled: SSE-KMS buckets use S3 Bucket Keys.
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, encryptionRules } from "../../lib/s3";

export const policy = stackRule({
    name: "s3-bucket-key-enabled",
    pillar: "security",
    description: "S3 buckets encrypted with SSE-KMS use S3 Bucket Keys.",
    rationale: "Without a Bucket Key every object operation is a KMS request (cost, throttling at KMS request quotas), and the replication role's kms:EncryptionContext condition on the bucket ARN only matches when Bucket Keys are on.",
    anchors: ["AWS S3 docs: Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys", "Well-Architected SEC08-BP02", "Well-Architected COST07-BP01"],
    satisfy: "Set bucketKeyEnabled: true on the SSE-KMS rule of the bucket's BucketServerSideEncryptionConfiguration (SecureBucket does).",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        for (const rule of encryptionRules(graph, bucket)) {
            if (typeof rule.algorithm === "string" && rule.algorithm.startsWith("aws:kms") && rule.bucketKeyEnabled !== true) {
                report(rule.source, `${label(bucket)} uses SSE-KMS with bucketKeyEnabled ${JSON.stringify(rule.bucketKeyEnabled ?? false)}: every object then costs a KMS request.`);
            }
        }
    }),
    // An SSE-S3 bucket's exemption has nothing to excuse here: once the bucket uses KMS, it needs Bucket Keys.
    exemptionPremise: () => "an exemption for an SSE-S3 bucket does not cover an SSE-KMS bucket without Bucket Keys",
});
