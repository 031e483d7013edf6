// lambda-environment-customer-key: environment variables are encrypted with a customer managed key.
import { T } from "../../lib/types";
import { keyReferenceProblem } from "../../lib/kms";
import { resourceRule } from "../../lib/rule";
import { isSet, known, rawGet } from "../../lib/values";

/** The function's environment variables; throws (undecided) while the map itself is unknown. */
export function environmentVariables(props: unknown): Record<string, unknown> {
    const vars = known(props, "environment", "variables");
    return vars !== null && typeof vars === "object" ? (vars as Record<string, unknown>) : {};
}

export const policy = resourceRule({
    name: "lambda-environment-customer-key",
    pillar: "security",
    description: "Lambda functions with environment variables encrypt them with a customer managed KMS key (named by its ARN).",
    rationale: "Environment variables are readable by anyone who can call GetFunctionConfiguration unless a key they cannot use protects them; the AWS managed aws/lambda key is usable by every principal of the account with Lambda access.",
    anchors: ["Checkov CKV_AWS_173"],
    satisfy: "Set kmsKeyArn on the function to the region key's ARN (HardenedFunction does) and allow the role kms:Decrypt on it.",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    types: [T.function],
    check: ({ props, report }) => {
        const names = Object.keys(environmentVariables(props));
        if (names.length === 0) {
            return;
        }
        if (!isSet(props, "kmsKeyArn")) {
            report(`The environment (${names.join(", ")}) is encrypted with the AWS managed key aws/lambda: set kmsKeyArn.`);
            return;
        }
        // Lambda takes the key's ARN here (Lambda API Reference, CreateFunction KMSKeyArn).
        const problem = keyReferenceProblem(rawGet(props, "kmsKeyArn"), [], { arnOnly: true });
        if (problem) {
            report(`kmsKeyArn: ${problem}.`);
        }
    },
});
