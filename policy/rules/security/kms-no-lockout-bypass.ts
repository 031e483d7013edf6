// kms-no-lockout-bypass: keys keep the policy lockout safety check.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { known } from "../../lib/values";

export const policy = resourceRule({
    name: "kms-no-lockout-bypass",
    pillar: "security",
    description: "KMS keys keep the policy lockout safety check (bypassPolicyLockoutSafetyCheck is never true).",
    rationale: "The safety check refuses a key policy that would lock out the principal setting it; bypassing it can leave a key nobody can administer, and every object encrypted with it unmanageable.",
    anchors: ["AWS KMS docs: Default key policy (BypassPolicyLockoutSafetyCheck)", "Well-Architected SEC08-BP01"],
    satisfy: "Leave bypassPolicyLockoutSafetyCheck unset or false on the Key (and on any KeyPolicy or ReplicaKey).",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    types: [T.key, T.keyPolicy, T.replicaKey],
    check: ({ props, report }) => {
        if (known(props, "bypassPolicyLockoutSafetyCheck") === true) {
            report("bypassPolicyLockoutSafetyCheck is true: KMS would accept a policy that locks every administrator out of the key.");
        }
    },
});
