import { drop, edit, ref, Res } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { bucket, key, program, TY } from "../harness/scaffold";

/** A deprecated inline-argument bucket (BucketV2 alias, serverSideEncryptionConfiguration on the bucket). */
const inlineBucket = (rule: unknown): Res[] => [...key(), {
    type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy-bucket", serverSideEncryptionConfiguration: { rule } }, outputs: { arn: "arn:aws:s3:::legacy-bucket", id: "legacy-bucket" },
}];

export const fixtures: RuleFixtures = {
    rule: "s3-default-encryption",
    cases: [
        pass("the program's buckets (KMS data bucket, SSE-S3 log bucket)", program()),
        pass("a BucketV2 with the deprecated inline configuration", inlineBucket({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } })),
        fail("the data bucket's encryption configuration removed", "data", drop(program(), "data-sse")),
        fail("the SSE-S3 log bucket's configuration removed: its customer-key exemption does not cover that", "logs", drop(program(), "logs-sse")),
        fail("an algorithm S3 does not have", "data-sse", edit(program(), "data-sse", (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES-256" } }] }))),
        fail("the configuration names the bucket by its ARN (computed from it, the wrong attribute)", "data", edit(program(), "data-sse", (p) => ({ ...p, bucket: ref("data", "arn") }))),
        fail("a preview: the configuration removed", "data", drop(program(), "data-sse"), { preview: true }),
        fail("a BucketV2 whose inline rule names no algorithm", "legacy", inlineBucket({ bucketKeyEnabled: true })),
        fail("a bare bucket with nothing beside it", "lonely", [...key(), { type: TY.bucket, name: "lonely", inputs: { bucket: "lonely" } }, ...bucket("other", { logTo: false })]),
    ],
};
