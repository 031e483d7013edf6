// s3-acls-disabled: object ownership BucketOwnerEnforced, no ACL grants.
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, sideResources } from "../../lib/s3";
import { known } from "../../lib/values";

export const policy = stackRule({
    name: "s3-acls-disabled",
    pillar: "security",
    description: "S3 buckets disable ACLs (object ownership BucketOwnerEnforced) and grant nothing through ACLs.",
    rationale: "With ACLs enabled, a writer can grant access to an object (or keep ownership of it) outside the bucket policy, so access can no longer be reviewed in one place; AWS recommends disabling ACLs for all new buckets.",
    anchors: ["Checkov CKV2_AWS_65", "Security Hub S3.12", "AWS Config s3-bucket-acl-prohibited"],
    satisfy: "Create a BucketOwnershipControls for the bucket with rule.objectOwnership \"BucketOwnerEnforced\"; grant access with the bucket policy and IAM, never with a BucketAcl or the bucket's acl/grants arguments.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const controls = sideResources(graph, bucket, "ownership");
        if (controls.length === 0) {
            report(bucket, `${label(bucket)} has no BucketOwnershipControls: declare objectOwnership "BucketOwnerEnforced" so ACLs stay disabled.`);
        }
        for (const c of controls) {
            const ownership = known(c.props, "rule", "objectOwnership");
            if (ownership !== "BucketOwnerEnforced") {
                report(c, `${label(c)} sets objectOwnership ${JSON.stringify(ownership)}: ACLs stay enabled; use "BucketOwnerEnforced".`);
            }
        }
        for (const acl of sideResources(graph, bucket, "acl")) {
            report(acl, `${label(acl)} manages ACLs on ${label(bucket)}: grant access through the bucket policy instead.`);
        }
        const inlineAcl = known(bucket.props, "acl");
        if ((inlineAcl !== undefined && inlineAcl !== "private") || known(bucket.props, "grants") !== undefined) {
            report(bucket, `${label(bucket)} sets ACLs through its deprecated acl/grants arguments.`);
        }
    }),
});
