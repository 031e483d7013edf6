// Per-rule fixtures, run in-process through each rule as the engine runs it (test/policy/harness):
// every rule has test/policy/rules/<rule>.fixtures.ts with at least one passing and two failing
// cases, and each failing case must be a mandatory violation on the resource it names.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policy/rules";
import { runPolicies, withPropertiesUnchanged } from "./harness/engine";
import { build } from "./harness/dsl";
import { loadRuleFixtures, runFixture } from "./harness/fixtures";
import { program } from "./harness/scaffold";

const RULES_DIR = path.join(__dirname, "..", "..", "policy", "rules");
const all = loadRuleFixtures();

describe("per-rule fixtures", () => {
    describe("the fixtures themselves", () => {
        it("every rule has a fixtures file named after it, with at least one passing and two failing cases", () => {
            const problems: string[] = [];
            for (const p of policies) {
                const f = all.find((x) => x.rule === p.name);
                if (!f) {
                    problems.push(`${p.name}: no test/policy/rules/${p.name}.fixtures.ts`);
                    continue;
                }
                if (f.file !== `${p.name}.fixtures.ts`) {
                    problems.push(`${p.name}: its fixtures are in ${f.file}`);
                }
                const passes = f.cases.filter((c) => c.expect === "pass").length;
                const fails = f.cases.filter((c) => c.expect !== "pass").length;
                if (passes < 1 || fails < 2) {
                    problems.push(`${p.name}: ${passes} passing and ${fails} failing cases (at least 1 and 2)`);
                }
            }
            assert.deepEqual(problems, []);
        });

        it("every fixtures file is for a rule of the pack, and case names are unique within it", () => {
            const names = new Set(policies.map((p) => p.name));
            assert.deepEqual(all.filter((f) => !names.has(f.rule)).map((f) => f.file), []);
            for (const f of all) {
                assert.equal(new Set(f.cases.map((c) => c.name)).size, f.cases.length, f.file);
            }
        });

        it("every rule is one file named after it, in its pillar's folder", () => {
            for (const p of policies) {
                const file = path.join(RULES_DIR, p.doc.pillar, `${p.name}.ts`);
                assert.ok(fs.existsSync(file), `${p.name} should be policy/rules/${p.doc.pillar}/${p.name}.ts`);
                assert.ok(fs.readFileSync(file, "utf8").includes(`"${p.name}"`) || p.name.startsWith("policy-exemption"), `${file} declares ${p.name}`);
            }
        });

        it("the compliant scaffold the fixtures start from passes the whole pack, as primary and as standby", async () => {
            for (const role of ["primary", "standby"] as const) {
                const report = await runPolicies(policies, build(program(role)));
                assert.deepEqual(report.violations.filter((v) => v.policy !== "policy-exemptions"), [], role);
            }
        });
    });

    for (const f of all) {
        describe(f.rule, () => {
            for (const c of f.cases) {
                it(`${c.expect === "pass" ? "passes" : `fails on ${c.expect.fail}`}: ${c.name}${c.preview ? " (preview)" : ""}`, async () => {
                    // The rule must also leave its props as they were (the served pack shares them between rules).
                    const result = await withPropertiesUnchanged(() => runFixture(f.rule, c));
                    assert.ok(result.ok, result.detail);
                });
            }
        });
    }
});
