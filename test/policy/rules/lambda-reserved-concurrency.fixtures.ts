import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "lambda-reserved-concurrency",
    cases: [
        pass("reserved", program()),
        fail("not set", "api", edit(program(), "api", (p) => ({ ...p, reservedConcurrentExecutions: undefined }))),
        fail("-1 (unreserved)", "ingest", edit(program(), "ingest", (p) => ({ ...p, reservedConcurrentExecutions: -1 }))),
        fail("0 throttles everything", "canary", edit(program(), "canary", (p) => ({ ...p, reservedConcurrentExecutions: 0 }))),
    ],
};
