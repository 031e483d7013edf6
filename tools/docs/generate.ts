// npm run docs [-- --check]
// The one generator of every generated part of the repository's files: Markdown sections between
// `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`, Pulumi.yaml's config declarations and the
// pack's list of taggable types, each rendered from the program, the pack or the tools, never typed
// by hand. --check writes nothing and exits 1 when something is stale (a test does the same).
import * as fs from "fs";
import * as path from "path";
import { Io, parseCommandArgs, runCli } from "../cli";
import { evaluateStack, onceEach, ROOT, StackEvaluator } from "../engine/evaluate";
import { SECTIONS } from "./sections";

/** A generated part of a file: a section of a Markdown page, or a block of a project file. */
export interface Section {
    /** The file, relative to the repository root. */
    file: string;
    /** The section's name, unique in its file. */
    name: string;
    /** The file's new text, given its current text and how to evaluate a stack it renders from. */
    apply(current: string, evaluate: StackEvaluator): string | Promise<string>;
}

/** A Markdown section between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export function markdownSection(file: string, name: string, render: (evaluate: StackEvaluator) => string | Promise<string>): Section {
    return { file, name, apply: async (current, evaluate) => replaceSection(current, file, name, await render(evaluate)) };
}

const SPEC = {
    usage: "usage: npm run docs [-- --check]\n  --check   write nothing; exit 1 when a generated section is out of date",
    options: { check: { type: "boolean" } },
} as const;

/** `text` with the section's content replaced; throws when the file has no such section. */
export function replaceSection(text: string, file: string, name: string, content: string): string {
    const begin = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) {
        throw new Error(`${file} has no ${begin} … ${end} section`);
    }
    return `${text.slice(0, from + begin.length)}\n${content.trim()}\n${text.slice(to)}`;
}

/** Every file with generated sections, as it should read now; several sections read each stack, evaluated once. */
export async function renderedFiles(sections: Section[] = SECTIONS, evaluate: StackEvaluator = onceEach(evaluateStack)): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    for (const section of sections) {
        const current = files.get(section.file) ?? fs.readFileSync(path.join(ROOT, section.file), "utf8");
        files.set(section.file, await section.apply(current, evaluate));
    }
    return files;
}

export async function docs(argv: string[], io: Io): Promise<number> {
    const args = parseCommandArgs(argv, SPEC);
    if (args.help) {
        io.out(SPEC.usage);
        return 0;
    }
    let stale = 0;
    for (const [file, text] of await renderedFiles()) {
        const location = path.join(ROOT, file);
        if (fs.readFileSync(location, "utf8") === text) {
            continue;
        }
        stale++;
        if (args.check) {
            io.out(`${file}: out of date (run npm run docs)`);
        } else {
            fs.writeFileSync(location, text);
            io.out(`${file}: updated`);
        }
    }
    return args.check && stale > 0 ? 1 : 0;
}

runCli(module, docs);
