// api.p50: one client, PUT + GET of 1 KiB through the bundled api handler (a fresh process), against the
// same two calls with the bare SDK. api.p99.concurrent: 50 clients at once, PUT + GET of 1 KiB each,
// through the local HTTP server of the Function URL (`npm start`'s), against the same load on the bare
// SDK; the load runs in a process of its own for both.
import { apiCallbackFactory } from "../../functions/callbacks";
import { startLambdaProcess } from "../bundle/bundle";
import { functionEnv, MotoServer, RegionFixture, withEnv } from "../local/emulator";
import { serveFunctionUrl } from "../local/functionUrl";
import { Figure, figure, percentile } from "./figures";
import { startWorker } from "./worker";

const CLIENTS = 50;
const SIZE = 1024;
/** Rounds per client before the measured ones: every connection opened and every code path run once. */
const WARMUP_ROUNDS = 2;

export async function apiFigures(moto: MotoServer, fixture: RegionFixture, apiDir: string, counts: { iterations: number; warmup: number; rounds: number }, progress: (m: string) => void): Promise<Figure[]> {
    const env = functionEnv(moto.endpoint, fixture, "api");
    progress(`api: ${counts.iterations} PUT+GET of 1 KiB through the handler and with the bare SDK…`);
    const body = Buffer.alloc(SIZE, 7).toString("base64");
    const handler: number[] = [];
    const proc = await startLambdaProcess(apiDir, env);
    try {
        for (let i = 0; i < counts.warmup + counts.iterations; i++) {
            const path = `/objects/bench/h-${i % 50}`;
            const put = await proc.invoke({ version: "2.0", rawPath: path, rawQueryString: "", headers: { "content-type": "application/octet-stream" }, requestContext: { http: { method: "PUT" } }, body, isBase64Encoded: true });
            const get = await proc.invoke({ version: "2.0", rawPath: path, rawQueryString: "", headers: {}, requestContext: { http: { method: "GET" } }, isBase64Encoded: false });
            const status = [(put.result as { statusCode: number })?.statusCode, (get.result as { statusCode: number })?.statusCode];
            if (status[0] !== 201 || status[1] !== 200 || Buffer.from((get.result as { body: string }).body, "base64").length !== SIZE) {
                throw new Error(`api answered ${status.join("/")}: ${JSON.stringify(put.error ?? get.error ?? get.result).slice(0, 300)}`);
            }
            if (i >= counts.warmup) handler.push(put.durationMs + get.durationMs);
        }
    } finally {
        await proc.stop();
    }

    progress(`api: ${CLIENTS} clients at once, ${counts.rounds} PUT+GET each, through the local Function URL and with the bare SDK…`);
    const apiHandler = withEnv(env, apiCallbackFactory);
    // Counted so that the function's last log lines are in before stdout is given back.
    let inFlight = 0;
    const api = async (...args: Parameters<typeof apiHandler>) => {
        inFlight++;
        try {
            return await apiHandler(...args);
        } finally {
            inFlight--;
        }
    };
    const server = await serveFunctionUrl(0, api as never, "tandem-api", 10_000, () => undefined);
    const url = server.endpoint;
    const worker = await startWorker(env);
    // The handler runs in this process and logs a line per request to stdout, as on Lambda; stdout is
    // the figures', so its lines are counted here, and its errors reported, instead.
    const functionLog = divertStdout();
    try {
        const bare = (await worker.request({ type: "put-get", bucket: fixture.bucket, iterations: counts.iterations, warmup: counts.warmup, size: SIZE })).latencies as number[];
        // Warm both paths, then measure each twice, interleaved.
        const failures: string[] = [];
        const load = (target: object, rounds = counts.rounds) =>
            worker.request({ type: "concurrent", clients: CLIENTS, rounds, size: SIZE, ...target }).then((r) => {
                failures.push(...((r.failures as string[] | undefined) ?? []));
                return r.latencies as number[];
            });
        await load({ url }, WARMUP_ROUNDS);
        await load({ bucket: fixture.bucket }, WARMUP_ROUNDS);
        failures.length = 0;
        const through: number[] = [];
        const bareConcurrent: number[] = [];
        for (let pass = 0; pass < 2; pass++) {
            through.push(...(await load({ url })));
            bareConcurrent.push(...(await load({ bucket: fixture.bucket })));
        }
        const failed = new Map<string, number>();
        for (const f of failures) failed.set(f, (failed.get(f) ?? 0) + 1);
        progress(`api: under load, ${failures.length} of ${through.length} PUT+GET rounds through the api failed${failures.length > 0 ? ` (${[...failed].map(([what, n]) => `${n}× ${what}`).join(", ")})` : ""}`);
        return [
            figure("api.p50", percentile(handler, 50), "ms", percentile(bare, 50), "the same PUT and GET with the bare SDK"),
            figure("api.p99", percentile(handler, 99), "ms", percentile(bare, 99), "the same PUT and GET with the bare SDK"),
            figure("api.p99.concurrent", percentile(through, 99), "ms", percentile(bareConcurrent, 99), `${CLIENTS} clients at once on the bare SDK`),
            figure("api.failedRounds.concurrent", failures.length, "rounds", through.length, "the rounds measured"),
        ];
    } finally {
        worker.stop();
        while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));
        const { lines, errors } = functionLog.restore();
        progress(`api: the handler logged ${lines} lines, ${errors.length} at level ERROR${errors.length > 0 ? `; the first: ${errors[0].slice(0, 400)}` : ""}`);
        await server.close();
    }
}

function divertStdout(): { restore(): { lines: number; errors: string[] } } {
    const write = process.stdout.write;
    let lines = 0;
    const errors: string[] = [];
    process.stdout.write = ((chunk: string | Uint8Array) => {
        for (const line of String(chunk).split("\n").filter((l) => l !== "")) {
            lines++;
            if (line.includes('"level":"ERROR"')) errors.push(line);
        }
        return true;
    }) as typeof process.stdout.write;
    return {
        restore() {
            process.stdout.write = write;
            return { lines, errors };
        },
    };
}
