import { edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { key, program, TY } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "s3-bucket-key-enabled",
    cases: [
        pass("the program (SSE-S3 log bucket: not applicable)", program()),
        fail("Bucket Keys off", "data-sse", edit(program(), "data-sse", (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: ref("key", "arn") }, bucketKeyEnabled: false }] }))),
        fail("bucketKeyEnabled left out", "data-sse", edit(program(), "data-sse", (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: ref("key", "arn") } }] }))),
        fail("the log bucket moved to KMS without Bucket Keys: its SSE-S3 exemption does not carry over", "logs-sse", edit(program(), "logs-sse", (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: ref("key", "arn") } }] }))),
        fail("DSSE-KMS without Bucket Keys on a BucketV2 (inline)", "legacy", [...key(), { type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: ref("key", "arn") } } } } }]),
    ],
};
