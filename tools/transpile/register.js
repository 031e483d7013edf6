// Loads TypeScript files the way `ts-node --transpile-only` does (TypeScript's transpileModule with
// the project's compiler options, syntax errors reported), but keeps each file's output in
// node_modules/.cache/tandem-transpile, keyed by the TypeScript version, the tsconfig text, this
// file's own text and the file's path and text. ts-node loads the compiler and transpiles every file again in every process
// (about 1.5 s and 50 MB per process for the plan, the pack and the test run); once the cache is warm,
// a process loads no compiler at all. The output is TypeScript's own, so the functions Pulumi
// serializes into Lambda archives are the same text either way (test/transpile/register.test.ts).
//
// Used as `node -r ./tools/transpile/register.js <file.ts>` (the npm scripts, the pack host, mocha).
// The project is ts-node's: TS_NODE_PROJECT, else the nearest tsconfig.json above the working folder
// (else this repository's).
// Plain JavaScript on purpose: it is what makes TypeScript loadable.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

/** ts-node's default ignoreDiagnostics: not errors of the file itself. */
const IGNORED_DIAGNOSTICS = new Set([6059, 18002, 18003]);

function findProject() {
    if (process.env.TS_NODE_PROJECT) {
        return path.resolve(process.env.TS_NODE_PROJECT);
    }
    for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "tsconfig.json");
        if (fs.existsSync(candidate)) {
            return candidate;
        }
        if (path.dirname(dir) === dir) {
            // Run from outside any project: the tools' own.
            return path.join(__dirname, "..", "..", "tsconfig.json");
        }
    }
}

const project = findProject();
const typescriptPath = require.resolve("typescript", { paths: [path.dirname(project), __dirname] });
const typescriptVersion = JSON.parse(fs.readFileSync(path.join(path.dirname(typescriptPath), "..", "package.json"), "utf8")).version;
const projectText = fs.readFileSync(project, "utf8");
const cacheDir = path.join(__dirname, "..", "..", "node_modules", ".cache", "tandem-transpile");
// This file is part of the key too: a change to how it transpiles must not serve older output.
const projectKey = crypto.createHash("sha256").update(`${typescriptVersion}\0${project}\0${projectText}\0`).update(fs.readFileSync(__filename)).digest();

const DAY_MS = 24 * 3600 * 1000;
/** Kept output not read for this long goes (each edit of a file leaves its former output behind). */
const UNUSED_MS = 30 * DAY_MS;

/** Removes output unused for UNUSED_MS; does the walk at most once a day (a stamp file says when). */
function pruneUnused(now = Date.now()) {
    const stamp = path.join(cacheDir, "pruned");
    try {
        if (now - fs.statSync(stamp).mtimeMs < DAY_MS) {
            return;
        }
    } catch {
        // never pruned
    }
    try {
        fs.mkdirSync(cacheDir, { recursive: true });
        fs.writeFileSync(stamp, "");
        for (const entry of fs.readdirSync(cacheDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
            for (const name of fs.readdirSync(path.join(cacheDir, entry.name))) {
                const file = path.join(cacheDir, entry.name, name);
                const { atimeMs, mtimeMs } = fs.statSync(file);
                if (now - Math.max(atimeMs, mtimeMs) > UNUSED_MS) {
                    fs.rmSync(file, { force: true });
                }
            }
        }
    } catch {
        // Another process pruning at the same time, or a read-only checkout.
    }
}

let compiler;
let prunedThisProcess = false;

/** TypeScript and the project's options, loaded on the first file not yet in the cache. */
function loadCompiler() {
    if (compiler === undefined) {
        const ts = require(typescriptPath);
        const parsed = ts.getParsedCommandLineOfConfigFile(project, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => {
            throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        } });
        // As ts-node: an emit the runtime can load, with the source map inline for stack traces.
        const options = { ...parsed.options, sourceMap: false, inlineSourceMap: true, inlineSources: true, declaration: false, declarationMap: false, noEmit: false, emitDeclarationOnly: false };
        delete options.outDir;
        delete options.out;
        delete options.outFile;
        delete options.tsBuildInfoFile;
        compiler = { ts, options };
    }
    return compiler;
}

function transpile(source, filename) {
    const { ts, options } = loadCompiler();
    const result = ts.transpileModule(source, { fileName: filename, compilerOptions: options, reportDiagnostics: true });
    const errors = (result.diagnostics ?? []).filter((d) => !IGNORED_DIAGNOSTICS.has(d.code));
    if (errors.length > 0) {
        const host = { getCurrentDirectory: () => process.cwd(), getCanonicalFileName: (f) => f, getNewLine: () => "\n" };
        throw new Error(`⨯ Unable to compile TypeScript:\n${ts.formatDiagnostics(errors, host)}`);
    }
    return result.outputText;
}

/** The file's JavaScript: from the cache, else transpiled and kept (written whole, then renamed in). */
function compiled(source, filename) {
    const key = crypto.createHash("sha256").update(projectKey).update(`\0${filename}\0`).update(source).digest("hex");
    const file = path.join(cacheDir, key.slice(0, 2), `${key}.js`);
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        const output = transpile(source, filename);
        if (!prunedThisProcess) {
            prunedThisProcess = true;
            pruneUnused();
        }
        try {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            const partial = `${file}.${process.pid}.tmp`;
            fs.writeFileSync(partial, output);
            fs.renameSync(partial, file);
        } catch {
            // A read-only checkout still runs, only without the cache.
        }
        return output;
    }
}

/** What each loaded file ran as, for stack traces. */
const loaded = new Map();

require.extensions[".ts"] = (module, filename) => {
    const output = compiled(fs.readFileSync(filename, "utf8"), filename);
    loaded.set(filename, output);
    module._compile(output, filename);
};

// Stack traces through the inline source maps, read only when a trace is formatted (as under ts-node;
// Node's own source map support would read every dependency's map as it loads).
require("@cspotcode/source-map-support").install({ environment: "node", retrieveFile: (file) => loaded.get(file) ?? "" });

module.exports = { cacheDir, compiled, project, pruneUnused };
