// The transpile hook every tool, the pack host and mocha load TypeScript through: TypeScript's own
// output (as `ts-node --transpile-only` gives it), kept by content, syntax errors reported, and stack
// traces pointing at the TypeScript lines.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../../tools/engine/evaluate";
import { REGISTER } from "../../tools/transpile/command";

const { compiled } = require(REGISTER) as { compiled(source: string, filename: string): string };

/** Code without the source map comment (ts-node and the hook attach theirs differently). */
const code = (js: string) => js.replace(/^\/\/# sourceMappingURL=.*$/m, "").trimEnd();

function programFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const file = path.join(dir, e.name);
        return e.isDirectory() ? programFiles(file) : e.name.endsWith(".ts") ? [file] : [];
    });
}

function run(file: string): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, ["-r", REGISTER, file], { cwd: ROOT }, (err, _stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }));
    });
}

describe("transpile hook (tools/transpile/register.js)", () => {
    let scratch: string;
    before(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-transpile-"))));
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("emits exactly what ts-node --transpile-only emits for the program, so serialized callbacks are the same text", () => {
        const tsNode = require("ts-node").create({ transpileOnly: true, project: path.join(ROOT, "tsconfig.json") });
        const files = [path.join(ROOT, "index.ts"), ...programFiles(path.join(ROOT, "infra")), ...programFiles(path.join(ROOT, "functions"))];
        assert.ok(files.length > 20, `${files.length} program files`);
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
        const file = path.join(scratch, "throws.ts");
        fs.writeFileSync(file, "interface Shape { sides: number }\nconst shape: Shape = { sides: 3 };\n\nif (shape.sides === 3) {\n    throw new Error(`a triangle`);\n}\n");
        const result = await run(file);
        assert.equal(result.code, 1);
        assert.match(result.stderr, /a triangle/);
        assert.ok(result.stderr.includes(`${file}:5:`), result.stderr);
    });
});
