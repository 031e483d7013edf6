// npm run diagram [-- --stack prod|dr] [--write]
// Mermaid diagrams of the resources and their relations, generated from the program evaluated on the
// mock runtime (per stack, grouped by component). Without --write: prints the Markdown. With --write:
// regenerates the diagram region of docs/architecture.md (both stacks) and of README.md (the primary),
// touching nothing outside the `<!-- diagram:start -->` / `<!-- diagram:end -->` markers.
import { Io, runCli } from "../cli";
import * as fs from "fs";
import * as path from "path";
import { diagramsMarkdown, regionOf, replaceRegion } from "./markdown";
import { evaluateStack, Inventory, ROOT, StackName, STACKS } from "../engine/evaluate";

export const ARCHITECTURE_PAGE = path.join(ROOT, "docs", "architecture.md");
export const README = path.join(ROOT, "README.md");
/** The README shows the primary (every component, replication included); the docs show both. */
export const README_STACKS: StackName[] = ["prod"];

const USAGE = "usage: npm run diagram [-- --stack prod|dr] [--write]";

export function parseDiagramArgs(argv: string[]): { stacks: StackName[]; write: boolean } {
    let stack: string | undefined;
    let write = false;
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].includes("=") ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
        if (flag === "--write") write = true;
        else if (flag === "--stack") {
            stack = inline ?? argv[++i];
            if (stack === undefined) throw new Error(`--stack needs a value\n${USAGE}`);
        } else throw new Error(`unknown option ${JSON.stringify(argv[i])}\n${USAGE}`);
    }
    if (stack !== undefined && !(STACKS as readonly string[]).includes(stack)) {
        throw new Error(`--stack ${JSON.stringify(stack)} is not a stack (${STACKS.join("|")})\n${USAGE}`);
    }
    if (write && stack !== undefined) {
        throw new Error(`--write regenerates the pages from both stacks; leave out --stack\n${USAGE}`);
    }
    return { stacks: stack ? [stack as StackName] : [...STACKS], write };
}

/** Writes the diagrams into the pages' marked regions; returns what it did, one line per page. */
export function writePages(inventories: Inventory[]): string[] {
    const report: string[] = [];
    const page = fs.readFileSync(ARCHITECTURE_PAGE, "utf8");
    const docs = replaceRegion(page, diagramsMarkdown(inventories));
    fs.writeFileSync(ARCHITECTURE_PAGE, docs);
    report.push(`${path.relative(ROOT, ARCHITECTURE_PAGE)}: ${docs === page ? "up to date" : "updated"}`);

    const readme = fs.existsSync(README) ? fs.readFileSync(README, "utf8") : "";
    if (regionOf(readme) === undefined) {
        report.push("README.md: left alone: it has no <!-- diagram:start --> / <!-- diagram:end --> region to write into");
    } else {
        const updated = replaceRegion(readme, readmeRegion(inventories));
        fs.writeFileSync(README, updated);
        report.push(`README.md: ${updated === readme ? "up to date" : "updated"} (between the diagram markers only)`);
    }
    return report;
}

export function readmeRegion(inventories: Inventory[]): string {
    return [
        diagramsMarkdown(inventories.filter((i) => (README_STACKS as string[]).includes(i.stack))),
        "",
        "The standby (`dr`) has the same components without `Replication`; [docs/architecture.md](docs/architecture.md) shows both stacks and explains each component.",
    ].join("\n");
}

export async function runDiagram(argv: string[], io: Io, evaluate: (stack: StackName) => Promise<Inventory> = evaluateStack): Promise<number> {
    let args;
    try {
        args = parseDiagramArgs(argv);
    } catch (e) {
        io.err((e as Error).message);
        return 2;
    }
    const inventories: Inventory[] = [];
    for (const stack of args.stacks) inventories.push(await evaluate(stack));
    if (args.write) {
        writePages(inventories).forEach((line) => io.out(line));
    } else {
        io.out(diagramsMarkdown(inventories));
    }
    return 0;
}

runCli(module, (argv, io) => runDiagram(argv, io));
