// cloudwatch-rpo-alarm-threshold: the lag alarms fire before the recovery point objective is missed.
import { allWatchedMetrics, metricKey, RISING } from "../../lib/cloudwatch";
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { known } from "../../lib/values";

interface Settings {
    rpoMinutes: number;
    metrics: string[];
}

export const policy = stackRule<Settings>({
    name: "cloudwatch-rpo-alarm-threshold",
    pillar: "reliability",
    description: "Alarms on replication lag (in seconds) fire at or below the recovery point objective: threshold ≤ RPO, a rising comparison, a Maximum (or high percentile) statistic, and a detection window (period × evaluation periods) no longer than the RPO.",
    rationale: "The RPO is the data a failover may lose; a lag alarm with a threshold above it, averaging the lag, or needing hours of breaching periods reports the loss only after the objective is already missed.",
    anchors: ["Well-Architected REL13-BP01", "Well-Architected REL06-BP01", "AWS S3 docs: Using S3 Replication metrics (ReplicationLatency in seconds)"],
    satisfy: "Keep this rule's rpoMinutes equal to tandem:rpoMinutes and build the lag alarms from it (Monitoring's threshold is rpoMinutes × 60 with statistic Maximum).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            rpoMinutes: { type: "integer", minimum: 1, maximum: 1440, default: 15, description: "The recovery point objective, in minutes (tandem:rpoMinutes)." },
            metrics: {
                type: "array", items: { type: "string" }, minItems: 1, default: ["Tandem:ReplicationLagSeconds", "AWS/S3:ReplicationLatency"],
                description: "Lag metrics (Namespace:MetricName, valued in seconds) whose alarms guard the RPO.",
            },
        },
    },
}, {
    check: ({ graph, each, report, config }) => {
        const rpo = config.rpoMinutes * 60;
        const guarding = [...new Set(allWatchedMetrics(graph).filter((m) => !m.query && config.metrics.includes(metricKey(m.namespace, m.metricName))).map((m) => m.alarm))];
        each(guarding, (alarm) => {
            const threshold = known(alarm.props, "threshold");
            const operator = known(alarm.props, "comparisonOperator");
            const statistic = known(alarm.props, "statistic");
            const percentile = known(alarm.props, "extendedStatistic");
            const window = Number(known(alarm.props, "period") ?? 0) * Number(known(alarm.props, "evaluationPeriods") ?? 1);
            const problems: string[] = [];
            if (typeof threshold !== "number" || threshold > rpo) {
                problems.push(`its threshold ${JSON.stringify(threshold)} s is above the RPO (${rpo} s)`);
            }
            if (!RISING.includes(operator as string)) {
                problems.push(`its comparison ${JSON.stringify(operator)} does not fire when the lag rises`);
            }
            if (statistic !== "Maximum" && !(typeof percentile === "string" && /^p(9\d(\.\d+)?|100)$/.test(percentile))) {
                problems.push(`its statistic ${JSON.stringify(statistic ?? percentile)} hides the worst lag (use Maximum)`);
            }
            if (window > rpo) {
                problems.push(`it needs ${window} s of breaching data (period × evaluationPeriods), longer than the RPO`);
            }
            if (problems.length > 0) {
                report(alarm, `${label(alarm)} guards the recovery point but ${problems.join("; ")}.`);
            }
        });
    },
});
