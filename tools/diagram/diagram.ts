// npm run diagram [-- --stack prod|dr]
// Mermaid diagrams of the resources and their relations, generated from the program evaluated on the
// mock runtime (per stack, grouped by component), printed as Markdown. docs/architecture.md carries
// both stacks' diagrams, written by `npm run docs`.
import { choiceFlag, Io, parseCommandArgs, runCli } from "../cli";
import { evaluateStack, Inventory, StackEvaluator, STACKS } from "../engine/evaluate";
import { diagramsMarkdown } from "./markdown";

const SPEC = {
    usage: `usage: npm run diagram [-- --stack ${STACKS.join("|")}]\n  --stack   one stack only (default: every stack)`,
    options: { stack: { type: "string" } },
} as const;

/** Both stacks' diagrams, as docs/architecture.md shows them. */
export async function allDiagrams(evaluate: StackEvaluator = evaluateStack): Promise<string> {
    const inventories: Inventory[] = [];
    for (const stack of STACKS) inventories.push(await evaluate(stack));
    return diagramsMarkdown(inventories);
}

export async function runDiagram(argv: string[], io: Io, evaluate: StackEvaluator = evaluateStack): Promise<number> {
    const args = parseCommandArgs(argv, SPEC);
    if (args.help) {
        io.out(SPEC.usage);
        return 0;
    }
    const stack = choiceFlag("stack", args.stack, STACKS);
    io.out(stack ? diagramsMarkdown([await evaluate(stack)]) : await allDiagrams(evaluate));
    return 0;
}

runCli(module, (argv, io) => runDiagram(argv, io));
