// The type check the Node.js runtime does before the program runs: `pulumi up` loads the entry point
// through ts-node (sdk/nodejs/cmd/run/run.ts), which type-checks every file it loads unless
// PULUMI_NODEJS_TRANSPILE_ONLY or the tsconfig's `noCheck` (or ts-node's own `transpileOnly`) says
// otherwise. Here: the same tsconfig, the entry point and everything it imports.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { entryPoint, Project } from "./project";
import { Problem } from "./rules";

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
    return fs.existsSync(file) ? ts.parseConfigFileTextToJson(file, fs.readFileSync(file, "utf8")).config : undefined;
}

/** Type errors in the program, as ts-node would report them; empty when it type-checks. */
export function typeCheck(root: string, project: Project): Problem[] {
    const file = tsconfigPath(root, project);
    let options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS };
    if (fs.existsSync(file)) {
        const parsed = ts.getParsedCommandLineOfConfigFile(file, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
        if (parsed) {
            options = parsed.options;
        }
    }
    const entry = entryPoint(root, project);
    const program = ts.createProgram([entry], { ...options, noEmit: true });
    return ts.getPreEmitDiagnostics(program)
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
}
