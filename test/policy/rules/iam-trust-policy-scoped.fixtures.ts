import { editJson } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { ACCOUNT, program } from "../harness/scaffold";

const setTrust = (change: (s: any) => any) => editJson(program(), "api-role", "assumeRolePolicy", (d) => ({ ...d, Statement: d.Statement.map(change) }));

export const fixtures: RuleFixtures = {
    rule: "iam-trust-policy-scoped",
    cases: [
        pass("the program's roles (aws:SourceAccount)", program()),
        // IAM User Guide, "The confused deputy problem": ArnLike aws:SourceArn with the account in it.
        pass("aws:SourceArn naming this account", setTrust((s) => ({ ...s, Condition: { ArnLike: { "aws:SourceArn": `arn:aws:lambda:us-east-1:${ACCOUNT}:function:*` } } }))),
        fail("no condition", "api-role", setTrust(({ Condition: _c, ...s }) => s)),
        fail("a wildcard aws:SourceAccount", "api-role", setTrust((s) => ({ ...s, Condition: { StringLike: { "aws:SourceAccount": "*" } } }))),
        fail("a negated operator", "api-role", setTrust((s) => ({ ...s, Condition: { StringNotEquals: { "aws:SourceAccount": "999999999999" } } }))),
        fail("IfExists", "api-role", setTrust((s) => ({ ...s, Condition: { StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } } }))),
        fail("a condition on a key that names no account", "api-role", setTrust((s) => ({ ...s, Condition: { StringEquals: { "kms:ViaService": "lambda.us-east-1.amazonaws.com" } } }))),
        fail("an ARN with a wildcard account", "api-role", setTrust((s) => ({ ...s, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:lambda:us-east-1:*:function:*" } } }))),
        fail("anyone", "api-role", setTrust((s) => ({ ...s, Principal: { AWS: "*" }, Condition: undefined }))),
    ],
};
