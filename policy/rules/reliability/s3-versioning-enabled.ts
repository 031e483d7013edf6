// s3-versioning-enabled: objects keep their versions.
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, versioningStatus } from "../../lib/s3";

export const policy = stackRule({
    name: "s3-versioning-enabled",
    pillar: "reliability",
    description: "S3 buckets keep object versions (versioning Enabled), so an overwrite or delete can be undone.",
    rationale: "Without versions an overwrite or delete is final, and replication (which requires versioning on both sides) cannot be configured at all.",
    anchors: ["Checkov CKV_AWS_21", "Security Hub S3.14", "AWS Config s3-bucket-versioning-enabled"],
    satisfy: "Create a BucketVersioning for the bucket (by name) with versioningConfiguration.status \"Enabled\" (SecureBucket does).",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const v = versioningStatus(graph, bucket);
        if (!v) {
            report(bucket, `${label(bucket)} has no BucketVersioning naming it: versioning is off.`);
        } else if (v.status !== "Enabled") {
            report(v.source, `${label(bucket)} has versioning ${JSON.stringify(v.status)}: set it to "Enabled".`);
        }
    }),
});
