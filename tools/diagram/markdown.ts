// The Markdown around the diagrams: a heading and a Mermaid block per stack.
import { mermaidFlowchart } from "./mermaid";
import { GraphInput, stackGraph } from "./graph";


/** One stack's heading and Mermaid block. */
export function stackDiagram(input: GraphInput): string {
    const graph = stackGraph(input);
    return [
        `### Stack \`${graph.stack}\`: ${graph.region}, ${graph.role}`,
        "",
        "```mermaid",
        mermaidFlowchart(graph),
        "```",
    ].join("\n");
}

/** Diagrams of the given stacks, as the docs and the console show them. */
export function diagramsMarkdown(inputs: GraphInput[]): string {
    return inputs.map(stackDiagram).join("\n\n");
}
