// sqs-failure-queue-alarm: events waiting in a failure queue raise an alarm.
import { PolicyResource } from "@pulumi/policy";
import { alarmsOn, firesOnRise, hasExactDimensions } from "../../lib/cloudwatch";
import { label, StackGraph } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { T } from "../../lib/types";
import { asList, parseJsonValue, rawGet } from "../../lib/values";

/** Queues that hold failed events: failure destinations, dead-letter queues and redrive targets. */
function failureQueues(graph: StackGraph): PolicyResource[] {
    const queues = new Map<string, PolicyResource>();
    const add = (r: PolicyResource, prop: string) => graph.inputSources(r, prop, [T.queue]).forEach((q) => queues.set(q.urn, q));
    graph.ofType(T.eventInvokeConfig).forEach((c) => add(c, "destinationConfig"));
    graph.ofType(T.function).forEach((f) => add(f, "deadLetterConfig"));
    graph.ofType(T.eventTarget).forEach((t) => add(t, "deadLetterConfig"));
    graph.ofType(T.eventSourceMapping).forEach((m) => add(m, "destinationConfig"));
    graph.ofType(T.queue).forEach((q) => add(q, "redrivePolicy"));
    graph.ofType(T.redrivePolicy).forEach((p) => add(p, "redrivePolicy"));
    // A redrive target named by a literal ARN (no dependency) is found by that ARN.
    for (const q of [...graph.ofType(T.queue), ...graph.ofType(T.redrivePolicy)]) {
        const raw = rawGet(q.props, "redrivePolicy");
        const parsed = typeof raw === "string" ? parseJsonValue(raw) : { ok: false as const, error: "" };
        const target = parsed.ok ? rawGet(parsed.value, "deadLetterTargetArn") : undefined;
        graph.ofType(T.queue).filter((x) => typeof target === "string" && asList(rawGet(x.props, "arn")).includes(target)).forEach((x) => queues.set(x.urn, x));
    }
    return [...queues.values()];
}

export const policy = stackRule<{ metricNames: string[] }>({
    name: "sqs-failure-queue-alarm",
    pillar: "reliability",
    description: "Every queue that receives failed events (failure destination, DLQ, redrive target) has a depth or age alarm keyed by exactly its QueueName.",
    rationale: "A failure queue nobody watches turns failures into silent data loss after the retention period; AWS/SQS metrics are keyed by the queue's name, so an alarm given its URL or ARN watches nothing.",
    anchors: ["Well-Architected REL06-BP01", "AWS SQS docs: Available CloudWatch metrics (QueueName dimension)"],
    satisfy: "Create a MetricAlarm in namespace AWS/SQS on ApproximateNumberOfMessagesVisible (or ApproximateAgeOfOldestMessage) with dimensions { QueueName: queue.name }, firing when it rises (Monitoring does).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            metricNames: {
                type: "array", items: { type: "string" }, minItems: 1,
                default: ["ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"],
                description: "AWS/SQS metrics that count as watching the queue (any one).",
            },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(failureQueues(graph), (queue) => {
        const watching = alarmsOn(graph, queue, "AWS/SQS", config.metricNames, "QueueName", ["name"]).filter((m) => hasExactDimensions(m, ["QueueName"]) && firesOnRise(m.alarm));
        if (watching.length === 0) {
            report(queue, `${label(queue)} receives failed events but no alarm watches it (${config.metricNames.join(" or ")} with { QueueName: its name }, rising): failures would pile up unseen.`);
        }
    }),
});
