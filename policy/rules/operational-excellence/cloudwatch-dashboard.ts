// cloudwatch-dashboard: every function is on a dashboard, by the metrics its widgets show.
import { PolicyResource } from "@pulumi/policy";
import { dashboardMetrics } from "../../lib/cloudwatch";
import { label, regionOf } from "../../lib/graph";
import { functionName } from "../../lib/lambda";
import { stackRule } from "../../lib/rule";
import { T } from "../../lib/types";
import { isUnknown, rawGet } from "../../lib/values";

export const policy = stackRule<{ requireEveryFunction: boolean; requiredMetrics: string[] }>({
    name: "cloudwatch-dashboard",
    pillar: "operational-excellence",
    description: "A stack with functions has a CloudWatch dashboard, and every function appears on one: a metric widget shows an AWS/Lambda metric (Errors or Invocations) with exactly its FunctionName, in its region.",
    rationale: "During an incident on-call reads the dashboard first; a function missing from it, or shown under another name (a string that merely contains the name, a metric keyed by its ARN), is invisible exactly when it fails.",
    anchors: ["Serverless Lens OPS 1", "Well-Architected OPS08-BP01", "AWS CloudWatch API Reference: Dashboard Body Structure and Syntax"],
    satisfy: "Create a Dashboard whose body has a metric widget per function with [\"AWS/Lambda\", \"Errors\", \"FunctionName\", fn.name] (Monitoring's alarmDashboardBody does).",
    enforcementLevel: "mandatory",
    severity: "low",
    configSchema: {
        properties: {
            requireEveryFunction: { type: "boolean", default: true, description: "Require each function on a dashboard, not just one dashboard per stack." },
            requiredMetrics: { type: "array", items: { type: "string" }, minItems: 1, default: ["Errors", "Invocations"], description: "AWS/Lambda metrics of which at least one must be shown for each function." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => {
        const functions = graph.ofType(T.function);
        if (functions.length === 0) {
            return;
        }
        const dashboards = graph.ofType(T.dashboard);
        if (dashboards.length === 0) {
            const subject = graph.ofType(T.stack)[0] ?? functions[0];
            each([subject], () => report(subject, `The stack has ${functions.length} function(s) and no CloudWatch dashboard.`));
            return;
        }
        if (!config.requireEveryFunction) {
            return;
        }
        each(functions, (fn: PolicyResource) => {
            const name = functionName(fn);
            const shown = dashboards.some((d) => {
                const body = rawGet(d.props, "dashboardBody");
                if (isUnknown(body)) {
                    // In a preview the body (which embeds alarm ARNs) is unknown: relate by dependency.
                    return graph.inputSources(d, "dashboardBody").some((s) => s.urn === fn.urn);
                }
                const metrics = dashboardMetrics(body) ?? [];
                // A widget's metrics are those of its region: the function's are in its own region.
                const region = regionOf(fn);
                return name !== undefined && metrics.some((m) => m.namespace === "AWS/Lambda" && config.requiredMetrics.includes(m.metricName)
                    && Object.keys(m.dimensions).length === 1 && m.dimensions.FunctionName === name && (m.region === undefined || region === undefined || m.region === region));
            });
            if (!shown) {
                report(fn, `${label(fn)} is on no dashboard: no metric widget shows AWS/Lambda ${config.requiredMetrics.join(" or ")} with { FunctionName: ${JSON.stringify(name ?? "its name")} }.`);
            }
        });
    },
});
