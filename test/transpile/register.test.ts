// The transpile hook every tool, the pack host and mocha load TypeScript through: TypeScript's own
// output (as `ts-node --transpile-only` gives it), kept by content, syntax errors reported, and stack
// traces pointing at the TypeScript lines.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../../tools/engine/evaluate";
import { REGISTER } from "../../tools/transpile/command";
import { runNode } from "../support/node";
import { inTurn } from "../support/inTurn";

const { cacheDir, compiled, pruneUnused } = require(REGISTER) as { cacheDir: string; compiled(source: string, filename: string): string; pruneUnused(now?: number): void };

/** Code without the source map comment (ts-node and the hook attach theirs differently). */
const code = (js: string) => js.replace(/^\/\/# sourceMappingURL=.*$/m, "").trimEnd();

function programFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const file = path.join(dir, e.name);
        return e.isDirectory() ? programFiles(file) : e.name.endsWith(".ts") ? [file] : [];
    });
}

const run = (file: string) => runNode(["-r", REGISTER, file], { cwd: ROOT });

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-transpile-"));
process.once("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));

// A process that loads the compiler for a file it has not seen takes half a second: started as this
// file loads, in turn with the other processes (../support/inTurn.ts), and judged by the test below.
const throwing = path.join(scratch, "throws.ts");
fs.writeFileSync(throwing, "interface Shape { sides: number }\nconst shape: Shape = { sides: 3 };\n\nif (shape.sides === 3) {\n    throw new Error(`a triangle`);\n}\n");
const thrown = inTurn(() => run(throwing));

describe("transpile hook (tools/transpile/register.js)", () => {
    it("emits exactly what ts-node --transpile-only emits for the functions, so serialized callbacks are the same text", () => {
        const tsNode = require("ts-node").create({ transpileOnly: true, project: path.join(ROOT, "tsconfig.json") });
        const files = programFiles(path.join(ROOT, "functions"));
        assert.ok(files.length > 10, `${files.length} files`);
        for (const file of files) {
            const source = fs.readFileSync(file, "utf8");
            assert.equal(code(compiled(source, file)), code(tsNode.compile(source, file)), path.relative(ROOT, file));
        }
    });

    it("keys the kept output by the file's text: an edit is never served stale", () => {
        const file = path.join(scratch, "edited.ts");
        const first = compiled("export const answer: number = 41;\n", file);
        const edited = compiled("export const answer: number = 42;\n", file);
        assert.match(first, /answer = 41/);
        assert.match(edited, /answer = 42/);
        assert.equal(compiled("export const answer: number = 41;\n", file), first);
    });

    it("refuses a syntax error with the file and TypeScript's message, and keeps nothing", () => {
        const file = path.join(scratch, "broken.ts");
        for (let attempt = 0; attempt < 2; attempt++) {
            assert.throws(() => compiled("export const x = ;\n", file), (e: Error) => /Unable to compile TypeScript/.test(e.message) && e.message.includes("broken.ts") && /TS1109/.test(e.message));
        }
    });

    it("runs a file whose stack trace points at its TypeScript line", async () => {
        const result = await thrown;
        assert.equal(result.code, 1);
        assert.match(result.stderr, /a triangle/);
        assert.ok(result.stderr.includes(`${throwing}:5:`), result.stderr);
    });

    it("drops kept output nobody read for 30 days, checking at most once a day", () => {
        const DAY = 24 * 3600 * 1000;
        const entries = path.join(cacheDir, "zz");
        fs.mkdirSync(entries, { recursive: true });
        const [stale, recent] = [path.join(entries, "stale-test-entry.js"), path.join(entries, "recent-test-entry.js")];
        for (const file of [stale, recent]) fs.writeFileSync(file, "");
        const old = new Date(Date.now() - 40 * DAY);
        fs.utimesSync(stale, old, old);
        const lastPruned = new Date(Date.now() - 2 * DAY);
        const stamp = path.join(cacheDir, "pruned");
        fs.writeFileSync(stamp, "");
        fs.utimesSync(stamp, lastPruned, lastPruned);
        try {
            pruneUnused();
            assert.equal(fs.existsSync(stale), false, "an entry unread for 40 days goes");
            assert.equal(fs.existsSync(recent), true, "a recent entry stays");
            fs.writeFileSync(stale, "");
            fs.utimesSync(stale, old, old);
            pruneUnused();
            assert.equal(fs.existsSync(stale), true, "pruned less than a day ago: no second walk");
        } finally {
            fs.rmSync(entries, { recursive: true, force: true });
        }
    });
});
