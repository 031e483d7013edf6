// s3-lifecycle-abort-incomplete-uploads: parts of abandoned uploads do not pile up.
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, lifecycleRules } from "../../lib/s3";

export const policy = stackRule<{ maximumDays: number }>({
    name: "s3-lifecycle-abort-incomplete-uploads",
    pillar: "cost-optimization",
    description: "S3 buckets abort incomplete multipart uploads (whose parts are billed but invisible) within the configured days.",
    rationale: "Presigned uploads that clients abandon leave parts that are billed as storage forever and appear in no listing.",
    anchors: ["Checkov CKV_AWS_300", "AWS Trusted Advisor: Amazon S3 incomplete multipart upload abort configuration"],
    satisfy: "Add an Enabled lifecycle rule with filter { prefix: \"\" } and abortIncompleteMultipartUpload.daysAfterInitiation ≤ maximumDays (tandem:abortIncompleteUploadDays).",
    enforcementLevel: "mandatory",
    severity: "low",
    configSchema: {
        properties: {
            maximumDays: { type: "integer", minimum: 1, maximum: 365, default: 7, description: "Longest an incomplete upload may be kept, in days." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(...BUCKET), (bucket) => {
        const rules = lifecycleRules(graph, bucket).filter((r) => r.enabled && r.allObjects && typeof r.abortDays === "number");
        if (rules.length === 0) {
            report(bucket, `${label(bucket)} has no Enabled lifecycle rule for all objects that aborts incomplete multipart uploads.`);
        } else if (!rules.some((r) => (r.abortDays as number) <= config.maximumDays)) {
            report(rules[0].source, `${label(bucket)} aborts incomplete uploads after ${rules.map((r) => r.abortDays).join("/")} days; at most ${config.maximumDays} are allowed.`);
        }
    }),
});
