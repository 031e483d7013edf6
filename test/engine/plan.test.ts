// `npm run plan` as CI and a user's shell run it: the preflight first, the whole JSON document, the
// account needs; and the runner every tool shares, through a pipe whose reader is slow (plan --json's
// output used to stop at the pipe's 64 KiB).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { UNRESERVED_CONCURRENCY_MINIMUM } from "../../tools/engine/accountNeeds";
import { ROOT } from "../../tools/engine/evaluate";
import { plan } from "../../tools/engine/plan";
import { evaluatedStack } from "../support/evaluatedStacks";
import { throughSlowPipe } from "../support/pipe";
import { sharedPolicyHost } from "../support/policyHost";
import { runTool } from "../support/tool";

// Started as the file loads, in processes of their own, while other suites run. The slow pipe mostly
// sleeps, so it does not wait its turn behind the processes that need the second CPU (../support/inTurn.ts).
const host = sharedPolicyHost();
const slowPipe = throughSlowPipe("test/fixtures/tools/longOutput.ts", ["5000", "3"]);

describe("npm run plan, and long outputs through a real pipe", function () {
    this.timeout(180_000);

    it("plan --json: the whole document, with the preflight and the account needs", async () => {
        let analyzedBeforeStack = 0;
        const run = await runTool((argv, io) => plan(argv, io, { host, beforeStackAnalysis: () => analyzedBeforeStack++ }), ["--stack", "prod", "--json"]);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(analyzedBeforeStack, 1, "the hook the command line compacts the heap in runs once");
        assert.ok(run.stdout.length > 65_536, `the document is longer than a pipe buffers (${run.stdout.length} bytes)`);
        const report = JSON.parse(run.stdout);
        assert.deepEqual(report.preflight.problems, []);
        assert.deepEqual(report.violations, []);
        const inventory = await evaluatedStack("prod");
        assert.equal(report.resources.length, inventory.resources.length);
        const reserved = inventory.resources
            .filter((r) => r.type === "aws:lambda/function:Function")
            .reduce((sum, r) => sum + Number(r.inputs.reservedConcurrentExecutions), 0);
        assert.equal(report.accountNeeds.length, 1);
        assert.equal(report.accountNeeds[0].region, "us-east-1");
        assert.match(report.accountNeeds[0].need, new RegExp(`at least ${reserved + UNRESERVED_CONCURRENCY_MINIMUM} \\(${reserved} reserved`));
    });

    it("the tools' runner: every line reaches a slow reader, and the tool's exit code survives", async () => {
        const run = await slowPipe;
        assert.equal(run.code, 3, run.stderr);
        const lines = run.stdout.trimEnd().split("\n");
        assert.equal(lines.length, 5000, `${run.stdout.length} bytes arrived`);
        assert.equal(lines[4999], `line 4999 ${"x".repeat(100)}`);
    });

    it("every npm script tool runs through that runner", () => {
        const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        const tools = Object.entries(scripts).map(([name, command]) => [name, /^node -r \.\/tools\/transpile\/register\.js (\S+\.ts)$/.exec(command)?.[1]] as const).filter(([, file]) => file);
        assert.ok(tools.length >= 8, "the tools are found");
        for (const [name, file] of tools) {
            assert.match(fs.readFileSync(path.join(ROOT, file!), "utf8"), /^runCli\(module, /m, `npm run ${name} (${file}) does not end in runCli`);
        }
    });

    it("a usage error exits 2 with the usage on stderr", async () => {
        const run = await runTool(plan, ["--stack", "staging"]);
        assert.equal(run.code, 2);
        assert.match(run.stderr, /--stack is "staging"; allowed: prod, dr/);
    });
});
