// s3-lifecycle-noncurrent-expiration: old versions expire.
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, lifecycleRules, versioningStatus } from "../../lib/s3";

export const policy = stackRule<{ maximumDays: number }>({
    name: "s3-lifecycle-noncurrent-expiration",
    pillar: "cost-optimization",
    description: "Versioned S3 buckets expire noncurrent versions within the configured days.",
    rationale: "Versioning keeps every overwrite and delete; without an expiry the bucket grows (and is billed, twice with replication) forever.",
    anchors: ["Security Hub S3.10", "AWS Config s3-version-lifecycle-policy-check"],
    satisfy: "Add an Enabled lifecycle rule with filter { prefix: \"\" } and noncurrentVersionExpiration.noncurrentDays ≤ maximumDays (tandem:noncurrentVersionDays).",
    enforcementLevel: "mandatory",
    severity: "low",
    configSchema: {
        properties: {
            maximumDays: { type: "integer", minimum: 1, maximum: 3650, default: 365, description: "Longest a noncurrent version may be kept, in days." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(...BUCKET), (bucket) => {
        const status = versioningStatus(graph, bucket)?.status;
        if (status !== "Enabled" && status !== "Suspended") {
            return; // Without versioning there are no noncurrent versions (s3-versioning-enabled reports that).
        }
        const rules = lifecycleRules(graph, bucket).filter((r) => r.enabled && r.allObjects && typeof r.noncurrentDays === "number");
        if (rules.length === 0) {
            report(bucket, `${label(bucket)} is versioned but no Enabled lifecycle rule for all objects expires noncurrent versions: every overwrite is kept and billed forever.`);
        } else if (!rules.some((r) => (r.noncurrentDays as number) <= config.maximumDays)) {
            report(rules[0].source, `${label(bucket)} keeps noncurrent versions ${rules.map((r) => r.noncurrentDays).join("/")} days; at most ${config.maximumDays} are allowed.`);
        }
    }),
});
