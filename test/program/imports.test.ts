// The program's modules import one another without cycles: each component file can be read, tested
// and reused on its own, and a change to one never loops back into itself through another.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../tools/engine/evaluate";

/** The program's own modules (index.ts and infra/), each with the program modules it imports. */
function importGraph(): Map<string, string[]> {
    const files = ["index.ts", ...fs.readdirSync(path.join(ROOT, "infra")).filter((f) => f.endsWith(".ts")).map((f) => `infra/${f}`)];
    const graph = new Map<string, string[]>();
    for (const file of files) {
        const text = fs.readFileSync(path.join(ROOT, file), "utf8");
        const imported = [...text.matchAll(/^import[^;]*?from "(\.[^"]+)";/gms)]
            .map((m) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), m[1])) + ".ts")
            .filter((f) => files.includes(f));
        graph.set(file, imported);
    }
    return graph;
}

/** One import cycle, as the list of modules around it, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, trail: string[]): string[] | undefined => {
        if (state.get(file) === "open") {
            return [...trail.slice(trail.indexOf(file)), file];
        }
        if (state.get(file) === "done") {
            return undefined;
        }
        state.set(file, "open");
        for (const next of graph.get(file) ?? []) {
            const cycle = visit(next, [...trail, file]);
            if (cycle) {
                return cycle;
            }
        }
        state.set(file, "done");
        return undefined;
    };
    for (const file of graph.keys()) {
        const cycle = visit(file, []);
        if (cycle) {
            return cycle;
        }
    }
    return undefined;
}

describe("the program's imports", () => {
    it("form no cycle", () => {
        const cycle = findCycle(importGraph());
        assert.strictEqual(cycle, undefined, `import cycle: ${cycle?.join(" -> ")}`);
    });

    it("are seen by this check (a cycle made on purpose is found)", () => {
        const graph = importGraph();
        assert.ok((graph.get("index.ts") ?? []).includes("infra/monitoring.ts"), "index.ts's imports were not read");
        graph.set("infra/naming.ts", [...(graph.get("infra/naming.ts") ?? []), "infra/config.ts"]);
        assert.deepStrictEqual(findCycle(graph)?.slice(-3), ["infra/config.ts", "infra/naming.ts", "infra/config.ts"]);
    });
});
