// The whole-program negative suite (npm run mutate): every realistic mistake injected into the real
// program is caught by the rule it names, with a mandatory violation on the resource it names; and
// the in-process run the suite uses gives the very verdicts of the pack served over gRPC as the
// engine drives it (checked on a sample of every kind of case).
import { strict as assert } from "assert";
import { policies } from "../../policy/rules";
import { evaluateStack } from "../../tools/engine/evaluate";
import type { PolicyHost } from "../../tools/engine/policyHost";
import { evaluatedStack } from "../support/evaluatedStacks";
import { assertSameRegistrations } from "../support/inventory";
import { sharedPolicyHost } from "../support/policyHost";
import { runPolicies } from "./harness/engine";
import { engineResources, STACK_TAGS } from "./harness/inventory";
import { loadRuleFixtures } from "./harness/fixtures";
import { CaseClass, caseInventory, MUTATIONS, MutationResult, runMutations, verdict } from "./mutations";

const CLASSES: CaseClass[] = ["relations", "wildcards", "conditions", "roles", "new rules", "exemptions"];

/**
 * Cases run through the served pack too, one of each way a case reaches the pack (what marshalling can
 * get wrong; the rules' logic is the same code in both runs): the first case of each stack, the first
 * preview (unknown values), the first through the program's code path, the first that changes the
 * stack configuration, and the first exemption (read from tags).
 */
function hostSample() {
    const seen = new Set<string>();
    return MUTATIONS.filter((m) => {
        const keys = [m.stack, ...(m.preview ? ["preview"] : []), ...(m.transformations ? ["program"] : []), ...(m.config ? ["config"] : []), ...(m.class === "exemptions" ? ["exemptions"] : [])];
        const pick = keys.some((k) => !seen.has(k));
        keys.forEach((k) => seen.add(k));
        return pick;
    });
}

const comparable = (vs: { policy: string; level: string; urn: string; message: string }[]) => vs
    .filter((v) => v.policy !== "policy-exemptions")
    .map((v) => `${v.policy} ${v.level} ${v.urn} ${v.message}`)
    .sort();

describe("whole-program negative suite", function () {
    let results: MutationResult[] = [];

    before(async function () {
        this.timeout(600_000);
        results = await runMutations(MUTATIONS);
    });

    it("has uniquely named cases, each targeting a rule of the pack, covering every class of mistake", () => {
        assert.equal(new Set(MUTATIONS.map((m) => m.name)).size, MUTATIONS.length);
        const names = new Set(policies.map((p) => p.name));
        assert.deepEqual(MUTATIONS.filter((m) => !names.has(m.rule)).map((m) => m.name), []);
        assert.deepEqual(CLASSES.filter((c) => !MUTATIONS.some((m) => m.class === c)), []);
        assert.ok(MUTATIONS.some((m) => m.preview) && MUTATIONS.some((m) => m.transformations) && MUTATIONS.some((m) => m.config));
    });

    it("every rule that can block has a negative case, in its fixtures or in the program", () => {
        const fixtures = loadRuleFixtures();
        const negative = new Set([...MUTATIONS.map((m) => m.rule), ...fixtures.filter((f) => f.cases.some((c) => c.expect !== "pass")).map((f) => f.rule)]);
        assert.deepEqual(policies.map((p) => p.name).filter((n) => !negative.has(n)), []);
    });

    for (const m of MUTATIONS) {
        it(`${m.name} → ${m.rule} on ${m.flags[1]} [${m.stack}${m.preview ? ", preview" : ""}]`, () => {
            const r = results.find((x) => x.mutation === m);
            assert.ok(r, "the suite ran it");
            assert.ok(r.killed, `${m.description}: ${r.detail}`);
        });
    }

    describe("the served pack gives the same verdicts as the in-process run", function () {
        let host: PolicyHost;
        before(async function () {
            this.timeout(120_000);
            host = await sharedPolicyHost();
        });

        for (const m of hostSample()) {
            it(`${m.name} [${m.class}]`, async function () {
                this.timeout(120_000);
                const inv = await caseInventory(m);
                const served = await host.run(inv);
                const inProcess = await runPolicies(policies, engineResources(inv), { stackTags: STACK_TAGS });
                assert.deepEqual(comparable(inProcess.violations), comparable(served.violations));
                assert.ok(verdict(m, served.violations).killed, `not caught through the served pack: ${verdict(m, served.violations).detail}`);
            });
        }
    });

    it("evaluating without stack traces (the default) records the same stack as with them", async () => {
        const normal = await evaluateStack("dr", { stackTraces: true });
        const quick = await evaluatedStack("dr");
        assertSameRegistrations(quick, normal);
    });
});
