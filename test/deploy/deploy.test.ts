// npm run deploy against a stand-in `pulumi` on PATH that records every call: the first run logs in,
// creates each stack with the secrets provider its backend needs, and runs `pulumi up` standby first;
// it refuses to start without what the CLI would ask for later (a passphrase, a login, the pack).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { deploy as deployCommand } from "../../tools/deploy/deploy";
import { deployOrder } from "../../tools/deploy/order";
import { runTool, ToolRun, withEnvironment } from "../support/tool";

interface Run extends ToolRun {
    /** The arguments of each `pulumi` call, in order. */
    calls: string[];
}

/** A stand-in `pulumi` that logs its arguments and exits with $FAKE_EXIT_<subcommand> (default 0). */
function fakePulumi(): { bin: string; calls(): string[] } {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
    const log = path.join(bin, "calls.log");
    fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\necho "$*" >> "${log}"\ncode=$(eval echo "\\$FAKE_EXIT_$1")\nexit \${code:-0}\n`, { mode: 0o755 });
    return { bin, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : []) };
}

/** The deploy tool, in this process, with the fake pulumi first on PATH and no passphrase unless given. */
async function deploy(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
    const fake = fakePulumi();
    try {
        const run = await withEnvironment({ PATH: `${fake.bin}:${process.env.PATH}`, PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined, ...env },
            () => runTool(deployCommand, args));
        return { ...run, calls: fake.calls() };
    } finally {
        fs.rmSync(fake.bin, { recursive: true, force: true });
    }
}

describe("npm run deploy (the first run with the Pulumi CLI)", function () {
    this.timeout(60_000);
    const order = deployOrder().map((s) => s.stack);

    it("on an S3 backend: logs in, creates both stacks with the passphrase provider, then pulumi up standby first", async () => {
        const run = await deploy(["--backend", "s3://tandem-state", "--yes"], { PULUMI_CONFIG_PASSPHRASE: "correct horse" });
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(run.calls, [
            "login s3://tandem-state",
            ...order.map((s) => `stack select ${s} --create --secrets-provider passphrase`),
            ...order.map((s) => `up --stack ${s} --policy-pack policy --yes`),
        ]);
        assert.deepEqual(order, ["dr", "prod"]);
    });

    it("on Pulumi Cloud: checks the login, uses the service's secrets provider and the organisation's stack names", async () => {
        const run = await deploy(["--org", "acme"]);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(run.calls, [
            "whoami --verbose",
            ...order.map((s) => `stack select acme/${s} --create --secrets-provider default`),
            ...order.map((s) => `up --stack acme/${s} --policy-pack policy`),
        ]);
    });

    it("refuses a passphrase backend without a passphrase, before calling pulumi", async () => {
        const run = await deploy(["--backend", "file://./state"]);
        assert.equal(run.code, 2);
        assert.match(run.stderr, /set PULUMI_CONFIG_PASSPHRASE/);
        assert.deepEqual(run.calls, []);
    });

    it("stops when no backend is logged in, and at the first failing command, running nothing after it", async () => {
        const notLoggedIn = await deploy([], { FAKE_EXIT_whoami: "1" });
        assert.equal(notLoggedIn.code, 1);
        assert.match(notLoggedIn.stderr, /not logged in to a Pulumi backend: run `pulumi login`/);
        assert.deepEqual(notLoggedIn.calls, ["whoami --verbose"]);

        const upFails = await deploy(["--yes"], { FAKE_EXIT_up: "255" });
        assert.equal(upFails.code, 255);
        assert.equal(upFails.calls.filter((c) => c.startsWith("up ")).length, 1, "prod is not deployed after dr failed");
        assert.match(upFails.stderr, /`pulumi up --stack dr --policy-pack policy --yes` failed \(exit 255\); nothing after it was run/);
    });

    it("answers an unknown flag with the usage (exit 2), and --dry-run prints the commands without running them", async () => {
        const bad = await deploy(["--stack", "prod"]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /usage: npm run deploy/);
        const dry = await deploy(["--dry-run", "--backend", "s3://tandem-state"]);
        assert.equal(dry.code, 0);
        assert.deepEqual(dry.calls, []);
        assert.match(dry.stdout, /^# needs PULUMI_CONFIG_PASSPHRASE/m);
        assert.match(dry.stdout, /^pulumi up --stack dr --policy-pack policy\npulumi up --stack prod --policy-pack policy$/m);
    });
});
