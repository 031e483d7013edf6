import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "lambda-tracing-active",
    cases: [
        pass("Active", program()),
        fail("PassThrough", "ingest", edit(program(), "ingest", (p) => ({ ...p, tracingConfig: { mode: "PassThrough" } }))),
        fail("left out", "api", edit(program(), "api", (p) => ({ ...p, tracingConfig: undefined }))),
    ],
};
