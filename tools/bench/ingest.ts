// ingest.throughput: a 256 MiB document ingested by the bundled handler in a fresh process, against a
// bare GetObject piped through SHA-256 in one pass (the least any ingest must do: read every byte and
// hash it). ingest.rss.<size>: the handler process's peak RSS, against its RSS when ready.
import { Readable } from "stream";
import type * as S3 from "@aws-sdk/client-s3";
import type * as LibStorage from "@aws-sdk/lib-storage";
import { PREFIX } from "../../functions/contract";
import { LambdaProcess, startLambdaProcess } from "../bundle/bundle";
import { clientConfig, functionEnv, MotoServer, RegionFixture } from "../local/emulator";
import { Figure, figure, median } from "./figures";
import { startWorker } from "./worker";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;
const libStorage = require("@aws-sdk/lib-storage") as typeof LibStorage;

export const MiB = 1024 * 1024;

/** An S3 event for one object created, as S3 sends it (the key URL-encoded, `+` for a space). */
export function createdEvent(fixture: RegionFixture, key: string) {
    return {
        Records: [{ eventVersion: "2.1", eventSource: "aws:s3", awsRegion: fixture.region, eventName: "ObjectCreated:CompleteMultipartUpload", s3: { bucket: { name: fixture.bucket }, object: { key: encodeURIComponent(key).replace(/%20/g, "+") } } }],
    };
}

/** Uploads `size` bytes of a fixed pattern, generated in 8 MiB blocks to keep this process small. */
export async function uploadPattern(s3: S3.S3Client, bucket: string, key: string, size: number): Promise<void> {
    const block = Buffer.alloc(8 * MiB);
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
    async function* body() {
        for (let sent = 0; sent < size; sent += block.length) yield block.subarray(0, Math.min(block.length, size - sent));
    }
    await new libStorage.Upload({ client: s3, params: { Bucket: bucket, Key: key, Body: Readable.from(body()), ContentType: "application/octet-stream" }, partSize: 16 * MiB, queueSize: 2 }).done();
}

export interface IngestRun {
    ms: number;
    readyRss: number;
    maxRssKiB: number;
    sha256: string;
}

/** One ingest of `key` in a fresh process of the bundled handler; checks the manifest it wrote. */
export async function ingestOnce(ingestDir: string, env: Record<string, string>, s3: S3.S3Client, fixture: RegionFixture, key: string, size: number): Promise<IngestRun> {
    const manifestKey = PREFIX.manifests + key.slice(PREFIX.objects.length);
    await s3.send(new s3sdk.DeleteObjectCommand({ Bucket: fixture.bucket, Key: manifestKey }));
    const proc: LambdaProcess = await startLambdaProcess(ingestDir, env);
    try {
        const out = await proc.invoke(createdEvent(fixture, key), 900_000);
        if (out.error) throw new Error(`ingest failed: ${out.error.message}`);
        const records = (out.result as { records: Array<{ outcome: string }> }).records;
        if (records[0]?.outcome !== "written") throw new Error(`ingest did not write a manifest: ${JSON.stringify(out.result)}`);
        const manifest = JSON.parse(await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: fixture.bucket, Key: manifestKey }))).Body!.transformToString());
        if (manifest.size !== size) throw new Error(`manifest size ${manifest.size}, expected ${size}`);
        const stats = await proc.stats();
        return { ms: out.durationMs, readyRss: proc.readyRssBytes, maxRssKiB: stats.maxRssKiB, sha256: manifest.sha256 };
    } finally {
        await proc.stop();
    }
}

export async function ingestFigures(moto: MotoServer, fixture: RegionFixture, ingestDir: string, runs: number, progress: (m: string) => void): Promise<Figure[]> {
    const s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, fixture.region));
    const env = functionEnv(moto.endpoint, fixture, "ingest");
    const big = `${PREFIX.objects}bench/256MiB.bin`;
    const small = `${PREFIX.objects}bench/16MiB.bin`;
    try {
        progress("ingest: uploading 256 MiB and 16 MiB documents to moto…");
        await uploadPattern(s3, fixture.bucket, big, 256 * MiB);
        await uploadPattern(s3, fixture.bucket, small, 16 * MiB);

        progress(`ingest: throughput, ${runs} run(s) each of the handler and of GetObject through SHA-256…`);
        const handler: number[] = [];
        const bare: number[] = [];
        const rate = (ms: number) => (256 * MiB) / 1e6 / (ms / 1000);
        const bareRead = async () => {
            const worker = await startWorker(env);
            try {
                const read = await worker.request({ type: "get-sha256", bucket: fixture.bucket, key: big });
                if (read.bytes !== 256 * MiB) throw new Error(`bare read ${read.bytes} bytes`);
                bare.push(rate(read.ms));
            } finally {
                worker.stop();
            }
        };
        const handlerRead = async () => {
            handler.push(rate((await ingestOnce(ingestDir, env, s3, fixture, big, 256 * MiB)).ms));
        };
        for (let run = 0; run < runs; run++) {
            // Alternate which goes first: moto's state drifts during a run.
            for (const measure of run % 2 === 0 ? [bareRead, handlerRead] : [handlerRead, bareRead]) await measure();
        }
        progress(`ingest throughput (MB/s): handler ${handler.map((x) => x.toFixed(0)).join(" ")}; GetObject through SHA-256 ${bare.map((x) => x.toFixed(0)).join(" ")}`);

        progress("ingest: peak RSS for 16 MiB and 256 MiB (a fresh process each)…");
        const rss16 = await ingestOnce(ingestDir, env, s3, fixture, small, 16 * MiB);
        const rss256 = await ingestOnce(ingestDir, env, s3, fixture, big, 256 * MiB);
        return [
            figure("ingest.throughput", median(handler), "MB/s", median(bare), "one GetObject piped through SHA-256"),
            figure("ingest.rss.16MiB", (rss16.maxRssKiB * 1024) / MiB, "MiB", rss16.readyRss / MiB, "the process's RSS when ready"),
            figure("ingest.rss.256MiB", (rss256.maxRssKiB * 1024) / MiB, "MiB", rss256.readyRss / MiB, "the process's RSS when ready"),
        ];
    } finally {
        s3.destroy();
    }
}
