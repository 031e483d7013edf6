// A structural check of the Mermaid flowcharts the generator writes: every line is one of the
// statements it emits, subgraphs are balanced, ids are unique and defined before edges use them,
// and labels cannot end early. (The Mermaid parser itself needs a browser DOM.)

const ID = "[A-Za-z][A-Za-z0-9_]*";
/** A quoted label: anything but a raw double quote (Mermaid's entity codes stand for the rest). */
const LABEL = '"[^"]*"';
const STATEMENTS = {
    header: /^flowchart (LR|TB|TD|RL|BT)$/,
    subgraph: new RegExp(`^\\s*subgraph (${ID})\\[(${LABEL})\\]$`),
    end: /^\s*end$/,
    node: new RegExp(`^\\s*(${ID})\\[(${LABEL})\\]$`),
    edge: new RegExp(`^\\s*(${ID}) (-->|-\\.->|==>)(?:\\|(${LABEL})\\|)? (${ID})$`),
};
const RESERVED = new Set(["end", "subgraph", "graph", "flowchart", "style", "class", "classDef", "click", "linkStyle", "default"]);

export interface ParsedFlowchart {
    nodes: Map<string, string>;
    subgraphs: Map<string, string>;
    /** Parent subgraph of each node and subgraph. */
    parents: Map<string, string | undefined>;
    edges: { from: string; arrow: string; label?: string; to: string }[];
}

/** Parses the generator's flowchart; throws with the line number on anything else. */
export function parseFlowchart(text: string): ParsedFlowchart {
    const lines = text.split("\n");
    const result: ParsedFlowchart = { nodes: new Map(), subgraphs: new Map(), parents: new Map(), edges: [] };
    const open: string[] = [];
    const fail = (i: number, why: string): never => {
        throw new Error(`line ${i + 1}: ${why}: ${JSON.stringify(lines[i])}`);
    };
    const define = (i: number, id: string) => {
        if (RESERVED.has(id)) fail(i, `${id} is a Mermaid keyword`);
        if (result.nodes.has(id) || result.subgraphs.has(id)) fail(i, `id ${id} defined twice`);
        result.parents.set(id, open[open.length - 1]);
    };
    if (!STATEMENTS.header.test(lines[0] ?? "")) fail(0, "not a flowchart header");
    lines.slice(1).forEach((line, k) => {
        const i = k + 1;
        let m: RegExpExecArray | null;
        if ((m = STATEMENTS.subgraph.exec(line))) {
            define(i, m[1]);
            result.subgraphs.set(m[1], m[2].slice(1, -1));
            open.push(m[1]);
        } else if (STATEMENTS.end.test(line)) {
            if (open.length === 0) fail(i, "end without subgraph");
            open.pop();
        } else if ((m = STATEMENTS.node.exec(line))) {
            define(i, m[1]);
            result.nodes.set(m[1], m[2].slice(1, -1));
        } else if ((m = STATEMENTS.edge.exec(line))) {
            for (const id of [m[1], m[4]]) {
                if (!result.nodes.has(id) && !result.subgraphs.has(id)) fail(i, `edge to undefined id ${id}`);
            }
            result.edges.push({ from: m[1], arrow: m[2], label: m[3]?.slice(1, -1), to: m[4] });
        } else {
            fail(i, "not a statement the generator writes");
        }
    });
    if (open.length > 0) throw new Error(`unclosed subgraph(s): ${open.join(", ")}`);
    return result;
}

/** The Mermaid blocks of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
    return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
}
