// The type check the Node.js runtime does before the program runs: `pulumi up` loads the entry point
// through ts-node (sdk/nodejs/cmd/run/run.ts), which type-checks every file it loads unless
// PULUMI_NODEJS_TRANSPILE_ONLY or the tsconfig's `noCheck` (or ts-node's own `transpileOnly`) says
// otherwise. Here: the same tsconfig, the entry point and everything it imports. The check reads the
// provider's declarations (seconds, and hundreds of MB for @pulumi/aws), so it runs in a process of its
// own, next to the evaluation, and its verdict is kept (.tandem/typecheck.json) until a file it read
// changes.
import { execFile } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as TypeScript from "typescript";
import { typescriptArgs } from "../../transpile/command";
import { entryPoint, Project } from "./project";
import { Problem } from "./rules";

/** The compiler, loaded only to check: the plan's own process needs no more than its version. */
const typescript = (): typeof TypeScript => require("typescript");
const TYPESCRIPT_VERSION: string = require("typescript/package.json").version;

/** Whether the runtime would skip type-checking, and why. */
export function transpileOnlyReason(root: string, project: Project, env: NodeJS.ProcessEnv = process.env): string | undefined {
    if (project.runtime.options.typescript === false) {
        return "runtime option typescript is false";
    }
    if (env.PULUMI_NODEJS_TRANSPILE_ONLY !== undefined) {
        return env.PULUMI_NODEJS_TRANSPILE_ONLY === "true" ? "PULUMI_NODEJS_TRANSPILE_ONLY is true" : undefined;
    }
    const tsconfig = readTsconfig(root, project);
    if (tsconfig?.compilerOptions?.noCheck === true) {
        return "tsconfig.json sets compilerOptions.noCheck";
    }
    if (tsconfig?.["ts-node"]?.transpileOnly === true) {
        return "tsconfig.json sets ts-node.transpileOnly";
    }
    return undefined;
}

function tsconfigPath(root: string, project: Project): string {
    const option = project.runtime.options.tsconfig;
    return path.resolve(root, typeof option === "string" ? option : "tsconfig.json");
}

function readTsconfig(root: string, project: Project): any {
    const file = tsconfigPath(root, project);
    if (!fs.existsSync(file)) {
        return undefined;
    }
    const text = fs.readFileSync(file, "utf8");
    try {
        return JSON.parse(text);
    } catch {
        // Comments or trailing commas: tsconfig's own dialect.
        return typescript().parseConfigFileTextToJson(file, text).config;
    }
}

export interface TypeCheckResult {
    problems: Problem[];
    /** The files outside node_modules the check read, with the tsconfig: what its verdict depends on. */
    inputs: string[];
}

/** Type errors in the program, as ts-node would report them (empty when it type-checks), in this process. */
export function typeCheck(root: string, project: Project): TypeCheckResult {
    const ts = typescript();
    const file = tsconfigPath(root, project);
    let options: TypeScript.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS };
    if (fs.existsSync(file)) {
        const parsed = ts.getParsedCommandLineOfConfigFile(file, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
        if (parsed) {
            options = parsed.options;
        }
    }
    const entry = entryPoint(root, project);
    const program = ts.createProgram([entry], { ...options, noEmit: true });
    const inputs = [file, ...program.getSourceFiles().map((f) => f.fileName).filter((f) => !f.includes("/node_modules/"))];
    const problems = ts.getPreEmitDiagnostics(program)
        .filter((d) => d.category === ts.DiagnosticCategory.Error)
        .map((d) => {
            const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
            const name = d.file ? path.relative(root, d.file.fileName) : path.relative(root, entry);
            return {
                rule: "program-type-check" as const,
                file: name,
                message: `${name}${where ? `(${where.line + 1},${where.character + 1})` : ""}: error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
            };
        });
    return { problems, inputs };
}

/** The installed dependencies' lockfile of the project (its own, or the nearest folder's above). */
function lockfile(root: string): string | undefined {
    for (let dir = root; ; dir = path.dirname(dir)) {
        const file = path.join(dir, "package-lock.json");
        if (fs.existsSync(file)) return file;
        if (path.dirname(dir) === dir) return undefined;
    }
}

const CACHE_VERSION = 1;

/** A digest of what a verdict depends on: the files read, the dependencies installed, the compiler. */
function digestOf(root: string, inputs: string[]): string | undefined {
    const hash = createHash("sha256").update(`${CACHE_VERSION}\0${TYPESCRIPT_VERSION}\0`);
    for (const file of [...inputs, lockfile(root)].filter((f): f is string => f !== undefined).sort()) {
        if (!fs.existsSync(file)) return undefined;
        hash.update(file).update("\0").update(fs.readFileSync(file)).update("\0");
    }
    return hash.digest("hex");
}

function cacheFile(root: string): string {
    return path.join(root, ".tandem", "typecheck.json");
}

/** The kept verdict, when nothing it depends on has changed since. */
function cached(root: string): Problem[] | undefined {
    try {
        const entry = JSON.parse(fs.readFileSync(cacheFile(root), "utf8")) as { inputs: string[]; digest: string; problems: Problem[] };
        return digestOf(root, entry.inputs) === entry.digest ? entry.problems : undefined;
    } catch {
        return undefined;
    }
}

/**
 * The type check's verdict: the kept one when still valid, else computed in a child process
 * (./typecheckWorker.ts) and kept. A failed check is kept too: it stands until a file changes.
 */
export async function typeCheckInChild(root: string): Promise<Problem[]> {
    const kept = cached(root);
    if (kept !== undefined) {
        return kept;
    }
    const output = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, typescriptArgs(path.join(__dirname, "typecheckWorker.ts"), [root]), { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (error) reject(new Error(`the type check failed to run: ${stderr || error.message}`));
            else resolve(stdout);
        });
    });
    const result = JSON.parse(output) as TypeCheckResult;
    const digest = digestOf(root, result.inputs);
    if (digest !== undefined) {
        fs.mkdirSync(path.dirname(cacheFile(root)), { recursive: true });
        fs.writeFileSync(cacheFile(root), JSON.stringify({ inputs: result.inputs, digest, problems: result.problems }));
    }
    return result.problems;
}
