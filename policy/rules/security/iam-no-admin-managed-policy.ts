// iam-no-admin-managed-policy: no broad AWS managed policies on any principal.
import { T } from "../../lib/types";
import { label } from "../../lib/graph";
import { actionMatches } from "../../lib/iamActions";
import { stackRule } from "../../lib/rule";
import { known, knownList } from "../../lib/values";

/** AWS managed policies that grant administrator or whole-service access. */
const DENIED_DEFAULT = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "*FullAccess", "*FullAccess_v2"];
const AWS_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

export const policy = stackRule<{ deniedPolicyNames: string[] }>({
    name: "iam-no-admin-managed-policy",
    pillar: "security",
    description: "No role, user or group gets AdministratorAccess, PowerUserAccess or an AWS managed *FullAccess policy.",
    rationale: "AWS managed policies are written for every customer, so they grant whole services (AmazonS3FullAccess reaches every bucket of the account); CallbackFunction attaches several of them when it is not given a role.",
    anchors: ["Checkov CKV_AWS_274", "Checkov CKV2_AWS_40", "Security Hub IAM.1"],
    satisfy: "Attach no broad AWS managed policies; write an inline RolePolicy with the exact statements. Always pass `role` to CallbackFunction (without it, it attaches AWSLambda_FullAccess, AmazonS3FullAccess and more).",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            deniedPolicyNames: {
                type: "array", items: { type: "string" }, default: DENIED_DEFAULT,
                description: "AWS managed policy names refused (`*` matches any characters).",
            },
        },
    },
}, {
    check: ({ graph, each, report, config }) => {
        const denied = (arn: unknown): string | undefined => {
            const name = typeof arn === "string" ? AWS_MANAGED_POLICY.exec(arn)?.[1] : undefined;
            return name && config.deniedPolicyNames.some((p) => actionMatches(p, name)) ? name : undefined;
        };
        each(graph.ofType(T.rolePolicyAttachment, T.policyAttachment, T.userPolicyAttachment, T.groupPolicyAttachment), (a) => {
            const name = denied(known(a.props, "policyArn"));
            if (name) {
                report(a, `${label(a)} attaches the AWS managed policy ${name}.`);
            }
        });
        each(graph.ofType(T.role, T.rolePolicyAttachmentsExclusive), (r) => {
            const arns = [...knownList(r.props, "managedPolicyArns"), ...knownList(r.props, "policyArns")];
            const names = arns.map(denied).filter((n): n is string => n !== undefined);
            if (names.length > 0) {
                report(r, `${label(r)} attaches the AWS managed ${names.length > 1 ? "policies" : "policy"} ${names.join(", ")}.`);
            }
        });
    },
});
