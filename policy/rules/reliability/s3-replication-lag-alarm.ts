// s3-replication-lag-alarm: each replication rule's latency raises an alarm.
import { allWatchedMetrics, firesOnRise } from "../../lib/cloudwatch";
import { label } from "../../lib/graph";
import { metricMatchesRule } from "../../lib/replication";
import { stackRule } from "../../lib/rule";
import { BUCKET, replicationRules } from "../../lib/s3";

export const policy = stackRule<{ metricNames: string[] }>({
    name: "s3-replication-lag-alarm",
    pillar: "reliability",
    description: "Every Enabled replication rule has an alarm on its replication latency whose dimensions name that rule exactly (SourceBucket, DestinationBucket, RuleId).",
    rationale: "S3 publishes replication metrics per rule, keyed by source bucket, destination bucket and rule id: an alarm whose RuleId or DestinationBucket matches no rule watches a metric that does not exist, and a stalled replication (the RPO) goes unseen.",
    anchors: ["Well-Architected REL06-BP01", "Well-Architected REL13-BP01", "AWS S3 docs: Using S3 Replication metrics"],
    satisfy: "Enable replication metrics on the rule and create a MetricAlarm in namespace AWS/S3 on ReplicationLatency with dimensions { SourceBucket: bucket name, DestinationBucket: destination bucket name, RuleId: the rule's id } and the RPO as threshold, as Monitoring does.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            metricNames: { type: "array", items: { type: "string" }, minItems: 1, default: ["ReplicationLatency"], description: "AWS/S3 replication metrics that count as watching the lag (any one)." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(...BUCKET), (bucket) => {
        const metrics = allWatchedMetrics(graph).filter((m) => m.namespace === "AWS/S3" && config.metricNames.includes(m.metricName as string) && firesOnRise(m.alarm));
        for (const rule of replicationRules(graph, bucket).filter((r) => r.enabled)) {
            if (!metrics.some((m) => metricMatchesRule(m, bucket, rule))) {
                report(rule.source, `Rule ${rule.id} of ${label(rule.source)} replicates ${label(bucket)} but no alarm watches its ${config.metricNames.join(" or ")} (dimensions SourceBucket, DestinationBucket, RuleId naming this rule): a stalled replication would go unseen.`);
            }
        }
    }),
});
