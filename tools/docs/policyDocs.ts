// Regenerates the rules and settings tables of docs/policy.md from
// the pack's own metadata (the rules' pillar, anchors, default level, how to satisfy them, config
// schemas), between the markers <!-- rules:begin --> / <!-- rules:end --> and <!-- settings:begin --> /
// <!-- settings:end -->. Run: npx ts-node tools/docs/policyDocs.ts (a test fails when either is out of date).
import * as fs from "fs";
import * as path from "path";
import { PILLARS } from "../../policy/lib/metadata";
import { RuleDoc } from "../../policy/lib/rule";
import { ruleDocs } from "../../policy/rules";

export const POLICY_DOC = path.join(__dirname, "..", "..", "docs", "policy.md");

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function rulesTable(docs: RuleDoc[] = ruleDocs()): string {
    const lines: string[] = [];
    for (const [pillar, title] of Object.entries(PILLARS)) {
        const rules = docs.filter((d) => d.pillar === pillar);
        lines.push(`### ${title} (${rules.length})`, "", "| Rule | What it requires | Anchors | Default | How to satisfy |", "|---|---|---|---|---|");
        for (const d of rules) {
            lines.push(`| \`${d.name}\` | ${cell(d.description)} | ${cell(d.anchors.join("; "))} | ${d.enforcementLevel} | ${cell(d.satisfy)} |`);
        }
        lines.push("");
    }
    return lines.join("\n").trimEnd();
}

export function settingsTable(docs: RuleDoc[] = ruleDocs()): string {
    const lines = ["| Rule | Setting | Type | Default | Meaning |", "|---|---|---|---|---|"];
    for (const d of docs) {
        for (const [key, schema] of Object.entries(d.configSchema?.properties ?? {})) {
            const s = schema as { type?: string; items?: { type?: string }; default?: unknown; description?: string; minimum?: number; maximum?: number };
            const type = s.type === "array" ? `${s.items?.type ?? "any"}[]` : String(s.type ?? "any");
            const range = s.minimum !== undefined || s.maximum !== undefined ? ` (${s.minimum ?? ""}–${s.maximum ?? ""})` : "";
            lines.push(`| \`${d.name}\` | \`${key}\` | ${type}${range} | \`${cell(JSON.stringify(s.default))}\` | ${cell(s.description ?? "")} |`);
        }
    }
    return lines.join("\n");
}

function replaceBlock(file: string, text: string, name: string, content: string): string {
    const begin = `<!-- ${name}:begin -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) {
        throw new Error(`${file} has no ${begin} ... ${end} block`);
    }
    return `${text.slice(0, from + begin.length)}\n${content}\n${text.slice(to)}`;
}

/** docs/policy.md with both generated blocks brought up to date. */
export function renderedPolicyDoc(): string {
    const text = fs.readFileSync(POLICY_DOC, "utf8");
    return replaceBlock(POLICY_DOC, replaceBlock(POLICY_DOC, text, "rules", rulesTable()), "settings", settingsTable());
}

if (require.main === module) {
    fs.writeFileSync(POLICY_DOC, renderedPolicyDoc());
    console.log(`wrote ${POLICY_DOC}`);
}
