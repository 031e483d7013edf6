// npm run deploy -- [--backend <url>] [--secrets-provider <provider>] [--org <org>] [--yes] [--dry-run]
// The first run (and every later one) with the real Pulumi CLI: log in, create each stack that does
// not exist yet (keeping the committed Pulumi.<stack>.yaml), then `pulumi up` each stack with the
// policy pack, standbys first (./order.ts). Needs the Pulumi CLI and AWS credentials; --dry-run prints
// the commands instead of running them (docs/deploy.md shows them, generated from here).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Io, parseCommandArgs, runCli, UsageError } from "../cli";
import { ROOT } from "../engine/evaluate";
import { deployOrder } from "./order";

const SPEC = {
    usage: [
        "usage: npm run deploy -- [--backend <url>] [--secrets-provider <provider>] [--org <org>] [--yes] [--dry-run]",
        "  --backend            log in to this backend first: https://api.pulumi.com (Pulumi Cloud), s3://<bucket>, file://<folder>",
        "  --secrets-provider   for stacks created now: default (Pulumi Cloud), passphrase (default for s3:// and file://), awskms://...",
        "  --org                Pulumi Cloud organization owning the stacks (stack names become <org>/<stack>)",
        "  --yes                run `pulumi up` without asking to confirm each stack",
        "  --dry-run            print the commands, run nothing",
    ].join("\n"),
    options: {
        backend: { type: "string" },
        "secrets-provider": { type: "string" },
        org: { type: "string" },
        yes: { type: "boolean" },
        "dry-run": { type: "boolean" },
    },
} as const;

/** Backends that keep state themselves (not Pulumi Cloud): their stacks encrypt secrets with a passphrase unless told otherwise. */
const SELF_MANAGED = /^(s3|file|azblob|gs|postgres):\/\//;

export interface DeployPlan {
    /** Each command as argv (the first element is `pulumi`). */
    commands: string[][];
    /** Environment the commands need, and why. */
    needs: string[];
}

export function deployPlan(options: { backend?: string; secretsProvider?: string; org?: string; yes?: boolean }, root = ROOT): DeployPlan {
    const selfManaged = options.backend !== undefined && SELF_MANAGED.test(options.backend);
    const provider = options.secretsProvider ?? (selfManaged ? "passphrase" : "default");
    const needs: string[] = [];
    if (provider === "passphrase") {
        needs.push("PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE): the passphrase provider encrypts each stack's secrets with it");
    }
    const name = (stack: string) => (options.org ? `${options.org}/${stack}` : stack);
    const order = deployOrder(root);
    const commands: string[][] = [];
    if (options.backend) {
        commands.push(["pulumi", "login", options.backend]);
    }
    for (const { stack } of order) {
        commands.push(["pulumi", "stack", "select", name(stack), "--create", "--secrets-provider", provider]);
    }
    for (const { stack } of order) {
        commands.push(["pulumi", "up", "--stack", name(stack), "--policy-pack", "policy", ...(options.yes ? ["--yes"] : [])]);
    }
    return { commands, needs };
}

const shell = (argv: string[]) => argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");

function run(argv: string[], io: Io, capture = false): { status: number; stdout: string } {
    const result = spawnSync(argv[0], argv.slice(1), { cwd: ROOT, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit", encoding: "utf8" });
    if (result.error) {
        const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
        throw new Error(missing ? "the Pulumi CLI is not installed: see https://www.pulumi.com/docs/install/ (npm run plan checks the program without it)" : result.error.message);
    }
    if (capture && result.status !== 0) {
        io.err(result.stderr.trim());
    }
    return { status: result.status ?? 1, stdout: capture ? result.stdout : "" };
}

export async function deploy(argv: string[], io: Io): Promise<number> {
    const args = parseCommandArgs(argv, SPEC);
    if (args.help) {
        io.out(SPEC.usage);
        return 0;
    }
    const plan = deployPlan({ backend: args.backend, secretsProvider: args["secrets-provider"], org: args.org, yes: args.yes });
    if (args["dry-run"]) {
        plan.needs.forEach((n) => io.out(`# needs ${n}`));
        plan.commands.forEach((c) => io.out(shell(c)));
        return 0;
    }
    if (plan.needs.length > 0 && !process.env.PULUMI_CONFIG_PASSPHRASE && !process.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
        throw new UsageError(`set ${plan.needs[0]}`);
    }
    if (!fs.existsSync(path.join(ROOT, "policy", "node_modules", "@pulumi", "policy"))) {
        throw new Error("the policy pack is not installed: run `npm ci --prefix policy` first (pulumi up --policy-pack runs it from its folder)");
    }
    // Without --backend, the stacks go to whatever backend is logged in: there must be one.
    if (args.backend === undefined && run(["pulumi", "whoami", "--verbose"], io, true).status !== 0) {
        throw new Error("not logged in to a Pulumi backend: run `pulumi login` (Pulumi Cloud) or `pulumi login s3://<bucket>`, or pass --backend");
    }
    for (const command of plan.commands) {
        io.out(`$ ${shell(command)}`);
        const { status } = run(command, io);
        if (status !== 0) {
            io.err(`\`${shell(command)}\` failed (exit ${status}); nothing after it was run.`);
            return status;
        }
    }
    return 0;
}

runCli(module, deploy);
