// lambda-log-group-retention: every function writes to a log group the program owns.
import { PolicyResource } from "@pulumi/policy";
import { label, StackGraph } from "../../lib/graph";
import { functionName } from "../../lib/lambda";
import { stackRule } from "../../lib/rule";
import { T } from "../../lib/types";
import { isUnknown, known, rawGet, rawPath } from "../../lib/values";

/**
 * The log groups a function writes to: the one its loggingConfig.logGroup names (by the log group's
 * name), else Lambda's default /aws/lambda/<function name> (Lambda Developer Guide, "Configuring
 * CloudWatch log groups").
 */
function functionLogGroups(graph: StackGraph, fn: PolicyResource): PolicyResource[] {
    const configured = rawPath(fn.props, "loggingConfig", "logGroup");
    if (configured !== undefined && configured !== null) {
        return graph.candidatesFor(configured, graph.inputSources(fn, "loggingConfig", [T.logGroup]), [T.logGroup], ["name"]);
    }
    const name = functionName(fn);
    if (name === undefined) {
        return isUnknown(rawGet(fn.props, "name")) ? graph.inputSources(fn, "name", [T.logGroup]) : [];
    }
    return graph.ofType(T.logGroup).filter((g) => rawGet(g.props, "name") === `/aws/lambda/${name}`);
}

export const policy = stackRule<{ minimumDays: number }>({
    name: "lambda-log-group-retention",
    pillar: "operational-excellence",
    description: "Every Lambda function writes to a log group the program creates (the one loggingConfig.logGroup names, else /aws/lambda/<name>), kept at least the configured number of days.",
    rationale: "If the program does not create the log group, Lambda creates it on first use with no retention and no KMS key; a loggingConfig naming a group by another attribute (its ARN) or another function's group sends the logs somewhere else than the group that has retention and encryption.",
    anchors: ["Serverless Rules WS1004", "Checkov CKV_AWS_338", "AWS Config cw-loggroup-retention-period-check"],
    satisfy: "Create the function's LogGroup before the function with retentionInDays ≥ minimumDays (tandem:logRetentionDays) and kmsKeyId, and set loggingConfig.logGroup to the group's name (HardenedFunction does).",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            minimumDays: { type: "integer", minimum: 1, maximum: 3653, default: 30, description: "Shortest retention allowed for a function's logs, in days." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(T.function), (fn) => {
        const groups = functionLogGroups(graph, fn);
        if (groups.length === 0) {
            const configured = rawPath(fn.props, "loggingConfig", "logGroup");
            report(fn, configured !== undefined && configured !== null
                ? `${label(fn)}'s loggingConfig.logGroup ${JSON.stringify(configured)} is not the name of a log group of this stack: its logs go to a group without retention or KMS.`
                : `${label(fn)} has no log group of its own: Lambda would create /aws/lambda/<name> on first use, never expiring and not encrypted with your key.`);
        }
        for (const g of groups) {
            const days = known(g.props, "retentionInDays");
            if (typeof days !== "number" || days === 0) {
                report(g, `${label(g)} (logs of ${label(fn)}) never expires: set retentionInDays ≥ ${config.minimumDays}.`);
            } else if (days < config.minimumDays) {
                report(g, `${label(g)} (logs of ${label(fn)}) keeps ${days} days; at least ${config.minimumDays} are required.`);
            }
        }
    }),
});
