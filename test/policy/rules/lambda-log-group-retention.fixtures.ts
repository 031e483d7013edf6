import { drop, edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "lambda-log-group-retention",
    cases: [
        pass("each function's log group, named in loggingConfig, 30 days", program()),
        pass("the default /aws/lambda/<name> group without loggingConfig", edit(program(), "api", (p) => ({ ...p, loggingConfig: undefined }))),
        fail("the log group removed", "canary", drop(program(), "canary-logs")),
        fail("7 days", "api-logs", edit(program(), "api-logs", (p) => ({ ...p, retentionInDays: 7 }))),
        fail("never expires", "ingest-logs", edit(program(), "ingest-logs", (p) => ({ ...p, retentionInDays: 0 }))),
        fail("loggingConfig names the group by its ARN", "api", edit(program(), "api", (p) => ({ ...p, loggingConfig: { logFormat: "Text", logGroup: ref("api-logs", "arn") } }))),
        fail("loggingConfig names a group the program does not create", "ingest", edit(program(), "ingest", (p) => ({ ...p, loggingConfig: { logFormat: "Text", logGroup: "/tandem/ingest" } }))),
    ],
};
