// lambda-failure-destination: failed asynchronous events are kept, in a destination named by its ARN.
import { PolicyResource } from "@pulumi/policy";
import { parseArn } from "../../lib/arn";
import { label, StackGraph } from "../../lib/graph";
import { invokeConfigs } from "../../lib/lambda";
import { stackRule } from "../../lib/rule";
import { T } from "../../lib/types";
import { isSet, isUnknown, known, rawPath } from "../../lib/values";

/** What an on-failure destination may be (Lambda Developer Guide, "Adding a destination"), and a DLQ (SQS or SNS). */
const DESTINATION_SERVICES = ["sqs", "sns", "lambda", "events", "s3"];
const DLQ_SERVICES = ["sqs", "sns"];
const TYPE_SERVICE: Record<string, string> = { [T.queue]: "sqs", [T.topic]: "sns", [T.function]: "lambda", [T.eventBus]: "events", "aws:s3/bucket:Bucket": "s3" };

/** Why a destination value (computed from `deps`) is not the ARN of an allowed target, or undefined. */
function destinationProblem(graph: StackGraph, value: unknown, deps: PolicyResource[], services: string[]): string | undefined {
    const wrongKind = deps.filter((d) => !services.includes(TYPE_SERVICE[d.type] ?? ""));
    if (wrongKind.length > 0 && wrongKind.length === deps.length) {
        return `it is computed from ${wrongKind.map(label).join(", ")}, which cannot receive failed events`;
    }
    if (typeof value === "string" && !isUnknown(value)) {
        const arn = parseArn(value);
        if (!arn) {
            return `${JSON.stringify(value)} is not an ARN (a queue's URL or name is not accepted: use its arn)`;
        }
        if (!services.includes(arn.service)) {
            return `${JSON.stringify(value)} is a ${arn.service} ARN; allowed: ${services.join(", ")}`;
        }
        const targets = deps.filter((d) => services.includes(TYPE_SERVICE[d.type] ?? ""));
        if (targets.length > 0 && graph.candidatesFor(value, deps, targets.map((t) => t.type), ["arn"]).length === 0) {
            return `it is computed from ${targets.map(label).join(", ")} but is not its ARN`;
        }
    }
    return undefined;
}

/** SQS keeps messages 4 days unless told otherwise (SQS API Reference, MessageRetentionPeriod). */
const SQS_DEFAULT_RETENTION = 345600;

/** Why a queue that keeps failed events would lose them too early, or undefined. */
function retentionProblem(graph: StackGraph, value: unknown, deps: PolicyResource[], minimum: number): string | undefined {
    for (const q of graph.candidatesFor(value, deps, [T.queue], ["arn"])) {
        const seconds = known(q.props, "messageRetentionSeconds") ?? SQS_DEFAULT_RETENTION;
        if (typeof seconds === "number" && seconds < minimum) {
            return `${label(q)} keeps messages ${seconds} s, less than minimumRetentionSeconds (${minimum} s): failed events expire before anyone looks`;
        }
    }
    return undefined;
}

export const policy = stackRule<{ minimumRetentionSeconds: number }>({
    name: "lambda-failure-destination",
    pillar: "reliability",
    description: "Every Lambda function keeps the events it fails on: an on-failure destination or a dead-letter queue, named by the target's ARN, that keeps them long enough to be looked at.",
    rationale: "An asynchronous event (an S3 notification, a schedule) that still fails after Lambda's retries is dropped unless a destination keeps it; a destination given as a queue URL or name is rejected or silently useless.",
    anchors: ["Checkov CKV_AWS_116", "Serverless Rules: Async Lambda No Failure Destination", "Well-Architected REL05-BP03"],
    satisfy: "Give the function a FunctionEventInvokeConfig (functionName: the function's name) with destinationConfig.onFailure.destination = an encrypted SQS queue's arn (HardenedFunction does), or a deadLetterConfig.targetArn = a queue's or topic's arn.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            minimumRetentionSeconds: { type: "integer", minimum: 60, maximum: 1209600, default: SQS_DEFAULT_RETENTION, description: "Shortest time a failure queue keeps a failed event, in seconds (SQS's default: 4 days)." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(T.function), (fn) => {
        if (isSet(fn.props, "deadLetterConfig", "targetArn")) {
            const target = rawPath(fn.props, "deadLetterConfig", "targetArn");
            const deps = graph.inputSources(fn, "deadLetterConfig");
            const problem = destinationProblem(graph, target, deps, DLQ_SERVICES) ?? retentionProblem(graph, target, deps, config.minimumRetentionSeconds);
            if (problem) {
                report(fn, `${label(fn)}'s deadLetterConfig.targetArn: ${problem}.`);
            }
            return;
        }
        const configs = invokeConfigs(graph, fn);
        const withDestination = configs.filter((c) => isSet(c.props, "destinationConfig", "onFailure", "destination"));
        if (withDestination.length === 0) {
            report(fn, configs.length === 0
                ? `${label(fn)} has neither a dead-letter queue nor a FunctionEventInvokeConfig naming it: failed asynchronous events are dropped.`
                : `${label(fn)}'s FunctionEventInvokeConfig has no destinationConfig.onFailure.destination: failed events are dropped.`);
            return;
        }
        for (const c of withDestination) {
            const target = rawPath(c.props, "destinationConfig", "onFailure", "destination");
            const deps = graph.inputSources(c, "destinationConfig");
            const problem = destinationProblem(graph, target, deps, DESTINATION_SERVICES) ?? retentionProblem(graph, target, deps, config.minimumRetentionSeconds);
            if (problem) {
                report(c, `${label(c)}'s onFailure destination: ${problem}.`);
            }
        }
    }),
});
