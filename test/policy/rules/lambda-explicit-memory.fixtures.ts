import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "lambda-explicit-memory",
    cases: [
        pass("explicit", program()),
        fail("not set on ingest", "ingest", edit(program(), "ingest", (p) => ({ ...p, memorySize: undefined }))),
        fail("not set on the api", "api", edit(program(), "api", (p) => ({ ...p, memorySize: undefined }))),
    ],
};
