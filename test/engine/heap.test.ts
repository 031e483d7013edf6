// compactHeap (tools/engine/heap.ts), which the plan calls before AnalyzeStack: it gives back the pages
// an ordinary full collection keeps, keeps everything alive, and leaves later collections as they were.
// Run in a process of its own, whose heap this test shapes.
import { strict as assert } from "assert";
import * as path from "path";
import { REGISTER } from "../../tools/transpile/command";
import { runNode } from "../support/node";

const HEAP = path.join(__dirname, "..", "..", "tools", "engine", "heap.ts");

// Fills the old generation, then lets three quarters of it die: the pages left are mostly free space.
const probe = `(() => {
    const v8 = require("v8");
    const { compactHeap } = require(${JSON.stringify(HEAP)});
    const old = () => { const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === "old_space"); return { size: s.space_size, used: s.space_used_size }; };
    const fragment = () => {
        let kept = [];
        for (let i = 0; i < 1e6; i++) kept.push({ a: i, s: "x" + i });
        gc(); gc();
        kept = kept.filter((_, i) => i % 4 === 0);
        gc();
        return kept;
    };
    const kept = fragment();
    const before = old();
    compactHeap();
    const after = old();
    const intact = kept.every((o, i) => o.a === i * 4 && o.s === "x" + i * 4);
    const second = fragment();
    const later = old();
    console.log(JSON.stringify({ before, after, intact, later, alive: kept.length + second.length }));
})()`;

describe("engine: compacting the plan's heap", function () {
    this.timeout(60_000);

    it("gives back the pages an ordinary full collection keeps, loses nothing alive, and leaves later collections ordinary", async () => {
        const run = await runNode(["--expose-gc", "-r", REGISTER, "-e", probe]);
        assert.equal(run.code, 0, run.stderr);
        const { before, after, intact, later, alive } = JSON.parse(run.stdout);
        assert.ok(before.size > 2 * before.used, `the probe's heap is fragmented: ${JSON.stringify(before)}`);
        assert.ok(after.size < 1.5 * after.used, `compacted: ${JSON.stringify(after)}`);
        assert.ok(after.used >= 0.9 * before.used, "what was alive is still there");
        assert.equal(intact, true);
        assert.equal(alive, 500_000);
        assert.ok(later.size - after.size > 2 * (later.used - after.used), `a later full collection does not compact: ${JSON.stringify({ after, later })}`);
    });
});
