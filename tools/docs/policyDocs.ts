// The generated sections of docs/policy.md (summary, rules, settings), from the pack's own metadata:
// each rule's pillar, description, rationale, anchors, default level, how to satisfy it, config schema.
// `npm run docs` writes them.
import { PILLARS } from "../../policy/lib/metadata";
import { RuleDoc } from "../../policy/lib/rule";
import { ruleDocs } from "../../policy/rules";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function summary(docs: RuleDoc[] = ruleDocs()): string {
    const counts = Object.entries(PILLARS).map(([pillar, title]) => `${docs.filter((d) => d.pillar === pillar).length} ${title.toLowerCase()}`);
    const advisory = docs.filter((d) => d.enforcementLevel !== "mandatory").map((d) => `\`${d.name}\``);
    return `${docs.length} policies: ${counts.join(", ")}. Every rule is \`mandatory\` by default${advisory.length > 0 ? ` except ${advisory.join(", ")}` : ""}.`;
}

export function rulesTable(docs: RuleDoc[] = ruleDocs()): string {
    const lines: string[] = [];
    for (const [pillar, title] of Object.entries(PILLARS)) {
        const rules = docs.filter((d) => d.pillar === pillar);
        lines.push(`### ${title}`, "", "| Rule | What it requires | Why | Anchors | Default | How to satisfy |", "|---|---|---|---|---|---|");
        for (const d of rules) {
            lines.push(`| <a id="${d.name}"></a>\`${d.name}\` | ${cell(d.description)} | ${cell(d.rationale)} | ${cell(d.anchors.join("; "))} | ${d.enforcementLevel} | ${cell(d.satisfy)} |`);
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
