// kms-key-policy-no-public-principal: no key use for "*" unless a condition binds the caller's account.
import { T } from "../../lib/types";
import { admitsAnyone, isScoped, parsePolicyDocument, testedKeys } from "../../lib/iam";
import { resourceRule } from "../../lib/rule";
import { known } from "../../lib/values";

export const policy = resourceRule({
    name: "kms-key-policy-no-public-principal",
    pillar: "security",
    description: "KMS key policies grant nothing to a wildcard principal unless a condition binds the caller to known accounts.",
    rationale: "A key policy statement for \"*\" lets any AWS account use the key; kms:ViaService alone only says which service carried the call (anyone's S3 request comes via S3), so only an account-binding condition (kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount) keeps the key private.",
    anchors: ["Checkov CKV_AWS_33", "Security Hub KMS.5", "IAM Access Analyzer CheckNoPublicAccess"],
    satisfy: "Name principals in the key policy: the account root (delegation to IAM), roles, or AWS services. A statement for \"*\" (as in AWS managed keys' policies) needs StringEquals kms:CallerAccount = this account next to kms:ViaService.",
    enforcementLevel: "mandatory",
    severity: "critical",
}, {
    types: [T.key, T.keyPolicy, T.replicaKey],
    check: ({ props, report }) => {
        const document = known(props, "policy");
        if (document === undefined) {
            return; // The default key policy delegates to the account's IAM.
        }
        const doc = parsePolicyDocument(document);
        if (!doc.ok) {
            report(`The key policy cannot be read: ${doc.error}.`);
            return;
        }
        for (const s of doc.statements) {
            if (s.effect === "Allow" && admitsAnyone(s) && !isScoped(s, ["principal", "source"])) {
                const tested = testedKeys(s);
                report(`Statement ${s.sid} allows ${(s.actions ?? ["NotAction"]).join(", ")} to any principal${tested.length > 0 ? `; its conditions on ${tested.join(", ")} do not bind the caller to an account` : " without a condition on the caller"}.`);
            }
        }
    },
});
