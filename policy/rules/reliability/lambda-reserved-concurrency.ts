// lambda-reserved-concurrency: a guaranteed share and a ceiling.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { known } from "../../lib/values";

export const policy = resourceRule({
    name: "lambda-reserved-concurrency",
    pillar: "reliability",
    description: "Lambda functions reserve their concurrency: a guaranteed share and a ceiling that protects what they call.",
    rationale: "Without a reservation one function's burst can take the account's whole concurrency (throttling every other function), and nothing bounds the load it puts on S3 and KMS; 0 throttles every invocation.",
    anchors: ["Checkov CKV_AWS_115", "Serverless Lens REL 1"],
    satisfy: "Set reservedConcurrentExecutions to a positive number (tandem:<fn>ReservedConcurrency).",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    types: [T.function],
    check: ({ props, report }) => {
        const reserved = known(props, "reservedConcurrentExecutions");
        if (reserved === undefined || reserved === -1) {
            report("reservedConcurrentExecutions is not set: the function competes for the account's unreserved concurrency and has no ceiling.");
        } else if (typeof reserved !== "number" || reserved < 1) {
            report(`reservedConcurrentExecutions is ${JSON.stringify(reserved)}: 0 throttles every invocation.`);
        }
    },
});
