import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { key, TY } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "kms-deletion-window",
    cases: [
        pass("30 days", key()),
        pass("no window given (KMS uses 30)", edit(key(), "key", (p) => ({ ...p, deletionWindowInDays: undefined }))),
        fail("7 days", "key", edit(key(), "key", (p) => ({ ...p, deletionWindowInDays: 7 }))),
        fail("a multi-Region replica with 10 days", "replica", [{ type: TY.replicaKey, name: "replica", inputs: { primaryKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-1", deletionWindowInDays: 10 } }]),
        fail("below a configured minimum", "key", edit(key(), "key", (p) => ({ ...p, deletionWindowInDays: 20 })), { config: { "kms-deletion-window": { minimumDays: 21 } } }),
    ],
};
