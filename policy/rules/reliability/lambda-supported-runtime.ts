// lambda-supported-runtime: the runtime still gets security updates.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { known } from "../../lib/values";

/** Runtimes Lambda supports on Amazon Linux 2023 and has not scheduled for deprecation (as of 2026-11). */
export const SUPPORTED_RUNTIMES = [
    "nodejs22.x", "nodejs24.x", "python3.12", "python3.13", "python3.14", "java21", "java25", "dotnet8", "dotnet10",
    "ruby3.3", "ruby3.4", "provided.al2023",
];

export const policy = resourceRule<{ allowedRuntimes: string[] }>({
    name: "lambda-supported-runtime",
    pillar: "reliability",
    description: "Lambda functions run on a runtime that still receives security updates.",
    rationale: "A deprecated runtime gets no patches, and Lambda eventually blocks creating and then updating functions on it: a deployment that must change code during an incident would fail.",
    anchors: ["Checkov CKV_AWS_363", "Security Hub Lambda.2", "Serverless Rules: Lambda EOL Runtime (cfn-lint E2531)"],
    satisfy: "Set runtime to one of allowedRuntimes (Tandem: aws.lambda.Runtime.NodeJS22dX).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            allowedRuntimes: { type: "array", items: { type: "string" }, default: SUPPORTED_RUNTIMES, description: "Runtimes accepted." },
        },
    },
}, {
    types: [T.function],
    check: ({ props, config, report, notApplicable }) => {
        if (known(props, "packageType") === "Image") {
            notApplicable("container image functions bring their own runtime");
        }
        const runtime = known(props, "runtime");
        if (typeof runtime !== "string" || !config.allowedRuntimes.includes(runtime)) {
            report(`runtime ${JSON.stringify(runtime)} is not one of the supported runtimes (${config.allowedRuntimes.join(", ")}).`);
        }
    },
});
