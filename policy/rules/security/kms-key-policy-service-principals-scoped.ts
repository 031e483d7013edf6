// kms-key-policy-service-principals-scoped: service principals in a key policy are bound to this
// account's resources (confused deputy prevention), as role trust policies are.
import { T } from "../../lib/types";
import { isScoped, parsePolicyDocument, testedKeys } from "../../lib/iam";
import { resourceRule } from "../../lib/rule";
import { known } from "../../lib/values";

export const policy = resourceRule<{ exemptServices: string[] }>({
    name: "kms-key-policy-service-principals-scoped",
    pillar: "security",
    description: "Key policy statements that let an AWS service use the key bind it to this account's resources (aws:SourceAccount, aws:SourceArn or an encryption-context ARN naming the account).",
    rationale: "A service principal acts for every AWS customer: without a condition on the source, another account can make the service (SNS, CloudWatch, Logs) use this key on its behalf (the cross-service confused deputy problem). kms:ViaService does not help: it names the service, not the account.",
    anchors: ["IAM docs: The confused deputy problem (cross-service confused deputy prevention)", "AWS KMS docs: Key policies, aws:SourceAccount and aws:SourceArn", "Checkov CKV_AWS_33"],
    satisfy: "Add Condition StringEquals aws:SourceAccount = this account (or ArnLike aws:SourceArn with this account's ARNs) to every statement whose Principal is a Service; for CloudWatch Logs an ArnLike kms:EncryptionContext:aws:logs:arn = arn:aws:logs:<region>:<account>:log-group:* binds the account too (RegionKey does both kinds).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            exemptServices: {
                type: "array", items: { type: "string" }, default: [],
                description: "Service principals that send no source context to KMS (only with a documented reason).",
            },
        },
    },
}, {
    types: [T.key, T.keyPolicy, T.replicaKey],
    check: ({ props, config, report }) => {
        const document = known(props, "policy");
        if (document === undefined) {
            return;
        }
        const doc = parsePolicyDocument(document);
        if (!doc.ok) {
            report(`The key policy cannot be read: ${doc.error}.`);
            return;
        }
        for (const s of doc.statements) {
            const services = (s.principals?.service ?? []).filter((p) => !config.exemptServices.includes(p));
            if (s.effect !== "Allow" || services.length === 0) {
                continue;
            }
            if (!isScoped(s, ["source"])) {
                const tested = testedKeys(s);
                report(`Statement ${s.sid} lets ${services.join(", ")} use the key for any account${tested.length > 0 ? ` (its conditions on ${tested.join(", ")} do not bind the source account)` : ""}: add aws:SourceAccount or aws:SourceArn.`);
            }
        }
    },
});
