// cloudwatch-canary-lag-alarm: both roles watch the live recovery point.
import { PolicyResource } from "@pulumi/policy";
import { allWatchedMetrics, firesOnRise, parseMetricKey } from "../../lib/cloudwatch";
import { stackRule } from "../../lib/rule";
import { BUCKET, replicationRules } from "../../lib/s3";
import { isStandby, ROLE_SCHEMA, RoleSettings } from "../../lib/stackRole";
import { T } from "../../lib/types";

interface Settings extends RoleSettings {
    metric: string;
    dimensions: Record<string, string>;
}

export const policy = stackRule<Settings>({
    name: "cloudwatch-canary-lag-alarm",
    pillar: "reliability",
    description: "A standby stack, and a primary that replicates, each have an alarm on the replication canary's lag metric with exactly the canary's dimensions.",
    rationale: "The canary's lag is the live recovery point on both sides: the primary sees replication stall, the standby sees that what it would serve after a failover is stale. Custom metrics match only with their exact dimension set, so an alarm that drops or renames the canary's dimension watches nothing.",
    anchors: ["Well-Architected REL13-BP01", "Well-Architected REL06-BP01", "AWS CloudWatch docs: Publishing custom metrics (dimensions identify the metric)"],
    satisfy: "Keep Monitoring's replication-lag alarm (namespace Tandem, ReplicationLagSeconds, dimensions { service: \"tandem-canary\" }) on every stack whose role is standby and on a primary while tandem:replicationEnabled is true.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            ...ROLE_SCHEMA,
            metric: { type: "string", default: "Tandem:ReplicationLagSeconds", description: "The canary's lag metric, Namespace:MetricName." },
            dimensions: {
                type: "object", additionalProperties: { type: "string" }, default: { service: "tandem-canary" },
                description: "The exact dimensions the canary publishes the metric with.",
            },
        },
    },
}, {
    check: ({ graph, each, report, config }) => {
        const buckets = graph.ofType(...BUCKET);
        const standby = buckets.some((b) => isStandby(b, config)) || graph.ofType(T.function).some((f) => isStandby(f, config));
        const replicating = buckets.some((b) => replicationRules(graph, b).some((r) => r.enabled));
        if (!standby && !replicating) {
            return;
        }
        const { namespace, metricName } = parseMetricKey(config.metric);
        const wanted = Object.entries(config.dimensions);
        const found = allWatchedMetrics(graph).some((m) => m.namespace === namespace && m.metricName === metricName && firesOnRise(m.alarm)
            && Object.keys(m.dimensions).length === wanted.length && wanted.every(([k, v]) => m.dimensions[k] === v));
        if (!found) {
            const subject: PolicyResource | undefined = graph.ofType(T.stack)[0] ?? buckets[0] ?? graph.resources[0];
            if (subject) {
                each([subject], () => report(subject, `This ${standby ? "standby" : "replicating primary"} stack has no alarm on ${config.metric} with dimensions exactly ${JSON.stringify(config.dimensions)}: nobody would notice the recovery point growing.`));
            }
        }
    },
});
