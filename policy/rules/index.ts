// Every rule of the pack, without constructing the pack: the entry point (../index.ts), the offline
// runner and the tests all take them from here.
import { ANCHOR_TAG, PILLAR_TAG } from "../lib/metadata";
import { RuleDoc, TandemPolicy } from "../lib/rule";
import { costPolicies } from "./cost";
import { exemptionPolicies } from "./exemptions";
import { operationsPolicies } from "./operations";
import { performancePolicies } from "./performance";
import { reliabilityPolicies } from "./reliability";
import { encryptionPolicies } from "./security/encryption";
import { iamPolicies } from "./security/iam";
import { kmsPolicies } from "./security/kms";
import { lambdaSecurityPolicies } from "./security/lambda";
import { s3Policies } from "./security/s3";

const rules: TandemPolicy[] = [
    ...s3Policies,
    ...kmsPolicies,
    ...encryptionPolicies,
    ...lambdaSecurityPolicies,
    ...iamPolicies,
    ...reliabilityPolicies,
    ...operationsPolicies,
    ...performancePolicies,
    ...costPolicies,
];

/** The pack's policies, in report order; the last two are about exemptions themselves. */
export const policies: TandemPolicy[] = [...rules, ...exemptionPolicies(rules.map((r) => r.name))];

/** The documentation of each rule, as RuleDoc (the README table is generated from it). */
export function ruleDocs(): RuleDoc[] {
    return policies.map((p) => ({
        name: p.name,
        pillar: p.tags.find((t) => t.startsWith(PILLAR_TAG))!.slice(PILLAR_TAG.length) as RuleDoc["pillar"],
        description: p.description,
        anchors: p.tags.filter((t) => t.startsWith(ANCHOR_TAG)).map((t) => t.slice(ANCHOR_TAG.length)),
        satisfy: p.remediationSteps,
        enforcementLevel: p.enforcementLevel!,
        severity: p.severity!,
        configSchema: p.configSchema,
    }));
}
