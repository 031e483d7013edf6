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
    const api = withEnv(env, apiCallbackFactory);
    const server = await serveFunctionUrl(0, api as never, "tandem-api", 10_000, () => undefined);
    const url = server.endpoint;
    const worker = await startWorker(env);
    try {
        const bare = (await worker.request({ type: "put-get", bucket: fixture.bucket, iterations: counts.iterations, warmup: counts.warmup, size: SIZE })).latencies as number[];
        // Warm both paths, then measure each twice, interleaved.
        const load = (target: object) => worker.request({ type: "concurrent", clients: CLIENTS, rounds: counts.rounds, size: SIZE, ...target }).then((r) => r.latencies as number[]);
        await load({ url });
        await load({ bucket: fixture.bucket });
        const through: number[] = [];
        const bareConcurrent: number[] = [];
        for (let pass = 0; pass < 2; pass++) {
            through.push(...(await load({ url })));
            bareConcurrent.push(...(await load({ bucket: fixture.bucket })));
        }
        return [
            figure("api.p50", percentile(handler, 50), "ms", percentile(bare, 50), "the same PUT and GET with the bare SDK"),
            figure("api.p99", percentile(handler, 99), "ms", percentile(bare, 99), "the same PUT and GET with the bare SDK"),
            figure("api.p99.concurrent", percentile(through, 99), "ms", percentile(bareConcurrent, 99), `${CLIENTS} clients at once on the bare SDK`),
        ];
    } finally {
        worker.stop();
        await server.close();
    }
}
