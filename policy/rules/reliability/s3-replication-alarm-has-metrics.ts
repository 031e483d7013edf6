// s3-replication-alarm-has-metrics: a replication alarm watches a rule that publishes metrics.
import { allWatchedMetrics } from "../../lib/cloudwatch";
import { label } from "../../lib/graph";
import { metricMatchesRule, REPLICATION_METRICS } from "../../lib/replication";
import { stackRule } from "../../lib/rule";
import { BUCKET, replicationRules } from "../../lib/s3";

export const policy = stackRule({
    name: "s3-replication-alarm-has-metrics",
    pillar: "reliability",
    description: "Every alarm on an S3 replication metric names an Enabled replication rule of this stack (SourceBucket, DestinationBucket, RuleId) and that rule publishes replication metrics (metrics or Replication Time Control enabled).",
    rationale: "S3 publishes ReplicationLatency and the pending/failed counts only for rules with replication metrics (or RTC) on; an alarm on a rule without them, or on a rule that does not exist, never sees a data point and, with missing data not breaching, stays OK forever.",
    anchors: ["AWS S3 docs: Using S3 Replication metrics", "AWS S3 docs: Meeting compliance requirements with S3 Replication Time Control", "Well-Architected REL06-BP01"],
    satisfy: "Set destination.metrics.status \"Enabled\" (Replication does; tandem:replicationTimeControl adds RTC) on the rule each replication alarm names, and build the alarm's dimensions from the same bucket name, destination and rule id (Monitoring does, from REPLICATION_RULE_ID).",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => {
        const rules = graph.ofType(...BUCKET).flatMap((bucket) => replicationRules(graph, bucket).map((rule) => ({ bucket, rule })));
        const alarms = [...new Set(allWatchedMetrics(graph).filter((m) => m.namespace === "AWS/S3" && REPLICATION_METRICS.includes(m.metricName as string)).map((m) => m.alarm))];
        each(alarms, (alarm) => {
            for (const m of allWatchedMetrics(graph).filter((x) => x.alarm === alarm && x.namespace === "AWS/S3" && REPLICATION_METRICS.includes(x.metricName as string))) {
                const matched = rules.filter(({ bucket, rule }) => rule.enabled && metricMatchesRule(m, bucket, rule));
                if (matched.length === 0) {
                    report(alarm, `${label(alarm)} watches ${m.metricName} for ${JSON.stringify(m.dimensions)}, which names no Enabled replication rule of this stack: it watches a metric nobody publishes.`);
                } else if (!matched.some(({ rule }) => rule.metrics || rule.replicationTime)) {
                    report(alarm, `${label(alarm)} watches ${m.metricName} of rule ${matched[0].rule.id}, which has neither replication metrics nor Replication Time Control enabled: S3 publishes no data for it.`);
                }
            }
        });
    },
});
