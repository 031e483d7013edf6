// Runs a tool's main function in this process, as `npm run <tool>` would (same exit codes), with its
// output captured.
import { Io, runMain } from "../../tools/cli";

export interface ToolRun {
    code: number;
    stdout: string;
    stderr: string;
}

export async function runTool(main: (argv: string[], io: Io) => Promise<number>, argv: string[]): Promise<ToolRun> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runMain(main, argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** Runs `fn` with process.env changed by `env` (undefined removes a variable), then restores it. */
export async function withEnvironment<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
    const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    try {
        return await fn();
    } finally {
        for (const [k, v] of saved) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    }
}
