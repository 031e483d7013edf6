// plan.*: `npm run plan` on a synthetic large stack (./largeStack: the real components, with as many
// ingest pipelines as asked), timed from spawn to exit, with the peak RSS of its process tree (the plan
// and the policy pack it serves). Two sizes give the cost per resource (the slope); the larger, about
// 2,000 resources, is held to the bound.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../bundle/bundle";
import { evaluateStack } from "../engine/evaluate";
import { typescriptArgs } from "../transpile/command";
import { Figure, figure } from "./figures";

const PROJECT = path.join(__dirname, "largeStack");
const MB = 1e6;

/** Resident bytes of a process and its descendants, from /proc (Linux). */
function treeRss(pid: number): number {
    let total = 0;
    try {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
        for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
            for (const child of fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) {
                total += treeRss(Number(child));
            }
        }
    } catch {
        // exited between the reads
    }
    return total;
}

interface PlanRun {
    resources: number;
    seconds: number;
    peakBytes: number;
}

/** The plan of one of the synthetic project's stacks (`small`, `large`: their sizes are in their stack files). */
async function planRun(stack: string): Promise<PlanRun> {
    const resources = (await evaluateStack(stack, { root: PROJECT })).resources.length;
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, typescriptArgs(path.join(REPO_ROOT, "tools", "engine", "plan.ts"), ["--project", PROJECT, "--stack", stack, "--json"]), { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRss(child.pid!))), 25);
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
    clearInterval(sampler);
    // Exit 1 is a mandatory violation: the synthetic stack is not held to the pack, only timed.
    if (code !== 0 && code !== 1) throw new Error(`plan of the ${stack} stack exited ${code}: ${stderr.slice(-500)}`);
    return { resources, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakBytes: peak };
}

export async function planFigures(progress: (m: string) => void): Promise<Figure[]> {
    progress("plan: the synthetic small stack once untimed, then the small and large stacks…");
    // The first process after an edit transpiles what changed and loads TypeScript to do it
    // (tools/transpile/register.js keeps the output): 6.4 s and 1,028 MB for the small stack in one such
    // run, 1.7 s and 325 MB once kept. That is the cost of an edit, not of a plan.
    await planRun("small");
    const a = await planRun("small");
    const b = await planRun("large");
    progress(`plan: ${a.resources} resources ${a.seconds.toFixed(1)} s ${(a.peakBytes / MB).toFixed(0)} MB; ${b.resources} resources ${b.seconds.toFixed(1)} s ${(b.peakBytes / MB).toFixed(0)} MB`);
    const perResource = (x: number, y: number) => (y - x) / (b.resources - a.resources);
    return [
        figure("plan.msPerResource", perResource(a.seconds * 1000, b.seconds * 1000), "ms", (a.seconds * 1000) / a.resources, `the ${a.resources}-resource plan's own average`),
        figure("plan.mbPerResource", perResource(a.peakBytes / MB, b.peakBytes / MB), "MB", a.peakBytes / MB / a.resources, `the ${a.resources}-resource plan's own average`),
        figure(`plan.seconds.${b.resources}resources`, b.seconds, "s", a.seconds, `the ${a.resources}-resource plan`),
        figure(`plan.peakMB.${b.resources}resources`, b.peakBytes / MB, "MB", a.peakBytes / MB, `the ${a.resources}-resource plan`),
    ];
}
