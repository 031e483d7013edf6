import { edit, editJson, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const trust = (name: string, services: string[]) => editJson(program(), name, "assumeRolePolicy", (d) => ({ ...d, Statement: d.Statement.map((s: any) => ({ ...s, Principal: { Service: services.length === 1 ? services[0] : services } })) }));

export const fixtures: RuleFixtures = {
    rule: "iam-role-trust-matches-use",
    cases: [
        pass("each role trusted by its user's service", program()),
        pass("a preview", program(), { preview: true }),
        fail("the replication role trusted by Lambda", "replication-role", trust("replication-role", ["lambda.amazonaws.com"])),
        fail("the replication role trusted by S3 and Lambda", "replication-role", trust("replication-role", ["s3.amazonaws.com", "lambda.amazonaws.com"])),
        fail("a function's role trusted by S3", "api-role", trust("api-role", ["s3.amazonaws.com"])),
        fail("two functions share one role", "api-role", edit(program(), "ingest", (p) => ({ ...p, role: ref("api-role", "arn") }))),
        fail("the replication configuration uses a function's role", "api-role", edit(program(), "replication", (p) => ({ ...p, role: ref("api-role", "arn") }))),
        fail("a function given its role's name instead of its ARN", "canary", edit(program(), "canary", (p) => ({ ...p, role: ref("canary-role", "name") }))),
    ],
};
