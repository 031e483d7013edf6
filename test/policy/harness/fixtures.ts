// Per-rule fixtures, in the shape of serverless-rules' `<id>-<case>.pass|fail` templates and
// pulumi/compliance-policies' per-rule specs: each rule has a file test/policy/rules/<rule>.fixtures.ts
// listing small resource lists that must pass, and others that must fail with a mandatory violation
// on one named resource.
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../../policy/rules";
import { EngineReport, EngineViolation, runPolicies } from "./engine";
import { build, Res, urnOf } from "./dsl";

export interface FixtureCase {
    name: string;
    resources: Res[];
    /** Policy pack config (levels and settings), as --policy-pack-config takes it. */
    config?: Record<string, unknown>;
    /** Built as a first preview: every `outputs` attribute unknown. */
    preview?: boolean;
    /** "pass", or the name of the resource that must carry a mandatory violation. */
    expect: "pass" | { fail: string };
    /** For a passing preview case: the rule may defer (the engine's advisory), but must not fail. */
    mayDefer?: boolean;
}

export interface RuleFixtures {
    rule: string;
    cases: FixtureCase[];
}

export function pass(name: string, resources: Res[], extra: Partial<FixtureCase> = {}): FixtureCase {
    return { name, resources, expect: "pass", ...extra };
}

export function fail(name: string, resource: string, resources: Res[], extra: Partial<FixtureCase> = {}): FixtureCase {
    return { name, resources, expect: { fail: resource }, ...extra };
}

export interface FixtureResult {
    ok: boolean;
    detail: string;
    violations: EngineViolation[];
}

/** Runs one case through the rule alone, in-process, as the engine would. */
export async function runFixture(rule: string, c: FixtureCase): Promise<FixtureResult> {
    if (!policies.some((p) => p.name === rule)) {
        return { ok: false, detail: `the pack has no rule ${rule}`, violations: [] };
    }
    let report: EngineReport;
    try {
        const resources = build(c.resources, { preview: c.preview });
        report = await runPolicies(policies, resources, { config: c.config, only: [rule] });
    } catch (e) {
        return { ok: false, detail: `the rule threw: ${e instanceof Error ? e.stack ?? e.message : String(e)}`, violations: [] };
    }
    const mine = report.violations.filter((v) => v.policy === rule);
    const show = (vs: EngineViolation[]) => vs.map((v) => `${v.level} ${v.urn.split("::").pop()}: ${v.message}`).join(" | ") || "nothing";
    if (c.expect === "pass") {
        const failing = mine.filter((v) => !(c.mayDefer && v.level === "advisory" && v.message.includes("during preview")));
        return { ok: failing.length === 0, detail: failing.length === 0 ? "passes" : `expected no violation, got ${show(failing)}`, violations: mine };
    }
    const target = c.resources.find((r) => r.name === (c.expect as { fail: string }).fail);
    if (!target) {
        return { ok: false, detail: `the case names no resource ${c.expect.fail}`, violations: mine };
    }
    const urn = urnOf(target.type, target.name);
    const hit = mine.find((v) => v.level === "mandatory" && v.urn === urn);
    return {
        ok: hit !== undefined,
        detail: hit ? hit.message.split("\n")[0] : `expected a mandatory violation on ${target.name}, got ${show(mine)}`,
        violations: mine,
    };
}

/** Where each rule's fixtures live: test/policy/rules/<rule>.fixtures.ts. */
export const FIXTURES_DIR = path.join(__dirname, "..", "rules");

/** Every fixtures file, with the file it came from. */
export function loadRuleFixtures(): (RuleFixtures & { file: string })[] {
    return fs.readdirSync(FIXTURES_DIR)
        .filter((f) => f.endsWith(".fixtures.ts"))
        .sort()
        .map((f) => ({ ...(require(path.join(FIXTURES_DIR, f)) as { fixtures: RuleFixtures }).fixtures, file: f }));
}
