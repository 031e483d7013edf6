// lambda-trigger-names-function-arn: what invokes a function names it by its ARN.
import { PolicyResource } from "@pulumi/policy";
import { parseArn } from "../../lib/arn";
import { label, StackGraph } from "../../lib/graph";
import { FUNCTION_ARN_ATTRS } from "../../lib/lambda";
import { stackRule } from "../../lib/rule";
import { SIDE } from "../../lib/s3";
import { T } from "../../lib/types";
import { isUnknown, knownList, rawGet } from "../../lib/values";

/** Why a trigger's target value (computed from `deps`) is not a Lambda function's ARN, or undefined. */
function targetProblem(graph: StackGraph, value: unknown, deps: PolicyResource[]): string | undefined {
    const functions = deps.filter((d) => d.type === T.function);
    if (typeof value === "string" && !isUnknown(value)) {
        if (functions.length > 0 && graph.candidatesFor(value, deps, [T.function], FUNCTION_ARN_ATTRS).length === 0) {
            return `${JSON.stringify(value)} is computed from ${functions.map(label).join(", ")} but is not its ARN`;
        }
        if (!parseArn(value)) {
            return `${JSON.stringify(value)} is not an ARN`;
        }
    }
    return undefined;
}

export const policy = stackRule({
    name: "lambda-trigger-names-function-arn",
    pillar: "reliability",
    description: "S3 event notifications and EventBridge targets name the function they invoke by its ARN (lambdaFunctionArn, arn), not by its name.",
    rationale: "S3 and EventBridge take a function's ARN; a function name computed from the right function is refused at deployment or, for a target, silently invokes nothing, and the relations every other rule follows (permission source, timeout bounds, recursion) no longer hold.",
    anchors: ["AWS S3 API Reference: LambdaFunctionConfiguration (LambdaFunctionArn)", "Amazon EventBridge API Reference: Target (Arn)", "Well-Architected REL05-BP03"],
    satisfy: "Pass the function's arn output (this.fn.function.arn), as IngestPipeline and ReplicationCanary do.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => {
        each(graph.ofType(T.eventTarget), (t) => {
            const problem = targetProblem(graph, rawGet(t.props, "arn"), graph.inputSources(t, "arn"));
            if (problem) {
                report(t, `${label(t)}'s arn: ${problem}.`);
            }
        });
        each(graph.ofType(...SIDE.notification), (n) => {
            for (const f of knownList(n.props, "lambdaFunctions")) {
                const problem = targetProblem(graph, rawGet(f, "lambdaFunctionArn"), graph.inputSources(n, "lambdaFunctions"));
                if (problem) {
                    report(n, `${label(n)}'s lambdaFunctionArn: ${problem}.`);
                }
            }
        });
    },
});
