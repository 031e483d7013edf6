import { editJson } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const addApi = (s: unknown) => editJson(program(), "api-policy", "policy", (d) => ({ ...d, Statement: [...d.Statement, { Effect: "Allow", Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1", ...(s as object) }] }));

export const fixtures: RuleFixtures = {
    rule: "iam-no-permissions-management",
    cases: [
        pass("the program", program()),
        pass("an allowed action, by configuration", addApi({ Action: "kms:CreateGrant" }), { config: { "iam-no-permissions-management": { allowedActions: ["kms:CreateGrant"] } } }),
        fail("s3:PutBucketPolicy named", "api-policy", addApi({ Action: "s3:PutBucketPolicy" })),
        fail("s3:Put* reaches PutBucketPolicy and PutBucketAcl", "api-policy", addApi({ Action: "s3:Put*" })),
        fail("kms:CreateGrant", "api-policy", addApi({ Action: "kms:CreateGrant" })),
        fail("iam:PutRolePolicy on its own role", "ingest-policy", editJson(program(), "ingest-policy", "policy", (d) => ({ ...d, Statement: [...d.Statement, { Effect: "Allow", Action: "iam:PutRolePolicy", Resource: "arn:aws:iam::123456789012:role/tandem-ingest-us-east-1" }] }))),
        fail("\"*\"", "api-policy", addApi({ Action: "*" })),
    ],
};
