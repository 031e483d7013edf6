import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { key, TY } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "kms-no-lockout-bypass",
    cases: [
        pass("the region key", key()),
        fail("bypass on the key", "key", edit(key(), "key", (p) => ({ ...p, bypassPolicyLockoutSafetyCheck: true }))),
        fail("bypass on a KeyPolicy", "key-policy", [{ type: TY.keyPolicy, name: "key-policy", inputs: { keyId: "k", policy: "{}", bypassPolicyLockoutSafetyCheck: true } }]),
        fail("bypass on a multi-Region replica", "replica", [{ type: TY.replicaKey, name: "replica", inputs: { primaryKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-1", bypassPolicyLockoutSafetyCheck: true } }]),
    ],
};
