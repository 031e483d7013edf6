// Runs a tool the way `npm run <tool> -- ... | jq` does: its stdout is a real pipe whose reader starts
// late, so the pipe's 64 KiB buffer fills and the tool must wait for it to drain before exiting.
import { execFile } from "child_process";
import { ROOT } from "../../tools/engine/evaluate";
import { typescriptArgs } from "../../tools/transpile/command";

export function throughSlowPipe(tool: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const command = [process.execPath, ...typescriptArgs(tool, args)].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    // PIPESTATUS keeps the tool's own exit code; the reader sleeps before draining.
    const script = `${command} | (sleep 1; cat); exit \${PIPESTATUS[0]}`;
    return new Promise((resolve) => {
        execFile("bash", ["-c", script], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
            resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
        });
    });
}
