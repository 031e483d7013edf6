// Cost optimization: storage that does not grow without bound.
import { T } from "../lib/aws";
import { label } from "../lib/graph";
import { resourceRule, stackRule, TandemPolicy } from "../lib/rule";
import { BUCKET, lifecycleRules, versioningStatus } from "../lib/s3";
import { known } from "../lib/values";

export const abortIncompleteUploads = stackRule<{ maximumDays: number }>({
    name: "s3-lifecycle-abort-incomplete-uploads",
    pillar: "cost-optimization",
    description: "S3 buckets abort incomplete multipart uploads (whose parts are billed but invisible) within the configured days.",
    anchors: ["Checkov CKV_AWS_300", "AWS Trusted Advisor: S3 incomplete multipart upload"],
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

export const noncurrentExpiration = stackRule<{ maximumDays: number }>({
    name: "s3-lifecycle-noncurrent-expiration",
    pillar: "cost-optimization",
    description: "Versioned S3 buckets expire noncurrent versions within the configured days.",
    anchors: ["Security Hub S3.10", "Security Hub S3.13", "AWS Config s3-version-lifecycle-policy-check"],
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

export const logRetentionFinite = resourceRule<{ maximumDays: number }>({
    name: "cloudwatch-log-retention-set",
    pillar: "cost-optimization",
    description: "CloudWatch log groups expire their events (retention set, at most the configured days), never keep them forever.",
    anchors: ["AWS Config cw-loggroup-retention-period-check", "Checkov CKV_AWS_66"],
    satisfy: "Set retentionInDays on every LogGroup (tandem:logRetentionDays for the functions' groups).",
    enforcementLevel: "mandatory",
    severity: "low",
    configSchema: {
        properties: {
            maximumDays: { type: "integer", minimum: 1, maximum: 3653, default: 3653, description: "Longest retention allowed, in days." },
        },
    },
}, {
    types: [T.logGroup],
    check: ({ props, config, report }) => {
        const days = known(props, "retentionInDays");
        if (typeof days !== "number" || days === 0) {
            report(`retentionInDays is ${days === 0 ? "0 (never expire)" : "not set"}: the log group keeps (and bills) every event forever.`);
        } else if (days > config.maximumDays) {
            report(`retentionInDays is ${days}; at most ${config.maximumDays} are allowed.`);
        }
    },
});

export const costPolicies: TandemPolicy[] = [abortIncompleteUploads, noncurrentExpiration, logRetentionFinite];
