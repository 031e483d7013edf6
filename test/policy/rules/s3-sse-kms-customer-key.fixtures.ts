import { edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { key, program, TY } from "../harness/scaffold";

const kmsRule = (kmsMasterKeyId?: unknown) => ({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId }, bucketKeyEnabled: true });

export const fixtures: RuleFixtures = {
    rule: "s3-sse-kms-customer-key",
    cases: [
        pass("the program: KMS data bucket, SSE-S3 log bucket with its exemption", program()),
        pass("a preview: the key's ARN is unknown but computed from the key", program(), { preview: true }),
        pass("a BucketV2 with the deprecated inline KMS configuration", [...key(), {
            type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", serverSideEncryptionConfiguration: { rule: kmsRule(ref("key", "arn")) } },
        }]),
        fail("SSE-S3 on the data bucket", "data-sse", edit(program(), "data-sse", (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }))),
        fail("SSE-KMS without a key (aws/s3)", "data-sse", edit(program(), "data-sse", (p) => ({ ...p, rules: [kmsRule()] }))),
        fail("the AWS managed alias", "data-sse", edit(program(), "data-sse", (p) => ({ ...p, rules: [kmsRule("alias/aws/s3")] }))),
        fail("the log bucket's SSE-S3 exemption does not cover the AWS managed key", "logs-sse", edit(program(), "logs-sse", (p) => ({ ...p, rules: [kmsRule("arn:aws:kms:us-east-1:123456789012:alias/aws/s3")] }))),
        fail("a preview: kmsMasterKeyId computed from the topic, not a key", "data-sse", edit(program(), "data-sse", (p) => ({ ...p, rules: [kmsRule(ref("alarms", "arn"))] })), { preview: true }),
        fail("a BucketV2 with inline SSE-S3", "legacy", [{ type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } } } }]),
    ],
};
