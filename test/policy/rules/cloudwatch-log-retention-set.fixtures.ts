import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "cloudwatch-log-retention-set",
    cases: [
        pass("30 days", program()),
        fail("0 (never expire)", "ingest-logs", edit(program(), "ingest-logs", (p) => ({ ...p, retentionInDays: 0 }))),
        fail("left out", "api-logs", edit(program(), "api-logs", (p) => ({ ...p, retentionInDays: undefined }))),
        fail("above a configured maximum", "canary-logs", edit(program(), "canary-logs", (p) => ({ ...p, retentionInDays: 3653 })), { config: { "cloudwatch-log-retention-set": { maximumDays: 400 } } }),
    ],
};
