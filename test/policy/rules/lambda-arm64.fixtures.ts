import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "lambda-arm64",
    cases: [
        pass("arm64", program()),
        fail("x86_64", "api", edit(program(), "api", (p) => ({ ...p, architectures: ["x86_64"] }))),
        fail("left out (Lambda defaults to x86_64)", "ingest", edit(program(), "ingest", (p) => ({ ...p, architectures: undefined }))),
    ],
};
