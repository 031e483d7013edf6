// The mutation suite (npm run mutate) as tests: every named defect injected into the real program is
// caught by the rule it targets; every rule is the target of at least one mutation, so every rule has
// a violating case as well as the compliant one the shipped stacks give.
import { strict as assert } from "assert";
import { policies } from "../../policy/rules";
import { EXEMPTIONS_LISTED } from "../../policy/lib/metadata";
import { evaluateStack } from "../../tools/engine/evaluate";
import { MUTATIONS, MutationResult, runMutations } from "./mutations";
import { PolicyHost } from "../../tools/engine/policyHost";
import { listed } from "./helpers";

describe("mutation suite: each defect is caught by the rule it targets", function () {
    let host: PolicyHost;
    let results: MutationResult[] = [];

    before(async function () {
        this.timeout(600_000);
        host = await PolicyHost.start();
        results = await runMutations(host, MUTATIONS);
    });
    after(async () => host?.stop());

    it("has at least 30 uniquely named mutations, each targeting a rule of the pack", () => {
        assert.ok(MUTATIONS.length >= 30, `${MUTATIONS.length} mutations`);
        assert.equal(new Set(MUTATIONS.map((m) => m.name)).size, MUTATIONS.length);
        const names = new Set(policies.map((p) => p.name));
        assert.deepEqual(MUTATIONS.filter((m) => !names.has(m.rule)).map((m) => m.rule), []);
    });

    it("targets every rule (the exemption list excepted: it never reports a violation)", () => {
        const targeted = new Set(MUTATIONS.map((m) => m.rule));
        assert.deepEqual(policies.map((p) => p.name).filter((n) => n !== EXEMPTIONS_LISTED && !targeted.has(n)), []);
    });

    for (const m of MUTATIONS) {
        it(`${m.name} → ${m.rule}`, () => {
            const r = results.find((x) => x.mutation === m);
            assert.ok(r, "the suite ran it");
            assert.ok(r.killed, `${m.description}: ${r.detail}\n${listed(r.report.violations)}`);
        });
    }

    it("evaluating without stack traces (the default) records the same stack as with them", async () => {
        const normal = await evaluateStack("dr", { stackTraces: true });
        const quick = await evaluateStack("dr");
        const view = (inv: typeof normal) => new Map(inv.resources.map((r) => [r.urn, JSON.stringify([
            r.serializedInputs.toJavaScript(), r.serializedState.toJavaScript(), r.propertyDependencies, [...r.dependencies].sort(), r.provider, r.parent, r.options,
        ])]));
        assert.deepEqual(view(quick), view(normal));
    });
});
