// npm run mutate [-- --only <name-substring>]
// The policy mutation suite alone: injects each named defect into the real program, runs the policy
// pack on the mutated stack (served and driven as the Pulumi engine drives it) and checks that the
// rule the mutation targets reports a mandatory violation. One line per mutation, then
// `mutation score: K/N`; exits non-zero if any mutation survives.
import { MUTATIONS, runMutations } from "./mutations";
import { PolicyHost } from "../../tools/engine/policyHost";

async function main(): Promise<number> {
    const argv = process.argv.slice(2);
    const onlyAt = argv.indexOf("--only");
    const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
    const mutations = MUTATIONS.filter((m) => only === undefined || m.name.includes(only) || m.rule.includes(only));
    if (mutations.length === 0) {
        throw new Error(`no mutation matches ${JSON.stringify(only)}`);
    }
    const host = await PolicyHost.start();
    try {
        const width = Math.max(...mutations.map((m) => m.name.length));
        const results = await runMutations(host, mutations, (r) => {
            const m = r.mutation;
            console.log(`${r.killed ? "killed  " : "SURVIVED"}  ${m.name.padEnd(width)}  [${m.stack}${m.preview ? ", preview" : ""}] ${m.rule}: ${r.detail}`);
        });
        const killed = results.filter((r) => r.killed).length;
        console.log(`mutation score: ${killed}/${results.length}`);
        return killed === results.length ? 0 : 1;
    } finally {
        await host.stop();
    }
}

main().then((code) => process.exit(code), (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
