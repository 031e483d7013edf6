// cloudwatch-rpo-alarm-missing-data-breaching: silence from the lag metric is itself an alarm.
import { allWatchedMetrics, metricKey } from "../../lib/cloudwatch";
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { known } from "../../lib/values";

export const policy = stackRule<{ metrics: string[] }>({
    name: "cloudwatch-rpo-alarm-missing-data-breaching",
    pillar: "reliability",
    description: "Alarms that guard the recovery point on a metric published continuously (the canary's replication lag) treat missing data as breaching.",
    rationale: "The canary publishes the replication lag every minute; when no data point arrives, the canary, the probe or replication is broken and the recovery point is unknown. With missing data as notBreaching or ignore, exactly that failure keeps the alarm green.",
    anchors: ["AWS CloudWatch docs: Configuring how CloudWatch alarms treat missing data", "Well-Architected REL13-BP01", "Well-Architected REL06-BP01"],
    satisfy: "Set treatMissingData \"breaching\" on the alarm on Tandem ReplicationLagSeconds (Monitoring does). S3's own ReplicationLatency is published only while objects replicate, so it is not listed here by default.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            metrics: {
                type: "array", items: { type: "string" }, minItems: 1, default: ["Tandem:ReplicationLagSeconds"],
                description: "Metrics (Namespace:MetricName) that guard the recovery point and are published continuously.",
            },
        },
    },
}, {
    check: ({ graph, each, report, config }) => {
        const guarding = [...new Set(allWatchedMetrics(graph).filter((m) => config.metrics.includes(metricKey(m.namespace, m.metricName))).map((m) => m.alarm))];
        each(guarding, (alarm) => {
            const treatment = known(alarm.props, "treatMissingData") ?? "missing";
            if (treatment !== "breaching") {
                report(alarm, `${label(alarm)} guards the recovery point but treats missing data as ${JSON.stringify(treatment)}: when the lag stops being published, it stays OK.`);
            }
        });
    },
});
