import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "lambda-explicit-timeout",
    cases: [
        pass("explicit", program()),
        pass("a timeout computed elsewhere (unknown in a preview) is set", edit(program(), "api", (p) => ({ ...p, timeout: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }))),
        fail("not set on the api", "api", edit(program(), "api", (p) => ({ ...p, timeout: undefined }))),
        fail("not set on the canary", "canary", edit(program(), "canary", (p) => ({ ...p, timeout: undefined }))),
    ],
};
