// lambda-function-alarms: every function's errors and throttles raise an alarm.
import { alarmsOn, firesOnRise, hasExactDimensions } from "../../lib/cloudwatch";
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { T } from "../../lib/types";

export const policy = stackRule<{ requiredMetrics: string[] }>({
    name: "lambda-function-alarms",
    pillar: "reliability",
    description: "Every Lambda function has CloudWatch alarms on its AWS/Lambda Errors and Throttles metrics, keyed by exactly its FunctionName, that fire when they rise.",
    rationale: "AWS/Lambda metrics are keyed by the function's name: an alarm whose FunctionName holds the function's ARN, another function's name, or an extra dimension (Resource, ExecutedVersion) watches a metric nobody publishes and never fires; an alarm with a falling comparison never fires on errors either.",
    anchors: ["Serverless Rules: Lambda No Error Alarm", "Well-Architected REL06-BP01", "AWS Lambda docs: Using CloudWatch metrics with Lambda (FunctionName dimension)"],
    satisfy: "Create a MetricAlarm per metric in namespace AWS/Lambda with dimensions { FunctionName: fn.name } (the name output, not the ARN) and comparisonOperator GreaterThanOrEqualToThreshold, as Monitoring does.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            requiredMetrics: { type: "array", items: { type: "string" }, minItems: 1, default: ["Errors", "Throttles"], description: "AWS/Lambda metrics each function needs an alarm on." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(T.function), (fn) => {
        const missing = config.requiredMetrics.filter((metric) => !alarmsOn(graph, fn, "AWS/Lambda", [metric], "FunctionName", ["name"])
            .some((m) => hasExactDimensions(m, ["FunctionName"]) && firesOnRise(m.alarm)));
        if (missing.length > 0) {
            report(fn, `${label(fn)} has no alarm on AWS/Lambda ${missing.join(", ")} with dimensions exactly { FunctionName: its name } firing when the metric rises.`);
        }
    }),
});
