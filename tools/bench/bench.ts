// npm run bench [-- --json] [--quick] [--powertools] [--only <group>]
// Performance figures, each against a baseline measured in the same run (figures.ts has the goals).
// One `name: value unit (baseline …; ratio …; goal …)` line per figure, or with --json one array of
// {name, value, unit, baseline, ratio, against}. Progress goes to stderr.
//   archive   archive.<fn>                 (./archives.ts)
//   coldInit  coldInit.<fn>, coldInit.vsEmpty.<fn>   (./coldInit.ts)
//   ingest    ingest.throughput[.warm|.oneStream], ingest.sdkChecksum, ingest.throttled, ingest.rss.* (./ingest.ts)
//   api       api.p50, api.p99, api.p99.concurrent   (./api.ts)
//   plan      plan.msPerResource, plan.mbPerResource, plan.*.2000resources (./plan.ts)
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { choiceFlag, Io, parseCommandArgs, runCli } from "../cli";
import { extractArchive } from "../bundle/bundle";
import { functionEnv, MotoServer, provisionApp, startMoto, useEmulatorCredentials } from "../local/emulator";
import { apiFigures } from "./api";
import { archiveFigures, FUNCTIONS } from "./archives";
import { coldInitFigures, powertoolsRequire } from "./coldInit";
import { Figure, figureLine } from "./figures";
import { BENCH_MOTO_ENV, ingestFigures } from "./ingest";
import { planFigures } from "./plan";

const GROUPS = ["archive", "coldInit", "ingest", "api", "plan"] as const;

const SPEC = {
    usage: [
        "usage: npm run bench [-- --json] [--quick] [--powertools] [--only archive|coldInit|ingest|api|plan]",
        "  --json         one JSON array of figures",
        "  --quick        fewer repetitions (a smoke run)",
        "  --powertools   also what Powertools for AWS Lambda would cost (archive size, require time)",
        "  --only         one group of figures",
    ].join("\n"),
    options: { json: { type: "boolean" }, quick: { type: "boolean" }, powertools: { type: "boolean" }, only: { type: "string" } },
} as const;

export async function bench(argv: string[], io: Io): Promise<number> {
    const args = parseCommandArgs(argv, SPEC);
    if (args.help) {
        io.out(SPEC.usage);
        return 0;
    }
    const only = choiceFlag("only", args.only, GROUPS);
    const wanted = (group: (typeof GROUPS)[number]) => only === undefined || only === group;
    const quick = args.quick === true;
    const progress = (message: string) => io.err(`bench: ${message}`);
    useEmulatorCredentials();
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-bench-"));
    let moto: MotoServer | undefined;
    const figures: Figure[] = [];
    try {
        if (wanted("archive") || wanted("coldInit") || wanted("ingest") || wanted("api")) {
            progress("building the archives as CallbackFunction does…");
            const built = await archiveFigures(outDir, { powertools: args.powertools === true });
            if (wanted("archive")) figures.push(...built.figures);
            const dirs = new Map(["empty", "sdk", ...FUNCTIONS].map((v) => [v, extractArchive(built.built.get(v)!.file, outDir)]));
            progress("starting moto and provisioning it from the program…");
            moto = await startMoto({ env: BENCH_MOTO_ENV });
            const { primary } = await provisionApp(moto.endpoint);
            if (wanted("coldInit")) {
                const cold = await coldInitFigures(dirs, (fn) => functionEnv(moto!.endpoint, primary, fn), quick ? 5 : 21, progress);
                figures.push(...cold);
                if (args.powertools) figures.push(powertoolsRequire(quick ? 5 : 21, cold.find((f) => f.name === "coldInit.vsEmpty.api")!.baseline));
            }
            if (wanted("ingest")) figures.push(...(await ingestFigures(moto, primary, dirs.get("ingest")!, quick ? 1 : 7, progress)));
            if (wanted("api")) figures.push(...(await apiFigures(moto, primary, dirs.get("api")!, quick ? { iterations: 60, warmup: 10, rounds: 10 } : { iterations: 400, warmup: 40, rounds: 10 }, progress)));
        }
        if (wanted("plan")) figures.push(...(await planFigures(progress)));
    } finally {
        await moto?.stop();
        fs.rmSync(outDir, { recursive: true, force: true });
    }
    io.out(args.json ? JSON.stringify(figures, null, 2) : figures.map(figureLine).join("\n"));
    progress(`node ${process.version}, ${os.cpus().length} CPU(s), ${os.arch()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    return 0;
}

runCli(module, bench);
