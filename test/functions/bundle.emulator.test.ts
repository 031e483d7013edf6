// The bundles work: each function's archive is built exactly as aws.lambda.CallbackFunction builds it
// (a real CallbackFunction on Pulumi's mock runtime, in a child process), unpacked outside the
// repository, loaded in a fresh Node process that can resolve only the archive and the SDK the Lambda
// runtime provides, and invoked against moto. This is what catches serialization breakage (a captured
// SDK module, a native function, a module the bundle lacks) before a deploy does.

import * as assert from "assert";
import { createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as S3 from "@aws-sdk/client-s3";
import { ENV, PREFIX } from "../../functions/contract";
import { buildArchives, BuiltArchive, extractArchive, LambdaInitError, LambdaProcess, startLambdaProcess } from "../../tools/bundle/bundle";
import { s3Event, urlEvent } from "../support/lambda";
import { clientConfig, functionEnv, provisionApp, RegionFixture, useMoto } from "../../tools/local/emulator";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;

const FUNCTIONS = ["api", "ingest", "canary"] as const;
/** The bundle goal of issue 3: at most 256 KiB zipped. */
const MAX_ARCHIVE_BYTES = 256 * 1024;

describe("functions: the bundles work", function () {
    this.timeout(120_000);
    const moto = useMoto();
    let primary: RegionFixture;
    let s3: S3.S3Client;
    let outDir: string;
    const archives = new Map<string, BuiltArchive>();
    const dirs = new Map<string, string>();
    const running: LambdaProcess[] = [];

    before(async () => {
        outDir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-archives-"));
        const [built] = await Promise.all([buildArchives([...FUNCTIONS], outDir), provisionApp(moto.endpoint).then((app) => (primary = app.primary))]);
        for (const archive of built) {
            archives.set(archive.variant, archive);
            dirs.set(archive.variant, extractArchive(archive.file, outDir));
        }
        s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, primary.region));
    });

    after(async () => {
        await Promise.all(running.map((p) => p.stop()));
        s3?.destroy();
        if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
    });

    async function start(fn: (typeof FUNCTIONS)[number], overrides: Partial<Record<string, string>> = {}): Promise<LambdaProcess> {
        const env = functionEnv(moto.endpoint, primary, fn, overrides);
        const proc = await startLambdaProcess(dirs.get(fn)!, env);
        running.push(proc);
        return proc;
    }

    for (const fn of FUNCTIONS) {
        it(`${fn}: the archive is the serialized handler alone — no SDK, no Pulumi, no Powertools — within 256 KiB`, () => {
            const archive = archives.get(fn)!;
            const files = fs.readdirSync(dirs.get(fn)!);
            assert.deepStrictEqual(files, ["__index.js"]);
            assert.deepStrictEqual(archive.packages, []);
            assert.ok(archive.zippedBytes <= MAX_ARCHIVE_BYTES, `${archive.zippedBytes} bytes`);
            const source = fs.readFileSync(path.join(dirs.get(fn)!, "__index.js"), "utf8");
            assert.match(source, /exports\.handler = __\w+\(\);/, "the factory runs when the module loads");
            assert.match(source, /require\("@aws-sdk\/client-s3"\)/);
            assert.doesNotMatch(source, /require\("@pulumi\//);
            assert.doesNotMatch(source, /@aws-lambda-powertools/);
        });
    }

    it("api: serves PUT, GET, list and health from a fresh process", async () => {
        const api = await start("api");
        const body = Buffer.from("bundled ✓ bytes");
        const created = await api.invoke(urlEvent("PUT", "/objects/bundle/d%C3%B6c.txt", { body, headers: { "content-type": "text/plain" } }));
        assert.strictEqual(created.error, undefined, created.error?.stack);
        assert.strictEqual((created.result as { statusCode: number }).statusCode, 201);
        const read = (await api.invoke(urlEvent("GET", "/objects/bundle/d%C3%B6c.txt"))).result as { statusCode: number; body: string; isBase64Encoded: boolean; headers: Record<string, string> };
        assert.strictEqual(read.statusCode, 200);
        assert.ok(Buffer.from(read.body, "base64").equals(body));
        assert.strictEqual(read.headers["content-type"], "text/plain");
        const list = (await api.invoke(urlEvent("GET", "/objects", { query: "prefix=bundle%2F" }))).result as { body: string };
        assert.deepStrictEqual(JSON.parse(list.body).items.map((i: { key: string }) => i.key), ["bundle/döc.txt"]);
        const health = (await api.invoke(urlEvent("GET", "/health"))).result as { statusCode: number; body: string };
        assert.deepStrictEqual(JSON.parse(health.body), { region: "us-east-1", role: "primary", bucket: primary.bucket, replicationLagSeconds: null });
        const upload = (await api.invoke(urlEvent("POST", "/uploads/bundle/big.bin"))).result as { statusCode: number };
        assert.strictEqual(upload.statusCode, 200, "the upload is presigned in the archive itself (functions/sigv4.ts)");
        // Its logs are structured JSON lines with the request id.
        const logs = api.output().stdout.trim().split("\n").map((l) => JSON.parse(l));
        assert.ok(logs.length >= 5);
        assert.ok(logs.every((l) => l.service === "tandem-api" && typeof l.requestId === "string"));
    });

    it("ingest: writes the manifest from a fresh process", async () => {
        const ingest = await start("ingest");
        const body = Buffer.from("ingest from the bundle");
        const put = await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/bundle/in gest+1.txt", Body: body, ContentType: "text/plain" }));
        const out = await ingest.invoke(s3Event(primary.bucket, "objects/bundle/in gest+1.txt"));
        assert.strictEqual(out.error, undefined, out.error?.stack);
        assert.deepStrictEqual(out.result, { records: [{ outcome: "written", key: "bundle/in gest+1.txt", versionId: put.VersionId }] });
        const manifest = JSON.parse(await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: primary.bucket, Key: "manifests/bundle/in gest+1.txt" }))).Body!.transformToString());
        assert.strictEqual(manifest.sha256, createHash("sha256").update(body).digest("hex"));
        // A failure reaches Lambda as a rejected invocation (so it retries, then the failure destination).
        const failed = await ingest.invoke(s3Event(primary.bucket, PREFIX.objects + "k".repeat(1016)));
        assert.strictEqual(failed.error?.name, "IngestError");
    });

    it("ingest: reads a document of several parts as configured (parallel auto) from a fresh process, its event-loop meter serialized with it", async () => {
        const part = 64 * 1024;
        const ingest = await start("ingest", { [ENV.ingestPartBytes]: String(part), [ENV.ingestParallel]: "auto" });
        const body = randomBytes(16 * part + 5);
        await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/bundle/parts.bin", Body: body }));
        const out = await ingest.invoke(s3Event(primary.bucket, "objects/bundle/parts.bin"));
        assert.strictEqual(out.error, undefined, out.error?.stack);
        const manifest = JSON.parse(await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: primary.bucket, Key: "manifests/bundle/parts.bin" }))).Body!.transformToString());
        assert.strictEqual(manifest.sha256, createHash("sha256").update(body).digest("hex"));
        // Read one way or the other, the meter was read: perf_hooks reached the archive.
        const line = ingest.output().stdout.trim().split("\n").map((l) => JSON.parse(l)).find((l) => l.message === "ingest" && l.key === "bundle/parts.bin");
        assert.ok(typeof line.readerBusy === "number" && line.readerBusy >= 0 && line.readerBusy <= 1, JSON.stringify(line));
        assert.ok(line.parts >= 1 && line.parts <= 17 && line.partRequests === line.parts - 1 + line.partRetries, JSON.stringify(line));
    });

    it("canary: writes a probe from a fresh process", async () => {
        const canary = await start("canary");
        const out = await canary.invoke({ "detail-type": "Scheduled Event", source: "aws.events", detail: {} });
        assert.strictEqual(out.error, undefined, out.error?.stack);
        const probe = (out.result as { probe: string }).probe;
        assert.match(probe, /^canary\/probes\/\d{13}-us-east-1-/);
        const listed = await s3.send(new s3sdk.ListObjectsV2Command({ Bucket: primary.bucket, Prefix: PREFIX.probes }));
        assert.deepStrictEqual(listed.Contents?.map((c) => c.Key), [probe]);
    });

    it("fails at cold start with a clear message when the environment is incomplete", async () => {
        await assert.rejects(start("api", { [ENV.bucket]: undefined, [ENV.role]: "leader" }), (error: Error) => {
            assert.ok(error instanceof LambdaInitError);
            assert.match(error.message, /Invalid function configuration: TANDEM_BUCKET is not set; TANDEM_ROLE="leader" must be "primary" or "standby"/);
            return true;
        });
    });
});
