// s3-access-logging: server access logs go to another bucket.
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, bucketName, loggingTargets } from "../../lib/s3";

export const policy = stackRule({
    name: "s3-access-logging",
    pillar: "security",
    description: "S3 buckets send server access logs to another bucket.",
    rationale: "Server access logs are the record of who read or changed which document (CloudTrail data events are not enabled here); without them an incident cannot be reconstructed.",
    anchors: ["Checkov CKV_AWS_18", "Security Hub S3.9", "AWS Config s3-bucket-logging-enabled"],
    satisfy: "Create a BucketLogging for the bucket whose targetBucket is the region's access-log bucket (by name). The log bucket itself carries the exemption tag tandem:policy-exempt:s3-access-logging (logging it to itself would loop).",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const targets = loggingTargets(graph, bucket);
        if (targets.length === 0) {
            report(bucket, `${label(bucket)} has no access logging (no BucketLogging naming it).`);
        }
        const ownName = bucketName(bucket);
        for (const t of targets) {
            if (t.targetBuckets.some((s) => s.urn === bucket.urn) || (ownName !== undefined && t.target === ownName)) {
                report(t.source, `${label(bucket)} logs to itself: every log delivery would create another log record.`);
            }
        }
    }),
});
