// cloudwatch-alarm-action: alarms notify a topic of this stack when they fire.
import { PolicyResource } from "@pulumi/policy";
import { arnRegion, label, regionOf, StackGraph } from "../../lib/graph";
import { parseArn } from "../../lib/arn";
import { stackRule } from "../../lib/rule";
import { T } from "../../lib/types";
import { asList, isUnknown, known, rawGet } from "../../lib/values";

const ACTION_INPUTS = ["alarmActions", "okActions", "insufficientDataActions"];
const TOPIC_ATTRS = ["arn", "id"];

/** Why one action (an element of `prop`) is not a topic of the stack, or undefined. */
function actionProblem(graph: StackGraph, alarm: PolicyResource, prop: string, action: unknown, external: string[]): string | undefined {
    const deps = graph.inputSources(alarm, prop);
    if (graph.candidatesFor(action, deps, [T.topic], TOPIC_ATTRS).length > 0) {
        return undefined;
    }
    if (typeof action === "string" && !isUnknown(action)) {
        if (external.includes(action)) {
            return undefined;
        }
        const arn = parseArn(action);
        if (!arn || arn.service !== "sns") {
            return `${JSON.stringify(action)} is not an SNS topic ARN`;
        }
        const region = regionOf(alarm);
        if (region && arnRegion(action) !== region) {
            return `${action} is a topic in ${arnRegion(action)}, but an alarm in ${region} can only notify topics of its own region`;
        }
        return `${action} is not a topic of this stack (list a foundation's topic in externalTopicArns)`;
    }
    return isUnknown(action) ? undefined : `${JSON.stringify(action)} is not a topic ARN`;
}

export const policy = stackRule<{ externalTopicArns: string[] }>({
    name: "cloudwatch-alarm-action",
    pillar: "reliability",
    description: "CloudWatch alarms have actions enabled and notify, on every state they act on, a topic of this stack (by its ARN) or a configured external topic.",
    rationale: "An alarm that notifies nobody, or a queue, a function ARN, a topic name or another region's topic (alarms can only notify topics in their own region), changes state unseen; computed from the right resource is not enough when the value is the wrong attribute.",
    anchors: ["AWS Config cloudwatch-alarm-action-check", "Security Hub CloudWatch.15", "Checkov CKV_AWS_319"],
    satisfy: "Leave actionsEnabled on and set alarmActions (and okActions) to the alarm topic's arn, as Monitoring does. A stack that alarms to a foundation's topic lists that ARN in externalTopicArns.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            externalTopicArns: { type: "array", items: { type: "string" }, default: [], description: "Topics outside the stack (a foundation's) that alarms may notify." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(T.metricAlarm, T.compositeAlarm), (alarm) => {
        if (known(alarm.props, "actionsEnabled") === false) {
            report(alarm, `${label(alarm)} has actionsEnabled false: it changes state and tells nobody.`);
        }
        // In a preview a computed list (or its elements) may be unknown: what it was computed from is still known.
        const raw = rawGet(alarm.props, "alarmActions");
        if (!isUnknown(raw) && asList(raw).length === 0) {
            report(alarm, `${label(alarm)} has no alarmActions: it tells nobody when it fires.`);
        }
        for (const prop of ACTION_INPUTS) {
            const others = graph.inputSources(alarm, prop).filter((d) => d.type !== T.topic);
            if (others.length > 0) {
                report(alarm, `${label(alarm)}'s ${prop} are computed from ${others.map(label).join(", ")}: alarms notify the alarm topic.`);
                continue;
            }
            const value = rawGet(alarm.props, prop);
            for (const action of isUnknown(value) ? [] : asList(value)) {
                const problem = actionProblem(graph, alarm, prop, action, config.externalTopicArns);
                if (problem) {
                    report(alarm, `${label(alarm)}'s ${prop}: ${problem}.`);
                }
            }
        }
    }),
});
