import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

// The listing is advisory: it never blocks. Raised to mandatory (a team that wants every exemption
// approved in review), each accepted exemption blocks on the resource that carries it.
const strict = { "policy-exemptions": "mandatory" };

export const fixtures: RuleFixtures = {
    rule: "policy-exemptions",
    cases: [
        pass("a stack without exemptions lists nothing", program().map((r) => (r.name === "logs" ? { ...r, inputs: { ...r.inputs, tags: {} } } : r)), { config: strict }),
        fail("the log bucket's exemptions, listed (mandatory by configuration)", "logs", program(), { config: strict }),
        fail("a function exempted from arm64, listed", "api", edit(program(), "api", (p) => ({ ...p, tags: { "tandem:policy-exempt:lambda-arm64": "a native x86 dependency until the vendor ships arm64" } })), { config: strict }),
    ],
};
