// s3-no-public-policy: nothing is allowed to everyone unless a condition binds the caller.
import { PolicyResource } from "@pulumi/policy";
import { label } from "../../lib/graph";
import { admitsAnyone, isScoped, parsePolicyDocument, testedKeys } from "../../lib/iam";
import { stackRule } from "../../lib/rule";
import { BUCKET, bucketsOf, SIDE } from "../../lib/s3";
import { known } from "../../lib/values";

export const policy = stackRule({
    name: "s3-no-public-policy",
    pillar: "security",
    description: "S3 bucket policies allow nothing to everyone (Principal \"*\") unless a condition binds the caller to known accounts or networks, and allow AWS service principals only for this account's sources (aws:SourceAccount / aws:SourceArn).",
    rationale: "An Allow to \"*\" is public unless a condition narrows the caller; a condition that is present but does not bind the account (kms:ViaService, aws:SecureTransport, a wildcard aws:SourceAccount, an IfExists operator) still lets any AWS account in. A service principal (logging.s3.amazonaws.com) acts for every AWS customer, so without a source condition any account's buckets can write into this one (the confused deputy).",
    anchors: ["Checkov CKV_AWS_70", "Security Hub S3.2", "Security Hub S3.3", "IAM Access Analyzer CheckNoPublicAccess", "AWS S3 docs: Enabling server access logging (aws:SourceArn, aws:SourceAccount)"],
    satisfy: "Name principals in Allow statements (an account, a role) or add a condition that binds the caller: StringEquals aws:SourceAccount / aws:PrincipalAccount / aws:PrincipalOrgID with a concrete id, ArnLike aws:SourceArn with an ARN naming the account, or aws:SourceVpce. Statements for a service principal need aws:SourceAccount or aws:SourceArn (DocumentStore's log bucket statement has both kinds available).",
    enforcementLevel: "mandatory",
    severity: "critical",
}, {
    check: ({ graph, each, report }) => each([...graph.ofType(...SIDE.policy), ...graph.ofType(...BUCKET)], (r: PolicyResource) => {
        const document = known(r.props, "policy");
        if (document === undefined) {
            return;
        }
        const doc = parsePolicyDocument(document);
        if (!doc.ok) {
            report(r, `${label(r)}: ${doc.error}.`);
            return;
        }
        const target = BUCKET.includes(r.type) ? r : bucketsOf(graph, r)[0];
        for (const s of doc.statements) {
            if (s.effect === "Allow" && admitsAnyone(s) && !isScoped(s, ["source", "principal", "network"])) {
                const tested = testedKeys(s);
                report(r, `Statement ${s.sid} of ${label(r)} allows ${(s.actions ?? ["NotAction"]).join(", ")} to everyone on ${target ? label(target) : "the bucket"}${tested.length > 0 ? ` (its conditions on ${tested.join(", ")} do not bind the caller to an account)` : ""}.`);
            } else if (s.effect === "Allow" && (s.principals?.service ?? []).length > 0 && !isScoped(s, ["source"])) {
                report(r, `Statement ${s.sid} of ${label(r)} lets ${s.principals!.service.join(", ")} act on ${target ? label(target) : "the bucket"} for any account's resources: add aws:SourceAccount or aws:SourceArn.`);
            }
        }
    }),
});
