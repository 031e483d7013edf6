// s3-public-access-block: all four public access blocks on every bucket.
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, sideResources } from "../../lib/s3";
import { known } from "../../lib/values";

const ACCESS_BLOCKS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const policy = stackRule({
    name: "s3-public-access-block",
    pillar: "security",
    description: "Every S3 bucket has a public access block with all four settings on.",
    rationale: "The public access block is the backstop that keeps a bucket private when a later policy or ACL change would expose it; with one setting off, a single mistaken statement publishes the documents.",
    anchors: ["Checkov CKV2_AWS_6", "Security Hub S3.8", "AWS Config s3-bucket-level-public-access-prohibited"],
    satisfy: "Create a BucketPublicAccessBlock whose bucket is the bucket's name (bucket.id or bucket.bucket, not its ARN) with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true (SecureBucket does).",
    enforcementLevel: "mandatory",
    severity: "critical",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const blocks = sideResources(graph, bucket, "publicAccessBlock");
        if (blocks.length === 0) {
            report(bucket, `${label(bucket)} has no BucketPublicAccessBlock (none names it by its name).`);
        }
        for (const block of blocks) {
            const off = ACCESS_BLOCKS.filter((setting) => known(block.props, setting) !== true);
            if (off.length > 0) {
                report(block, `${label(block)} leaves ${off.join(", ")} off for ${label(bucket)}: all four must be true.`);
            }
        }
    }),
});
