// `npm run plan` as CI and a user's shell run it: the preflight first, the whole JSON document through a
// pipe whose reader is slow (the output used to stop at the pipe's 64 KiB), the account needs, and the
// other tools that print long output, through the same kind of pipe.
import { strict as assert } from "assert";
import { UNRESERVED_CONCURRENCY_MINIMUM } from "../../tools/engine/accountNeeds";
import { evaluateStack } from "../../tools/engine/evaluate";
import { throughSlowPipe } from "../support/pipe";

describe("npm run plan and the other long outputs, through a real pipe", function () {
    this.timeout(180_000);

    it("plan --json: the whole document, with the preflight and the account needs, reaches a slow reader", async () => {
        const run = await throughSlowPipe("tools/engine/plan.ts", ["--stack", "prod", "--json"]);
        assert.equal(run.code, 0, run.stderr);
        assert.ok(run.stdout.length > 65_536, `the document is longer than the pipe buffer (${run.stdout.length} bytes)`);
        const report = JSON.parse(run.stdout);
        assert.deepEqual(report.preflight.problems, []);
        assert.deepEqual(report.violations, []);
        const inventory = await evaluateStack("prod");
        assert.equal(report.resources.length, inventory.resources.length);
        const reserved = inventory.resources
            .filter((r) => r.type === "aws:lambda/function:Function")
            .reduce((sum, r) => sum + Number(r.inputs.reservedConcurrentExecutions), 0);
        assert.equal(report.accountNeeds.length, 1);
        assert.equal(report.accountNeeds[0].region, "us-east-1");
        assert.match(report.accountNeeds[0].need, new RegExp(`at least ${reserved + UNRESERVED_CONCURRENCY_MINIMUM} \\(${reserved} reserved`));
    });

    it("cost --json and diagram: complete through a slow reader too", async () => {
        const cost = await throughSlowPipe("tools/cost/cost.ts", ["--stack", "all", "--json"]);
        assert.equal(cost.code, 0, cost.stderr);
        assert.doesNotThrow(() => JSON.parse(cost.stdout));
        const diagram = await throughSlowPipe("tools/diagram/diagram.ts", []);
        assert.equal(diagram.code, 0, diagram.stderr);
        assert.match(diagram.stdout.trimEnd(), /```$/, "ends with the closing fence of the last diagram");
    });

    it("a usage error exits 2 with the usage on stderr", async () => {
        const run = await throughSlowPipe("tools/engine/plan.ts", ["--stack", "staging"]);
        assert.equal(run.code, 2);
        assert.match(run.stderr, /--stack is "staging"; allowed: prod, dr/);
    });
});
