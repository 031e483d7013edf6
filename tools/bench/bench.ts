// npm run bench: performance figures of the functions, each against a baseline measured in the same run.
// One `name: value unit` line per figure (then the baseline, ratio and goal); `--json` prints one JSON
// array of {name, value, unit, baseline, ratio} (ratio = value / baseline). Progress goes to stderr.
//
//   archive.<fn>        KiB   zipped archive, built exactly as CallbackFunction builds it
//                              baseline: the same callback through a CallbackFunction with defaults
//   coldInit.<fn>       ms    fresh Node process: spawn until the handler is ready (__index.js loaded,
//                              factory run: config, SDK require, clients); median of N
//                              baseline: an empty handler built and started the same way
//   ingest.throughput   MB/s  ingest of a 256 MiB object on moto (bundled handler, fresh process)
//                              baseline: a bare SDK GetObject read-and-discard of the same object
//   ingest.rss.16MiB    MiB   peak RSS of the ingest process for a 16 MiB / 256 MiB object
//   ingest.rss.256MiB          baseline: the process's RSS before the run (ready, idle)
//   api.p50 / api.p99   ms    PUT + GET of 1 KiB through the bundled api handler
//                              baseline: the same two calls with the bare SDK
//
//   npm run bench [-- --json] [--quick] [--powertools]
//   --quick: fewer repetitions (a smoke run). --powertools: also measure what Powertools would cost.

import { ChildProcess, execFileSync, fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import type * as S3 from "@aws-sdk/client-s3";
import type * as Storage from "@aws-sdk/lib-storage";
import { PREFIX } from "../../functions/contract";
import { buildArchives, BuiltArchive, extractArchive, LambdaProcess, REPO_ROOT, startLambdaProcess } from "../bundle/bundle";
import { clientConfig, functionEnv, MotoServer, provisionApp, RegionFixture, startMoto, useEmulatorCredentials } from "../local/emulator";

interface Figure {
    name: string;
    value: number;
    unit: string;
    baseline: number;
    ratio: number;
}

interface Goal {
    /** Human-readable goal. */
    text: string;
    met: (f: Figure) => boolean;
}

const args = new Set(process.argv.slice(2));
for (const arg of args) {
    if (!["--json", "--quick", "--powertools"].includes(arg)) {
        process.stderr.write(`unknown argument ${arg}\nusage: npm run bench [-- --json] [--quick] [--powertools]\n`);
        process.exit(2);
    }
}
const JSON_OUTPUT = args.has("--json");
const QUICK = args.has("--quick");
const POWERTOOLS = args.has("--powertools");
const COLD_RUNS = QUICK ? 5 : 21;
const THROUGHPUT_RUNS = QUICK ? 1 : 7;
const API_ITERATIONS = QUICK ? 60 : 400;
const API_WARMUP = QUICK ? 10 : 40;

const MiB = 1024 * 1024;
const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
const round = (n: number, digits = 3) => Number(n.toFixed(digits));
const median = (xs: number[]) => percentile(xs, 50);

function percentile(xs: number[], p: number): number {
    const sorted = [...xs].sort((a, b) => a - b);
    if (sorted.length === 0) return NaN;
    const rank = (p / 100) * (sorted.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

function figure(name: string, value: number, unit: string, baseline: number): Figure {
    return { name, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline, 4) };
}

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;
const libStorage = require("@aws-sdk/lib-storage") as typeof Storage;

function startWorker(env: Record<string, string>): Promise<{ request: (m: Record<string, unknown>) => Promise<any>; stop: () => void }> {
    const child: ChildProcess = fork(path.join(__dirname, "benchWorker.js"), [], {
        cwd: REPO_ROOT,
        execArgv: [],
        env: { PATH: process.env.PATH ?? "", ...env },
        stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    let next = 1;
    const waiting = new Map<number, (m: any) => void>();
    child.on("message", (m: any) => {
        const w = waiting.get(m?.id);
        if (w) {
            waiting.delete(m.id);
            w(m);
        }
    });
    return new Promise((resolve, reject) => {
        child.once("message", () =>
            resolve({
                request: (m) =>
                    new Promise((res, rej) => {
                        const id = next++;
                        waiting.set(id, (answer) => (answer.error ? rej(new Error(answer.error)) : res(answer)));
                        child.send({ ...m, id });
                    }),
                stop: () => child.kill(),
            }),
        );
        child.once("exit", (code) => reject(new Error(`bench worker exited (${code})`)));
    });
}

async function archives(outDir: string): Promise<{ built: Map<string, BuiltArchive>; figures: Figure[]; extra: Figure[] }> {
    progress("building the archives as CallbackFunction does (functions, plain defaults, empty handler)…");
    const variants = ["api", "ingest", "canary", "empty", "sdk", "api:plain", "ingest:plain", "canary:plain", ...(POWERTOOLS ? ["api:powertools"] : [])];
    const built = new Map((await buildArchives(variants, outDir)).map((a) => [a.variant, a]));
    const kib = (variant: string) => built.get(variant)!.zippedBytes / 1024;
    const figures = ["api", "ingest", "canary"].map((fn) => figure(`archive.${fn}`, kib(fn), "KiB", kib(`${fn}:plain`)));
    const extra = POWERTOOLS ? [figure("archive.api.withPowertools", kib("api:powertools"), "KiB", kib("api"))] : [];
    return { built, figures, extra };
}

async function coldInit(dirs: Map<string, string>, envFor: (fn: "api" | "ingest" | "canary") => Record<string, string>): Promise<{ figures: Figure[]; loadMs: Record<string, number> }> {
    // "sdk" (load the SDK, make a client, nothing else) is not a figure: it shows how much of the cold
    // start is the AWS SDK itself.
    const variants = ["empty", "sdk", "api", "ingest", "canary"] as const;
    const samples = new Map<string, number[]>(variants.map((v) => [v, []]));
    const loads = new Map<string, number[]>(variants.map((v) => [v, []]));
    progress(`cold init: ${COLD_RUNS} fresh processes per handler, interleaved…`);
    for (let run = 0; run < COLD_RUNS + 1; run++) {
        const order = run % 2 === 0 ? variants : [...variants].reverse();
        for (const variant of order) {
            const proc = await startLambdaProcess(dirs.get(variant)!, envFor(variant === "empty" || variant === "sdk" ? "api" : variant));
            await proc.stop();
            if (run === 0) continue; // the first round warms the OS file cache
            samples.get(variant)!.push(proc.readyMs);
            loads.get(variant)!.push(proc.loadMs);
        }
    }
    const empty = median(samples.get("empty")!);
    const figures = (["api", "ingest", "canary"] as const).map((fn) => figure(`coldInit.${fn}`, median(samples.get(fn)!), "ms", empty));
    const loadMs = Object.fromEntries(variants.map((v) => [v, round(median(loads.get(v)!), 1)]));
    progress(`cold init, spawn → ready (ms, median): ${variants.map((v) => `${v} ${round(median(samples.get(v)!), 1)}`).join(", ")}`);
    return { figures, loadMs };
}

async function powertoolsRequire(empty: number): Promise<Figure> {
    // What loading Powertools' logger + metrics would add to every cold start (fresh processes).
    progress("powertools: require time in fresh processes…");
    const script = 'const {performance}=require("perf_hooks");const t=performance.now();require("@aws-lambda-powertools/logger");require("@aws-lambda-powertools/metrics");console.log(performance.now()-t)';
    const times: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
        times.push(Number(execFileSync(process.execPath, ["-e", script], { cwd: REPO_ROOT }).toString().trim()));
    }
    return figure("coldInit.powertoolsRequire", median(times), "ms", empty);
}

async function ingestFigures(moto: MotoServer, fixture: RegionFixture, ingestDir: string): Promise<Figure[]> {
    const s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, fixture.region));
    const env = functionEnv(moto.endpoint, fixture, "ingest");
    const upload = async (key: string, size: number) => {
        // Generated in 8 MiB blocks to keep this process's own memory down.
        const block = Buffer.alloc(8 * MiB);
        for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
        async function* body() {
            for (let sent = 0; sent < size; sent += block.length) yield block.subarray(0, Math.min(block.length, size - sent));
        }
        await new libStorage.Upload({ client: s3, params: { Bucket: fixture.bucket, Key: key, Body: Readable.from(body()), ContentType: "application/octet-stream" }, partSize: 16 * MiB, queueSize: 2 }).done();
    };
    const event = (key: string) => ({
        Records: [{ eventVersion: "2.1", eventSource: "aws:s3", awsRegion: fixture.region, eventName: "ObjectCreated:CompleteMultipartUpload", s3: { bucket: { name: fixture.bucket }, object: { key: encodeURIComponent(key).replace(/%20/g, "+") } } }],
    });
    const forget = (key: string) => s3.send(new s3sdk.DeleteObjectCommand({ Bucket: fixture.bucket, Key: PREFIX.manifests + key.slice(PREFIX.objects.length) }));

    async function ingestOnce(key: string, size: number): Promise<{ ms: number; readyRss: number; maxRssKiB: number }> {
        await forget(key);
        const proc: LambdaProcess = await startLambdaProcess(ingestDir, env);
        try {
            const out = await proc.invoke(event(key), 900_000);
            if (out.error) throw new Error(`ingest failed: ${out.error.message}`);
            const records = (out.result as { records: Array<{ outcome: string }> }).records;
            if (records[0]?.outcome !== "written") throw new Error(`ingest did not write a manifest: ${JSON.stringify(out.result)}`);
            const manifest = JSON.parse(await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: fixture.bucket, Key: PREFIX.manifests + key.slice(PREFIX.objects.length) }))).Body!.transformToString());
            if (manifest.size !== size) throw new Error(`manifest size ${manifest.size}, expected ${size}`);
            const stats = await proc.stats();
            return { ms: out.durationMs, readyRss: proc.readyRssBytes, maxRssKiB: stats.maxRssKiB };
        } finally {
            await proc.stop();
        }
    }

    const big = "objects/bench/256MiB.bin";
    const small = "objects/bench/16MiB.bin";
    progress("ingest: uploading 256 MiB and 16 MiB objects to moto…");
    await upload(big, 256 * MiB);
    await upload(small, 16 * MiB);

    progress(`ingest: throughput, ${THROUGHPUT_RUNS} run(s) each of the handler and of a bare GetObject…`);
    const handler: number[] = [];
    const bare: number[] = [];
    const bareRead = async () => {
        const worker = await startWorker(env);
        try {
            const read = await worker.request({ type: "get-discard", bucket: fixture.bucket, key: big });
            if (read.bytes !== 256 * MiB) throw new Error(`bare read ${read.bytes} bytes`);
            bare.push((256 * MiB) / 1e6 / (read.ms / 1000));
        } finally {
            worker.stop();
        }
    };
    const handlerRead = async () => {
        const once = await ingestOnce(big, 256 * MiB);
        handler.push((256 * MiB) / 1e6 / (once.ms / 1000));
    };
    for (let run = 0; run < THROUGHPUT_RUNS; run++) {
        // Alternate which goes first: moto's state drifts during a run.
        for (const measure of run % 2 === 0 ? [bareRead, handlerRead] : [handlerRead, bareRead]) await measure();
    }
    progress(`ingest throughput (MB/s): handler ${handler.map((x) => round(x, 0)).join(" ")}; bare GetObject ${bare.map((x) => round(x, 0)).join(" ")}`);

    progress("ingest: peak RSS for 16 MiB and 256 MiB (a fresh process each)…");
    const rss16 = await ingestOnce(small, 16 * MiB);
    const rss256 = await ingestOnce(big, 256 * MiB);
    s3.destroy();
    return [
        figure("ingest.throughput", median(handler), "MB/s", median(bare)),
        figure("ingest.rss.16MiB", (rss16.maxRssKiB * 1024) / MiB, "MiB", rss16.readyRss / MiB),
        figure("ingest.rss.256MiB", (rss256.maxRssKiB * 1024) / MiB, "MiB", rss256.readyRss / MiB),
    ];
}

async function apiFigures(moto: MotoServer, fixture: RegionFixture, apiDir: string): Promise<Figure[]> {
    const env = functionEnv(moto.endpoint, fixture, "api");
    progress(`api: ${API_ITERATIONS} PUT+GET of 1 KiB through the handler and with the bare SDK…`);
    const body = Buffer.alloc(1024, 7).toString("base64");
    const handler: number[] = [];
    const proc = await startLambdaProcess(apiDir, env);
    try {
        for (let i = 0; i < API_WARMUP + API_ITERATIONS; i++) {
            const path = `/objects/bench/h-${i % 50}`;
            const put = await proc.invoke({ version: "2.0", rawPath: path, rawQueryString: "", headers: { "content-type": "application/octet-stream" }, requestContext: { http: { method: "PUT" } }, body, isBase64Encoded: true });
            const get = await proc.invoke({ version: "2.0", rawPath: path, rawQueryString: "", headers: {}, requestContext: { http: { method: "GET" } }, isBase64Encoded: false });
            const status = [(put.result as { statusCode: number })?.statusCode, (get.result as { statusCode: number; body: string })?.statusCode];
            if (status[0] !== 201 || status[1] !== 200 || Buffer.from((get.result as { body: string }).body, "base64").length !== 1024) {
                throw new Error(`api answered ${status.join("/")}: ${JSON.stringify(put.error ?? get.error ?? get.result).slice(0, 300)}`);
            }
            if (i >= API_WARMUP) handler.push(put.durationMs + get.durationMs);
        }
    } finally {
        await proc.stop();
    }
    const worker = await startWorker(env);
    let bare: number[];
    try {
        bare = (await worker.request({ type: "put-get", bucket: fixture.bucket, iterations: API_ITERATIONS, warmup: API_WARMUP, size: 1024 })).latencies;
    } finally {
        worker.stop();
    }
    return [figure("api.p50", percentile(handler, 50), "ms", percentile(bare, 50)), figure("api.p99", percentile(handler, 99), "ms", percentile(bare, 99))];
}

const GOALS: Record<string, Goal> = {
    archive: { text: "≤ 0.1× and ≤ 256 KiB", met: (f) => f.ratio <= 0.1 && f.value <= 256 },
    coldInit: { text: "≤ 2×", met: (f) => f.ratio <= 2 },
    "ingest.throughput": { text: "≥ 0.8×", met: (f) => f.ratio >= 0.8 },
    "ingest.rss": { text: "≤ 128 MiB", met: (f) => f.value <= 128 },
    "api.p50": { text: "≤ 1.25×", met: (f) => f.ratio <= 1.25 },
};

function goalOf(name: string): Goal | undefined {
    return GOALS[name] ?? GOALS[name.split(".").slice(0, 2).join(".")] ?? GOALS[name.split(".")[0]];
}

async function main(): Promise<void> {
    useEmulatorCredentials();
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-bench-"));
    let moto: MotoServer | undefined;
    try {
        const built = await archives(outDir);
        const dirs = new Map<string, string>();
        for (const variant of ["api", "ingest", "canary", "empty", "sdk"]) dirs.set(variant, extractArchive(built.built.get(variant)!.file, outDir));

        progress("starting moto and provisioning the primary region…");
        moto = await startMoto();
        const { primary } = await provisionApp(moto.endpoint);
        const cold = await coldInit(dirs, (fn) => functionEnv(moto!.endpoint, primary, fn));
        const figures: Figure[] = [...built.figures, ...cold.figures];
        figures.push(...(await ingestFigures(moto, primary, dirs.get("ingest")!)));
        figures.push(...(await apiFigures(moto, primary, dirs.get("api")!)));
        const extra = [...built.extra];
        if (POWERTOOLS) extra.push(await powertoolsRequire(cold.figures[0].baseline));
        const all = [...figures, ...extra];

        if (JSON_OUTPUT) {
            process.stdout.write(JSON.stringify(all, null, 2) + "\n");
        } else {
            for (const f of all) {
                const goal = goalOf(f.name);
                const verdict = goal === undefined || f.name.includes("owertools") ? "" : `; goal ${goal.text}: ${goal.met(f) ? "met" : "NOT met"}`;
                process.stdout.write(`${f.name}: ${f.value} ${f.unit} (baseline ${f.baseline} ${f.unit}, ratio ${f.ratio}${verdict})\n`);
            }
        }
        progress(`cold init, in-process load of __index.js incl. the factory (ms, median): ${Object.entries(cold.loadMs).map(([k, v]) => `${k} ${v}`).join(", ")}`);
        progress(`node ${process.version}, ${os.cpus().length} CPU(s), ${os.arch()}`);
    } finally {
        await moto?.stop();
        fs.rmSync(outDir, { recursive: true, force: true });
    }
}

main().catch((error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
