// iam-trust-policy-scoped: who may assume a role is named, and services are bound to this account.
import { T } from "../../lib/types";
import { admitsAnyone, isScoped, parsePolicyDocument, statementCovers, testedKeys } from "../../lib/iam";
import { ASSUME_ACTIONS } from "../../lib/identity";
import { resourceRule } from "../../lib/rule";
import { known } from "../../lib/values";

export const policy = resourceRule<{ requireSourceCondition: boolean }>({
    name: "iam-trust-policy-scoped",
    pillar: "security",
    description: "Role trust policies name who may assume the role; service principals are bound to this account by a condition that really scopes (no confused deputy).",
    rationale: "A trust statement for a service (lambda.amazonaws.com) without aws:SourceAccount / aws:SourceArn lets that service assume the role on behalf of any AWS customer; a condition with a wildcard value, an IfExists or negated operator, or on a key that names no account (kms:ViaService) scopes nothing.",
    anchors: ["Checkov CKV_AWS_60", "Checkov CKV_AWS_61", "IAM docs: The confused deputy problem (cross-service confused deputy prevention)"],
    satisfy: "Trust one named principal per role (e.g. Service lambda.amazonaws.com) with Condition StringEquals aws:SourceAccount = this account (or ArnLike aws:SourceArn naming it), as serviceTrustPolicy does. Federated principals need a condition on the token's audience or subject.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            requireSourceCondition: { type: "boolean", default: true, description: "Require an account-binding aws:SourceAccount / aws:SourceArn / aws:SourceOrgID condition on statements trusting AWS services." },
        },
    },
}, {
    types: [T.role],
    check: ({ props, config, report }) => {
        const doc = parsePolicyDocument(known(props, "assumeRolePolicy"));
        if (!doc.ok) {
            report(`The trust policy cannot be read: ${doc.error}.`);
            return;
        }
        for (const s of doc.statements) {
            if (s.effect !== "Allow" || !ASSUME_ACTIONS.some((a) => statementCovers(s, a))) {
                continue;
            }
            if (admitsAnyone(s) && !isScoped(s, ["principal", "source"])) {
                report(`Statement ${s.sid} lets any principal assume the role.`);
                continue;
            }
            const services = s.principals?.service ?? [];
            if (config.requireSourceCondition && services.length > 0 && !isScoped(s, ["source"])) {
                const tested = testedKeys(s);
                report(`Statement ${s.sid} lets ${services.join(", ")} assume the role for any account${tested.length > 0 ? ` (its conditions on ${tested.join(", ")} do not bind the source account)` : ""}: add aws:SourceAccount or aws:SourceArn.`);
            }
            if ((s.principals?.federated ?? []).length > 0 && Object.keys(s.conditions).length === 0) {
                report(`Statement ${s.sid} trusts ${s.principals!.federated.join(", ")} without a condition on the token's audience or subject.`);
            }
        }
    },
});
