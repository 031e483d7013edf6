// npm run mutate [-- --only <substring>] [-- --host]
// The policy negative suite: every failing per-rule fixture (test/policy/rules/<rule>.fixtures.ts)
// and every whole-program mistake (test/policy/mutations.ts) must be caught by the rule it names,
// with a mandatory violation on the resource it names. Both run in-process, exactly as the engine
// runs the pack (test/policy/harness); --host runs the whole-program cases through the pack served
// over gRPC instead (mutations.test.ts checks that both give the same verdicts). One line per case,
// then `mutation score: K/N`; exits non-zero if any case survives.
import { loadRuleFixtures, runFixture } from "./harness/fixtures";
import { caseInventory, MUTATIONS, runMutations, verdict } from "./mutations";
import { Io, parseCommandArgs, runCli } from "../../tools/cli";
import { PolicyHost } from "../../tools/engine/policyHost";

const SPEC = {
    usage: [
        "usage: npm run mutate [-- --only <substring>] [--host]",
        "  --only   only the cases whose name or rule contains this",
        "  --host   run the whole-program cases through the pack served over gRPC",
    ].join("\n"),
    options: { only: { type: "string" }, host: { type: "boolean" } },
} as const;

export async function mutate(argv: string[], io: Io): Promise<number> {
    const args = parseCommandArgs(argv, SPEC);
    if (args.help) {
        io.out(SPEC.usage);
        return 0;
    }
    const only = args.only;
    const useHost = args.host === true;
    const matches = (...names: string[]) => only === undefined || names.some((n) => n.includes(only));
    const line = (killed: boolean, kind: string, name: string, rule: string, detail: string) =>
        io.out(`${killed ? "killed  " : "SURVIVED"}  ${kind.padEnd(8)} ${name}  [${rule}] ${detail}`);
    let killed = 0;
    let total = 0;
    const started = Date.now();

    for (const f of loadRuleFixtures()) {
        for (const c of f.cases.filter((x) => x.expect !== "pass" && matches(f.rule, x.name))) {
            const r = await runFixture(f.rule, c);
            total++;
            killed += r.ok ? 1 : 0;
            line(r.ok, "fixture", `${f.rule}: ${c.name}${c.preview ? " (preview)" : ""}`, f.rule, r.detail);
        }
    }
    const fixtureSeconds = (Date.now() - started) / 1000;

    const cases = MUTATIONS.filter((m) => matches(m.name, m.rule));
    const programStarted = Date.now();
    if (useHost) {
        const host = await PolicyHost.start();
        try {
            for (const m of cases) {
                const v = verdict(m, (await host.run(await caseInventory(m))).violations);
                total++;
                killed += v.killed ? 1 : 0;
                line(v.killed, "program", `${m.name} [${m.stack}${m.preview ? ", preview" : ""}]`, m.rule, v.detail);
            }
        } finally {
            await host.stop();
        }
    } else {
        await runMutations(cases, (r) => {
            const m = r.mutation;
            total++;
            killed += r.killed ? 1 : 0;
            line(r.killed, "program", `${m.name} [${m.stack}${m.preview ? ", preview" : ""}]`, m.rule, r.detail);
        });
    }
    if (total === 0) {
        throw new Error(`no case matches ${JSON.stringify(only)}`);
    }
    io.out(`fixtures: ${fixtureSeconds.toFixed(1)} s; whole-program cases (${useHost ? "served pack" : "in-process"}): ${((Date.now() - programStarted) / 1000).toFixed(1)} s`);
    io.out(`mutation score: ${killed}/${total}`);
    return killed === total ? 0 : 1;
}

runCli(module, mutate);
