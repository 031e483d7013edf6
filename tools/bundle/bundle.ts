// Build, unpack and run Lambda archives outside the calling process: shared by the bundle test and the
// benchmark. The archives are built by tools/bundle/buildArchives.ts in a child process (Pulumi's mock
// runtime is process-global state), and each unpacked archive runs in a fresh Node process
// (tools/bundle/lambdaRunner.js) that can resolve only what a Lambda function can: the files of its
// archive, and the AWS SDK v3 the Node.js runtime provides (simulated by a folder on NODE_PATH holding
// just the SDK's packages, like /var/runtime/node_modules).

import { ChildProcess, execFile, fork } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StringDecoder } from "string_decoder";
import AdmZip from "adm-zip";
import { typescriptArgs } from "../transpile/command";
import { RUNTIME_PROVIDED_PACKAGES } from "../../functions/callbacks";
import type { BuiltArchive } from "./buildArchives";

export type { BuiltArchive };

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Builds the given variants (see buildArchives.ts) into outDir, in a child process. */
export function buildArchives(variants: string[], outDir: string): Promise<BuiltArchive[]> {
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            typescriptArgs(path.join(REPO_ROOT, "tools", "bundle", "buildArchives.ts"), [outDir, ...variants]),
            { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, PULUMI_CONFIG: "{}" } },
            (error, stdout, stderr) => {
                if (error) {
                    reject(new Error(`building archives failed: ${error.message}\n${stderr}`));
                    return;
                }
                const line = stdout.trim().split("\n").pop() ?? "";
                try {
                    resolve((JSON.parse(line) as { archives: BuiltArchive[] }).archives);
                } catch {
                    reject(new Error(`building archives printed no result:\n${stdout}\n${stderr}`));
                }
            },
        );
    });
}

/** Unpacks a zip into a new folder under the OS temp dir (outside the repository, so nothing resolves from its node_modules). */
export function extractArchive(zipFile: string, parent = os.tmpdir()): string {
    const dir = fs.mkdtempSync(path.join(parent, `tandem-${path.basename(zipFile, ".zip")}-`));
    new AdmZip(zipFile).extractAllTo(dir, true);
    return dir;
}

function packageDir(name: string, from: string): string | undefined {
    let dir = from;
    for (;;) {
        const candidate = path.join(dir, "node_modules", name);
        if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
        const parent = path.dirname(dir);
        if (parent === dir) return undefined;
        dir = parent;
    }
}

/**
 * A folder that plays the Lambda runtime's /var/runtime/node_modules: symlinks to the SDK packages the
 * functions use and everything they depend on, nothing else. Put it on NODE_PATH.
 */
export function lambdaRuntimeNodePath(): string {
    const closure = new Map<string, string>();
    const visit = (name: string, from: string) => {
        const dir = packageDir(name, from);
        if (dir === undefined) return; // an optional dependency that is not installed
        const real = fs.realpathSync(dir);
        if (closure.has(name) && closure.get(name) !== real) {
            // A nested, different version: its dependant finds it through its own node_modules.
            return;
        }
        if (closure.has(name)) return;
        closure.set(name, real);
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
        for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, real);
    };
    for (const name of RUNTIME_PROVIDED_PACKAGES) visit(name, REPO_ROOT);
    const digest = crypto.createHash("sha256").update(JSON.stringify([...closure].sort())).digest("hex").slice(0, 12);
    const root = path.join(os.tmpdir(), `tandem-lambda-runtime-${digest}`);
    const nodeModules = path.join(root, "node_modules");
    if (!fs.existsSync(path.join(root, ".complete"))) {
        fs.rmSync(root, { recursive: true, force: true });
        for (const [name, real] of closure) {
            const link = path.join(nodeModules, name);
            fs.mkdirSync(path.dirname(link), { recursive: true });
            fs.symlinkSync(real, link, "dir");
        }
        fs.writeFileSync(path.join(root, ".complete"), "");
    }
    return nodeModules;
}

export interface InvokeResult {
    result?: unknown;
    error?: { name: string; message: string; stack?: string };
    durationMs: number;
}

export interface LambdaProcess {
    readonly pid: number;
    /** Spawn until the handler was ready (module loaded, factory run), wall clock. */
    readonly readyMs: number;
    /** In-process time to load __index.js (including the factory). */
    readonly loadMs: number;
    /** RSS once ready, before any invocation. */
    readonly readyRssBytes: number;
    invoke(event: unknown, remainingMs?: number): Promise<InvokeResult>;
    stats(): Promise<{ maxRssKiB: number; rssBytes: number }>;
    /** Everything the process wrote to stdout / stderr so far (its logs), up to the last reply at least. */
    output(): { stdout: string; stderr: string };
    stop(): Promise<void>;
}

export class LambdaInitError extends Error {
    constructor(
        message: string,
        readonly stderr: string,
    ) {
        super(message);
        this.name = "LambdaInitError";
    }
}

/**
 * The flags Lambda's Node.js runtime starts node with, from the memory size it sets in the environment:
 * its bootstrap (/var/runtime/bootstrap, as printed from the public.ecr.aws/lambda/nodejs:18 image; the
 * nodejs22 one was not read here) gives a tenth of the memory to the young generation (half of it per
 * semi-space) and the rest to the old one, and exposes gc(). Given on the command line there, they
 * override a NODE_OPTIONS the function sets (Node's CLI docs: NODE_OPTIONS is read before the command
 * line; test/bundle/lambdaProcess.test.ts checks it here).
 */
export function lambdaNodeFlags(env: Record<string, string>): string[] {
    const flags = ["--expose-gc", "--max-http-header-size=81920"];
    const memoryMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
    if (Number.isInteger(memoryMb) && memoryMb > 0) {
        const newSpace = Math.floor(memoryMb / 10);
        flags.push(`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`);
    }
    return flags;
}

/**
 * Starts a fresh Node process running the unpacked archive in `dir` with exactly `env` (plus PATH and
 * the simulated runtime on NODE_PATH) and Lambda's node flags, and waits until its handler is ready.
 */
export function startLambdaProcess(dir: string, env: Record<string, string>): Promise<LambdaProcess> {
    const runner = path.join(REPO_ROOT, "tools", "bundle", "lambdaRunner.js");
    const t0 = process.hrtime.bigint();
    const child: ChildProcess = fork(runner, [dir], {
        cwd: dir,
        execArgv: lambdaNodeFlags(env),
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", TZ: "UTC", NODE_PATH: lambdaRuntimeNodePath(), ...env },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const output = { stdout: "", stderr: "" };
    const received = { stdout: 0, stderr: 0 };
    for (const stream of ["stdout", "stderr"] as const) {
        const decoder = new StringDecoder("utf8");
        child[stream]!.on("data", (chunk: Buffer) => {
            output[stream] += decoder.write(chunk);
            received[stream] += chunk.length;
            deliver();
        });
    }
    let nextId = 1;
    const pending = new Map<number, (message: any) => void>();
    // A reply is handed over once the logs written before it have arrived (see lambdaRunner.js).
    let waitingForLogs: any[] = [];
    const hand = (message: any) => {
        pending.get(message.id)?.(message);
        pending.delete(message.id);
    };
    function deliver() {
        const arrived = (m: any) => received.stdout >= m.written.stdout && received.stderr >= m.written.stderr;
        const due = waitingForLogs.filter(arrived);
        waitingForLogs = waitingForLogs.filter((m) => !arrived(m));
        due.forEach(hand);
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.on("message", (message: any) => {
        if (pending.has(message?.id) && message.written) {
            waitingForLogs.push(message);
            deliver();
        }
    });
    // Once its pipes are closed nothing more arrives: replies still waiting for logs are handed over as
    // they are, and requests without a reply fail.
    child.once("close", (code) => {
        waitingForLogs.forEach(hand);
        waitingForLogs = [];
        for (const waiter of pending.values()) waiter({ type: "result", error: { name: "ProcessExit", message: `exited with ${code}: ${output.stderr}` }, durationMs: 0 });
        pending.clear();
    });

    function request(message: Record<string, unknown>): Promise<any> {
        const id = nextId++;
        return new Promise((resolve) => {
            pending.set(id, resolve);
            child.send({ ...message, id });
        });
    }

    return new Promise((resolve, reject) => {
        const onFirst = (message: any) => {
            if (message?.type === "ready") {
                const readyMs = Number(process.hrtime.bigint() - t0) / 1e6;
                resolve({
                    pid: child.pid!,
                    readyMs,
                    loadMs: message.loadMs,
                    readyRssBytes: message.rssBytes,
                    invoke: (event, remainingMs = 30_000) => request({ type: "invoke", event, remainingMs }),
                    stats: () => request({ type: "stats" }),
                    output: () => ({ ...output }),
                    async stop() {
                        if (child.exitCode === null && child.signalCode === null) {
                            child.send({ type: "exit" });
                            const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
                            if (!done) child.kill("SIGKILL");
                        }
                        await exited;
                    },
                });
            } else if (message?.type === "initError") {
                child.kill("SIGKILL");
                reject(new LambdaInitError(`${message.error.name}: ${message.error.message}`, output.stderr));
            } else {
                child.once("message", onFirst);
            }
        };
        child.once("message", onFirst);
        child.once("exit", (code) => reject(new LambdaInitError(`the function process exited (${code}) before it was ready: ${output.stderr}`, output.stderr)));
    });
}
