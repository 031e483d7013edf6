// A Node.js process of its own, for what a test must not do to its own process (shape its heap, load a
// module in place of another) or must see fail (a syntax error at load).
import { execFile } from "child_process";

export interface NodeRun {
    code: number;
    stdout: string;
    stderr: string;
}

/** `node <args>`, run to its exit; resolves with its exit code and output, whatever the code. */
export function runNode(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<NodeRun> {
    return new Promise((resolve) => {
        execFile(process.execPath, args, options, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }));
    });
}
