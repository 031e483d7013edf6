// The generated parts of the repository's files, each rendered from the code that decides what it says.
import * as fs from "fs";
import * as path from "path";
import { deployPlan } from "../deploy/deploy";
import { deployOrder } from "../deploy/order";
import { accountNeeds } from "../engine/accountNeeds";
import { allDiagrams } from "../diagram/diagram";
import { alarmTable } from "./alarmTable";
import { ROOT, StackEvaluator, STACKS } from "../engine/evaluate";
import { PREFLIGHT_RULES } from "../engine/preflight/rules";
import { configTable, withProjectConfig } from "./configDocs";
import { markdownSection, Section } from "./generate";
import { rulesTable, settingsTable, summary } from "./policyDocs";
import { TAGGABLE_TYPES_FILE, taggableTypesJson } from "./taggableTypes";
import { renderGaps } from "../local/gaps";
import { renderRouteTable } from "../../functions/routes";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const shell = (argv: string[]) => argv.join(" ");

function firstRun(): string {
    const order = deployOrder();
    const block = (title: string, plan: ReturnType<typeof deployPlan>, before: string[] = []) => [
        `${title}:`,
        "",
        "```sh",
        ...before,
        ...plan.needs.map((n) => `# needs ${n}`),
        ...plan.commands.map(shell),
        "```",
    ].join("\n");
    return [
        `Deploy order: ${order.map((s) => `\`${s.stack}\` (${s.role}, ${s.region})`).join(", then ")} — a primary looks up its standby's bucket and key.`,
        "",
        block("Pulumi Cloud (its own secrets provider; `--org acme` for stacks `acme/dr`, `acme/prod`)", deployPlan({}), ["pulumi login"]),
        "",
        block("An S3 backend (state in a bucket you own; secrets encrypted with a passphrase)", deployPlan({ backend: "s3://<state-bucket>" })),
        "",
        block("A local folder (one machine only)", deployPlan({ backend: "file://~/.pulumi-tandem" })),
    ].join("\n");
}

function preflightRules(): string {
    return [
        "| rule | the CLI refuses | pulumi/pulumi source |",
        "|---|---|---|",
        ...Object.entries(PREFLIGHT_RULES).map(([id, r]) => `| \`${id}\` | ${cell(r.checks)} | ${cell(r.source)} |`),
    ].join("\n");
}

async function accountNeedsTable(evaluate: StackEvaluator): Promise<string> {
    const rows: string[] = [];
    for (const stack of STACKS) {
        for (const need of accountNeeds(await evaluate(stack))) {
            rows.push(`| \`${stack}\` | ${need.region} | ${cell(need.need)} | \`${need.check}\` |`);
        }
    }
    return ["| stack | region | the account needs | check |", "|---|---|---|---|", ...rows].join("\n");
}

/** What each npm script does, for the README; every script of package.json must have a line here. */
const COMMANDS: Record<string, string> = {
    test: "every test (the emulator ones start their own moto); what CI runs, with `npm run lint`",
    "test:unit": "every test that needs no emulator",
    lint: "type-check (`tsc`: a type error fails `pulumi up`) and lint",
    plan: "offline preview of a stack: the Pulumi CLI's preflight, the program on mocks, every resource, the policy pack; exit 1 on a mandatory violation (`-- --stack prod\\|dr [--json]`)",
    start: "the app on this machine: both regions on moto, the primary api on http://127.0.0.1:3000, the standby on :3001",
    deploy: "the first (and every) deploy with the Pulumi CLI: log in, create the stacks, `pulumi up` standby first (`-- --dry-run` prints the commands)",
    docs: "regenerate every generated part of the docs (`-- --check`: fail when one is stale)",
    bench: "performance figures, each against a baseline measured in the same run (`-- --json`)",
    mutate: "the policy pack's negative suite; ends with `mutation score: K/N`",
    cost: "monthly cost estimate from the program's settings (`-- --stack prod`)",
    diagram: "Mermaid diagram of the resources, from the program",
};

function commandsTable(): string {
    const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
    const undocumented = scripts.filter((s) => COMMANDS[s] === undefined);
    const stale = Object.keys(COMMANDS).filter((c) => !scripts.includes(c));
    if (undocumented.length > 0 || stale.length > 0) {
        throw new Error(`the README's command table and package.json disagree: ${[...undocumented.map((s) => `${s} has no description`), ...stale.map((s) => `${s} is not a script`)].join("; ")}`);
    }
    return ["| command | what it does |", "|---|---|", ...scripts.map((s) => `| \`npm ${s === "test" || s === "start" ? s : `run ${s}`}\` | ${COMMANDS[s]} |`)].join("\n");
}

function deployCommands(): string {
    return ["```sh", ...deployPlan({}).commands.filter((c) => c[1] === "up").map(shell), "```"].join("\n");
}

/** A whole file rendered from code. */
const wholeFile = (file: string, render: () => string): Section => ({ file, name: "file", apply: render });

export const SECTIONS: Section[] = [
    markdownSection("README.md", "deploy", deployCommands),
    markdownSection("README.md", "commands", commandsTable),
    markdownSection("docs/deploy.md", "first-run", firstRun),
    markdownSection("docs/deploy.md", "account-needs", accountNeedsTable),
    markdownSection("docs/deploy.md", "preflight-rules", preflightRules),
    markdownSection("docs/configuration.md", "config", configTable),
    { file: "Pulumi.yaml", name: "config", apply: withProjectConfig },
    markdownSection("docs/architecture.md", "alarms", alarmTable),
    markdownSection("docs/architecture.md", "diagrams", allDiagrams),
    markdownSection("docs/policy.md", "summary", () => summary()),
    markdownSection("docs/policy.md", "rules", () => rulesTable()),
    markdownSection("docs/policy.md", "settings", () => settingsTable()),
    wholeFile(path.relative(ROOT, TAGGABLE_TYPES_FILE), taggableTypesJson),
    markdownSection("docs/local.md", "emulator-gaps", renderGaps),
    markdownSection("docs/functions.md", "routes", renderRouteTable),
];
