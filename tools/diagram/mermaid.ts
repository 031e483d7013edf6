// Renders a stack graph as a Mermaid flowchart: components as nested subgraphs, resources as nodes
// labelled with their type's short name and logical name, relations as labelled edges (solid: an
// input refers to the target; dotted: created after it; thick: cross-region replication).
import { TYPES } from "../engine/resourceTypes";
import { allGroups, allNodes, GraphGroup, StackGraph } from "./graph";

/** Mermaid's entity codes for the characters that would end or break a quoted label. */
export function escapeLabel(text: string): string {
    return text
        .replace(/&/g, "#amp;")
        .replace(/"/g, "#quot;")
        .replace(/</g, "#lt;")
        .replace(/>/g, "#gt;")
        .replace(/\|/g, "#124;")
        .replace(/\n/g, "<br/>");
}

/** Stable, readable ids: a prefix (never a Mermaid keyword such as `end`) and the name, made safe. */
function idMaker() {
    const used = new Set<string>();
    return (prefix: string, ...parts: string[]) => {
        const base = `${prefix}_${parts.join("_")}`.replace(/[^A-Za-z0-9_]/g, "_").replace(/_+/g, "_").replace(/_$/, "");
        let id = base;
        for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
        used.add(id);
        return id;
    };
}

export function mermaidFlowchart(graph: StackGraph): string {
    const makeId = idMaker();
    const ids = new Map<string, string>();
    for (const g of allGroups(graph)) ids.set(g.key, makeId("g", g.type === TYPES.stack ? "stack" : g.type.split(":").pop()!, g.name));
    for (const n of allNodes(graph)) ids.set(n.key, makeId("n", n.type.split(":").pop()!, n.name));

    const lines = ["flowchart LR"];
    const renderGroup = (g: GraphGroup, depth: number) => {
        const pad = "    ".repeat(depth);
        lines.push(`${pad}subgraph ${ids.get(g.key)}["${escapeLabel(g.label)}"]`);
        for (const n of g.nodes) lines.push(`${pad}    ${ids.get(n.key)}["${escapeLabel(n.label)}"]`);
        for (const child of g.groups) renderGroup(child, depth + 1);
        lines.push(`${pad}end`);
    };
    renderGroup(graph.root, 1);
    graph.external.forEach((g) => renderGroup(g, 1));

    const arrows = { uses: "-->", waits: "-.->", replicates: "==>" } as const;
    const edgeLines = graph.edges.map((e) => {
        const label = e.label ? `|"${escapeLabel(e.label)}"|` : "";
        return `    ${ids.get(e.from)} ${arrows[e.style]}${label} ${ids.get(e.to)}`;
    });
    // Sorted, so the output only changes when the program does.
    lines.push(...edgeLines.sort());
    return lines.join("\n");
}
