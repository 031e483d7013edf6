import { editJson } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const setApi = (sid: string, change: (s: any) => any) => editJson(program(), "api-policy", "policy", (d) => ({ ...d, Statement: d.Statement.map((s: any) => (s.Sid === sid ? change(s) : s)) }));

export const fixtures: RuleFixtures = {
    rule: "iam-no-wildcard-action",
    cases: [
        pass("named actions (the program, AWS's documented SSE-KMS replication role included)", program()),
        pass("a read-only wildcard (every s3:Get* action is Read)", setApi("ReadDocuments", (s) => ({ ...s, Action: "s3:Get*" }))),
        fail("s3:Put* (grants PutBucketPolicy, not only PutObject)", "api-policy", setApi("WriteDocuments", (s) => ({ ...s, Action: "s3:Put*" }))),
        fail("s3:*", "api-policy", setApi("ListDocuments", (s) => ({ ...s, Action: "s3:*" }))),
        fail("\"*\"", "api-policy", setApi("ListDocuments", (s) => ({ ...s, Action: "*" }))),
        fail("NotAction", "api-policy", setApi("ListDocuments", ({ Action: _a, ...s }) => ({ ...s, NotAction: "iam:*" }))),
        fail("a mid-name wildcard reaching write and permissions management (kms:*Key*)", "api-policy", setApi("UseRegionKey", (s) => ({ ...s, Action: "kms:*Key*" }))),
        fail("case does not hide a wildcard (S3:PUT*)", "api-policy", setApi("WriteDocuments", (s) => ({ ...s, Action: "S3:PUT*" }))),
        fail("a wildcard spanning the service prefix (*Object)", "api-policy", setApi("ReadDocuments", (s) => ({ ...s, Action: "*Object" }))),
    ],
};
