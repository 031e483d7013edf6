// s3-default-encryption: every bucket says how S3 encrypts new objects.
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, encryptionRules, hasEncryptionConfiguration } from "../../lib/s3";

/** The algorithms S3 accepts for default encryption (S3 API Reference, ServerSideEncryptionByDefault). */
const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

export const policy = stackRule({
    name: "s3-default-encryption",
    pillar: "security",
    description: "Every S3 bucket declares a default encryption (BucketServerSideEncryptionConfiguration) with a valid algorithm.",
    rationale: "A bucket without its own encryption configuration gets whatever S3 defaults to and nobody reviews it; an exemption from the customer-key rule (a log bucket that must use SSE-S3) must not also excuse a bucket with no encryption configuration at all.",
    anchors: ["Checkov CKV_AWS_19", "AWS Config s3-bucket-server-side-encryption-enabled", "Well-Architected SEC08-BP02"],
    satisfy: "Give the bucket a BucketServerSideEncryptionConfiguration (SecureBucket always does): sseAlgorithm \"aws:kms\" with the region key, or \"AES256\" for a bucket S3 only delivers SSE-S3 objects to (server access log targets).",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        if (!hasEncryptionConfiguration(graph, bucket)) {
            report(bucket, `${label(bucket)} has no default encryption configuration (no BucketServerSideEncryptionConfiguration naming it by its name).`);
            return;
        }
        for (const rule of encryptionRules(graph, bucket)) {
            if (!ALGORITHMS.includes(rule.algorithm as string)) {
                report(rule.source, `${label(bucket)}'s default encryption names algorithm ${JSON.stringify(rule.algorithm ?? null)}: use "aws:kms" (or "AES256" where only SSE-S3 is possible).`);
            }
        }
    }),
});
