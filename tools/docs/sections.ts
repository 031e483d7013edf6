// The generated sections of the docs, each rendered from the code that decides what it says.
import { deployPlan } from "../deploy/deploy";
import { deployOrder } from "../deploy/order";
import { accountNeeds } from "../engine/accountNeeds";
import { evaluateStack, STACKS } from "../engine/evaluate";
import { PREFLIGHT_RULES } from "../engine/preflight/rules";
import { renderRouteTable } from "../../functions/routes";
import type { Section } from "./generate";

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

async function accountNeedsTable(): Promise<string> {
    const rows: string[] = [];
    for (const stack of STACKS) {
        for (const need of accountNeeds(await evaluateStack(stack))) {
            rows.push(`| \`${stack}\` | ${need.region} | ${cell(need.need)} | \`${need.check}\` |`);
        }
    }
    return ["| stack | region | the account needs | check |", "|---|---|---|---|", ...rows].join("\n");
}

export const SECTIONS: Section[] = [
    { file: "docs/deploy.md", name: "first-run", render: firstRun },
    { file: "docs/deploy.md", name: "account-needs", render: accountNeedsTable },
    { file: "docs/deploy.md", name: "preflight-rules", render: preflightRules },
    { file: "docs/functions.md", name: "routes", render: renderRouteTable },
];
