// The ingest figures, each for a 256 MiB document ingested by the bundled handler in a fresh process
// (manifest lookup, read, SHA-256, manifest write), against the least any ingest must do — one
// GetObject piped through SHA-256 in one pass (./benchWorker.js `get-sha256`, a fresh process too):
//   ingest.throughput     straight to moto
//   ingest.throughput.warm the same processes' second ingest and second GetObject (a reused instance)
//   ingest.sdkChecksum    not the handler: the same GetObject sent with ChecksumMode ENABLED, the SDK then
//                         recomputing the stored CRC64NVME (what storage.ts's whole-object read avoids)
//   ingest.throttled      through the fault proxy capping every connection at THROTTLE_BYTES_PER_SECOND,
//                         what one connection to S3 carries: where ranged GETs in parallel pay off
//   ingest.rss.<case>     the handler process's peak RSS, against its RSS when ready
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import type * as S3 from "@aws-sdk/client-s3";
import { ENV, PREFIX } from "../../functions/contract";
import { LambdaProcess, startLambdaProcess } from "../bundle/bundle";
import { clientConfig, functionEnv, MotoServer, RegionFixture } from "../local/emulator";
import { startFaultProxy } from "../local/faultProxy";
import { Figure, figure, median } from "./figures";
import { startWorker } from "./worker";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;

export const MiB = 1024 * 1024;

/**
 * The per-connection cap of ingest.throttled: about what one connection to S3 carries (AWS's guidance
 * is to parallelize a large GET across connections because a single one is the limit).
 */
export const THROTTLE_BYTES_PER_SECOND = 50e6;

/**
 * How the bench's moto differs from the tests'. moto serves every GET, ranged or not, by copying the
 * whole object version into a fresh buffer (`FakeKey.value`, then a slice for a range: moto/s3/models.py,
 * responses.py `_handle_range_header`), a cost S3 does not have for a range:
 * - ./moto/sitecustomize.py (on its PYTHONPATH) keeps each version's bytes once read, so a range costs
 *   its own slice: a throttled ingest's sixteen ranged GETs took moto 1.0–1.3 s of CPU without it,
 *   0.2–0.4 s with it, on the 2 vCPUs the handler under test shares;
 * - glibc's malloc asks for transparent huge pages: on this kind of machine (a Firecracker VM) a page
 *   fault costs ~15 µs, and the first read of a 256 MiB version spent ~1 s faulting before its first
 *   byte; with huge pages ~50 ms.
 * The handler and the baseline keep the default allocator.
 */
export const BENCH_MOTO_ENV = {
    GLIBC_TUNABLES: "glibc.malloc.hugetlb=1",
    PYTHONPATH: [path.join(__dirname, "moto"), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
};

/** An S3 event for one object created, as S3 sends it (the key URL-encoded, `+` for a space). */
export function createdEvent(fixture: RegionFixture, key: string) {
    return {
        Records: [{ eventVersion: "2.1", eventSource: "aws:s3", awsRegion: fixture.region, eventName: "ObjectCreated:CompleteMultipartUpload", s3: { bucket: { name: fixture.bucket }, object: { key: encodeURIComponent(key).replace(/%20/g, "+") } } }],
    };
}

/**
 * Uploads `size` bytes of a fixed pattern, generated in 8 MiB blocks to keep this process small, stored
 * as S3 stores a document uploaded without a checksum (the api's presigned POST): with a full-object
 * CRC64NVME (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Checksum.html). moto stores one only
 * when the upload carries it, so this one does (computed by the SDK, sent as a trailer). A GET that lets
 * the SDK check it reads at about half the speed (ingest.sdkChecksum); storage.ts asks S3 for it without that.
 */
export async function uploadPattern(s3: S3.S3Client, bucket: string, key: string, size: number): Promise<void> {
    const block = Buffer.alloc(8 * MiB);
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
    async function* body() {
        for (let sent = 0; sent < size; sent += block.length) yield block.subarray(0, Math.min(block.length, size - sent));
    }
    await s3.send(new s3sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: Readable.from(body()), ContentLength: size, ContentType: "application/octet-stream", ChecksumAlgorithm: "CRC64NVME" }));
}

export interface IngestRun {
    ms: number;
    readyRss: number;
    maxRssKiB: number;
    sha256: string;
    /** CPU time of the handler process and of moto during the invocation (Linux /proc; NaN elsewhere). */
    cpuMs: number;
    motoCpuMs: number;
    /** The bench process's own CPU time meanwhile: the fault proxy, when the handler goes through it. */
    benchCpuMs: number;
    /** From the handler's `ingest` log line: parts read (1: one stream) and, with parallel auto, how busy the reader was. */
    parts: number;
    readerBusy?: number;
    /** With `warm`: the same process's second ingest of the key (its manifest deleted again first). */
    warmMs?: number;
}

/** User + system CPU time of a process so far, from /proc/<pid>/stat (in USER_HZ = 100 ticks a second). */
function cpuMsOf(pid: number): number {
    try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
        return NaN;
    }
}

/**
 * One ingest of `key` in a fresh process of the bundled handler; checks the manifest it wrote. With
 * `warm`, then a second one in the same process, as a Lambda instance that is reused ingests every
 * event after its first (its manifest deleted again, so it does the same work).
 */
export async function ingestOnce(ingestDir: string, env: Record<string, string>, s3: S3.S3Client, fixture: RegionFixture, key: string, size: number, motoPid = NaN, warm = false): Promise<IngestRun> {
    const manifestKey = PREFIX.manifests + key.slice(PREFIX.objects.length);
    const ingest = async () => {
        await s3.send(new s3sdk.DeleteObjectCommand({ Bucket: fixture.bucket, Key: manifestKey }));
        const [cpu0, moto0, bench0] = [cpuMsOf(proc.pid), cpuMsOf(motoPid), process.cpuUsage()];
        const out = await proc.invoke(createdEvent(fixture, key), 900_000);
        const bench = process.cpuUsage(bench0);
        const cpu = { cpuMs: cpuMsOf(proc.pid) - cpu0, motoCpuMs: cpuMsOf(motoPid) - moto0, benchCpuMs: (bench.user + bench.system) / 1000 };
        if (out.error) throw new Error(`ingest failed: ${out.error.message}`);
        const records = (out.result as { records: Array<{ outcome: string }> }).records;
        if (records[0]?.outcome !== "written") throw new Error(`ingest did not write a manifest: ${JSON.stringify(out.result)}`);
        const manifest = JSON.parse(await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: fixture.bucket, Key: manifestKey }))).Body!.transformToString());
        if (manifest.size !== size) throw new Error(`manifest size ${manifest.size}, expected ${size}`);
        return { ms: out.durationMs, sha256: manifest.sha256 as string, cpu };
    };
    const proc: LambdaProcess = await startLambdaProcess(ingestDir, env);
    try {
        const first = await ingest();
        const second = warm ? await ingest() : undefined;
        if (second !== undefined && second.sha256 !== first.sha256) throw new Error(`the second ingest's SHA-256 ${second.sha256} is not the first's ${first.sha256}`);
        const stats = await proc.stats();
        const logged = proc
            .output()
            .stdout.split("\n")
            .filter((line) => line.startsWith("{"))
            .map((line) => JSON.parse(line) as { message?: string; parts?: number; readerBusy?: number })
            .find((line) => line.message === "ingest");
        return { ms: first.ms, warmMs: second?.ms, readyRss: proc.readyRssBytes, maxRssKiB: stats.maxRssKiB, sha256: first.sha256, ...first.cpu, parts: logged?.parts ?? NaN, readerBusy: logged?.readerBusy };
    } finally {
        await proc.stop();
    }
}

/**
 * One GetObject of `key` through SHA-256 in a fresh worker process whose S3 endpoint is `endpoint`; with
 * `checksumMode`, the SDK also recomputes the checksum S3 stored with the object. With `warm`, then a
 * second one in the same process.
 */
async function bareOnce(env: Record<string, string>, bucket: string, key: string, size: number, options: { checksumMode?: boolean; warm?: boolean } = {}): Promise<Timed & { cpuMs: number }> {
    const worker = await startWorker(env);
    const read = async () => {
        const answer = await worker.request({ type: "get-sha256", bucket, key, checksumMode: options.checksumMode === true });
        if (answer.bytes !== size) throw new Error(`bare read ${answer.bytes} bytes, expected ${size}`);
        return answer as Timed;
    };
    try {
        const cpu0 = cpuMsOf(worker.pid);
        const first = await read();
        const cpuMs = cpuMsOf(worker.pid) - cpu0;
        const second = options.warm ? await read() : undefined;
        if (second !== undefined && second.sha256 !== first.sha256) throw new Error(`the second bare read's SHA-256 ${second.sha256} is not the first's ${first.sha256}`);
        return { ms: first.ms, warmMs: second?.ms, sha256: first.sha256, cpuMs };
    } finally {
        worker.stop();
    }
}

interface Timed {
    ms: number;
    sha256: string;
    /** The same process's second read, when asked for. */
    warmMs?: number;
}

/**
 * `runs` rounds of every measure, each round starting with the next one (moto's state drifts during a
 * run, so none always goes first); every SHA-256 must be the same.
 */
async function rounds(runs: number, measures: Array<() => Promise<Timed>>): Promise<Timed[][]> {
    const results: Timed[][] = measures.map(() => []);
    for (let run = 0; run < runs; run++) {
        for (let i = 0; i < measures.length; i++) {
            const which = (run + i) % measures.length;
            results[which].push(await measures[which]());
        }
    }
    const digests = new Set(results.flat().map((r) => r.sha256));
    if (digests.size !== 1) throw new Error(`the handler and the bare read disagree on the SHA-256: ${[...digests].join(", ")}`);
    return results;
}

export async function ingestFigures(moto: MotoServer, fixture: RegionFixture, ingestDir: string, runs: number, progress: (m: string) => void): Promise<Figure[]> {
    const s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, fixture.region));
    const env = functionEnv(moto.endpoint, fixture, "ingest");
    const size = 256 * MiB;
    const big = `${PREFIX.objects}bench/256MiB.bin`;
    const small = `${PREFIX.objects}bench/16MiB.bin`;
    const rate = (ms: number) => size / 1e6 / (ms / 1000);
    const rates = (xs: Array<{ ms: number }>) => xs.map((x) => rate(x.ms).toFixed(0)).join(" ");
    const warmOf = (xs: Timed[]) =>
        xs.map((x) => {
            if (x.warmMs === undefined) throw new Error("a run without its second read");
            return { ms: x.warmMs };
        });
    const peakMiB = (r: IngestRun) => (r.maxRssKiB * 1024) / MiB;
    const readsOf = (xs: IngestRun[]) => `parts read ${xs.map((r) => r.parts).join(" ")}, reader busy at the last reading ${xs.map((r) => r.readerBusy ?? "-").join(" ")}`;
    const cpuSplit = (xs: IngestRun[]) =>
        `wall ${median(xs.map((r) => r.ms)).toFixed(0)}, handler ${median(xs.map((r) => r.cpuMs)).toFixed(0)}, moto ${median(xs.map((r) => r.motoCpuMs)).toFixed(0)}, bench process (the proxy) ${median(xs.map((r) => r.benchCpuMs)).toFixed(0)}`;
    const proxy = await startFaultProxy(moto.endpoint, { bytesPerSecond: THROTTLE_BYTES_PER_SECOND });
    try {
        progress("ingest: uploading 256 MiB and 16 MiB documents to moto…");
        await uploadPattern(s3, fixture.bucket, big, size);
        await uploadPattern(s3, fixture.bucket, small, 16 * MiB);

        progress(`ingest: throughput, ${runs} run(s) each of the handler (as configured, and reading in one stream) and of GetObject through SHA-256…`);
        const oneStream = functionEnv(moto.endpoint, fixture, "ingest", { [ENV.ingestPartBytes]: String(size) });
        const [handler, handlerOneStream, bare, sdkChecked] = (await rounds(runs, [
            () => ingestOnce(ingestDir, env, s3, fixture, big, size, moto.pid, true),
            () => ingestOnce(ingestDir, oneStream, s3, fixture, big, size, moto.pid),
            () => bareOnce(env, fixture.bucket, big, size, { warm: true }),
            () => bareOnce(env, fixture.bucket, big, size, { checksumMode: true }),
        ])) as [IngestRun[], IngestRun[], Array<Timed & { cpuMs: number }>, Timed[]];
        progress(
            `ingest throughput (MB/s): handler ${rates(handler)}; reading in one stream ${rates(handlerOneStream)}; GetObject through SHA-256 ${rates(bare)}; ` +
                `the same with ChecksumMode ENABLED ${rates(sdkChecked)}`,
        );
        progress(`ingest throughput, each process's second read (MB/s): handler ${rates(warmOf(handler))}; GetObject through SHA-256 ${rates(warmOf(bare))}`);
        progress(`ingest as configured: ${readsOf(handler)}`);
        progress(`ingest CPU, median ms per ingest: as configured ${cpuSplit(handler)}; in one stream ${cpuSplit(handlerOneStream)}; GetObject through SHA-256 ${median(bare.map((r) => r.cpuMs)).toFixed(0)}`);

        const cap = THROTTLE_BYTES_PER_SECOND / 1e6;
        progress(`ingest: throttled to ${cap} MB/s per connection, ${runs} run(s) each…`);
        const viaProxy = functionEnv(proxy.endpoint, fixture, "ingest");
        const seenBefore = proxy.seen.length;
        const [throttled, throttledBare] = (await rounds(runs, [() => ingestOnce(ingestDir, viaProxy, s3, fixture, big, size, moto.pid), () => bareOnce(viaProxy, fixture.bucket, big, size)])) as [IngestRun[], Timed[]];
        progress(`ingest throttled: ${readsOf(throttled)}`);
        const ranged = proxy.seen.slice(seenBefore).filter((r) => r.method === "GET" && r.range !== undefined);
        const firstByte = median(ranged.map((r) => (r.answeredAt ?? r.startedAt) - r.startedAt));
        progress(
            `ingest throttled (MB/s): handler ${rates(throttled)}, peak RSS ${throttled.map((r) => peakMiB(r).toFixed(0)).join(" ")} MiB; ` +
                `GetObject through SHA-256 ${rates(throttledBare)}; ${ranged.length / runs} ranged GETs per ingest, moto's median time to their first byte ${firstByte.toFixed(0)} ms`,
        );
        progress(`ingest throttled CPU, median ms per ingest: ${cpuSplit(throttled)} (2 CPUs)`);

        progress("ingest: peak RSS for 16 MiB and 256 MiB (a fresh process each)…");
        const rss16 = await ingestOnce(ingestDir, env, s3, fixture, small, 16 * MiB);
        const rss256 = await ingestOnce(ingestDir, env, s3, fixture, big, size, moto.pid);
        const worstThrottled = throttled.reduce((a, b) => (b.maxRssKiB > a.maxRssKiB ? b : a));
        const medianRate = (xs: Array<{ ms: number }>) => median(xs.map((r) => rate(r.ms)));
        return [
            figure("ingest.throughput", medianRate(handler), "MB/s", medianRate(bare), "one GetObject piped through SHA-256"),
            figure("ingest.throughput.warm", medianRate(warmOf(handler)), "MB/s", medianRate(warmOf(bare)), "one GetObject piped through SHA-256; both the second read of their process, as on a reused Lambda instance"),
            figure("ingest.throughput.oneStream", medianRate(handlerOneStream), "MB/s", medianRate(bare), "one GetObject piped through SHA-256 (the handler with one part covering the object)"),
            figure("ingest.sdkChecksum", medianRate(sdkChecked), "MB/s", medianRate(bare), "one GetObject piped through SHA-256; this figure: the same with ChecksumMode ENABLED, the SDK recomputing the stored CRC64NVME"),
            figure("ingest.throttled", medianRate(throttled), "MB/s", medianRate(throttledBare), `one GetObject piped through SHA-256, both capped at ${cap} MB/s per connection`),
            figure("ingest.rss.16MiB", peakMiB(rss16), "MiB", rss16.readyRss / MiB, "the process's RSS when ready"),
            figure("ingest.rss.256MiB", peakMiB(rss256), "MiB", rss256.readyRss / MiB, "the process's RSS when ready"),
            figure("ingest.rss.throttled", peakMiB(worstThrottled), "MiB", worstThrottled.readyRss / MiB, "the process's RSS when ready (the highest peak of the throttled runs)"),
        ];
    } finally {
        s3.destroy();
        await proxy.close();
    }
}
