// coldInit.<fn>: a fresh Node process loading the unzipped archive the way the Lambda runtime does
// (spawn until the handler is ready: __index.js loaded, the factory run: config, SDK require, clients),
// against a handler that only loads the SDK and makes an S3 client, built and started the same way:
// what our code adds to the SDK's own cold start. coldInit.vsEmpty.<fn>: the same against an empty
// handler, which shows how much of a cold start the SDK is.
import { execFileSync } from "child_process";
import { REPO_ROOT, startLambdaProcess } from "../bundle/bundle";
import { FUNCTIONS } from "./archives";
import { Figure, figure, median } from "./figures";

type Variant = "empty" | "sdk" | (typeof FUNCTIONS)[number];

export async function coldInitFigures(dirs: Map<string, string>, envFor: (fn: (typeof FUNCTIONS)[number]) => Record<string, string>, runs: number, progress: (m: string) => void): Promise<Figure[]> {
    const variants: Variant[] = ["empty", "sdk", ...FUNCTIONS];
    const samples = new Map<Variant, number[]>(variants.map((v) => [v, []]));
    progress(`cold init: ${runs} fresh processes per handler, interleaved…`);
    for (let run = 0; run < runs + 1; run++) {
        const order = run % 2 === 0 ? variants : [...variants].reverse();
        for (const variant of order) {
            const proc = await startLambdaProcess(dirs.get(variant)!, envFor(variant === "empty" || variant === "sdk" ? "api" : variant));
            await proc.stop();
            if (run > 0) samples.get(variant)!.push(proc.readyMs); // the first round warms the OS file cache
        }
    }
    const at = (v: Variant) => median(samples.get(v)!);
    progress(`cold init, spawn → ready (ms, median): ${variants.map((v) => `${v} ${at(v).toFixed(1)}`).join(", ")}`);
    return [
        ...FUNCTIONS.map((fn) => figure(`coldInit.${fn}`, at(fn), "ms", at("sdk"), "a handler that only loads the SDK and makes a client")),
        ...FUNCTIONS.map((fn) => figure(`coldInit.vsEmpty.${fn}`, at(fn), "ms", at("empty"), "an empty handler")),
    ];
}

/** What loading Powertools' logger and metrics would add to every cold start (fresh processes). */
export function powertoolsRequire(runs: number, empty: number): Figure {
    const script = 'const {performance}=require("perf_hooks");const t=performance.now();require("@aws-lambda-powertools/logger");require("@aws-lambda-powertools/metrics");console.log(performance.now()-t)';
    const times = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ["-e", script], { cwd: REPO_ROOT }).toString().trim()));
    return figure("coldInit.powertoolsRequire", median(times), "ms", empty, "an empty handler's cold start");
}
