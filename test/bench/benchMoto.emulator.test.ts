// The bench's moto (tools/bench/ingest.ts BENCH_MOTO_ENV, tools/bench/moto/sitecustomize.py) keeps each
// version's bytes once read, so that a ranged GET costs moto its range, not a copy of the whole version.
// What it must not change is what moto answers: the bytes of the version asked for, whole or in a
// range, after an overwrite, by version id, and through a copy. (moto 5.2 makes a new FakeKey for every
// PUT and copy, so the kept bytes are dropped by the property's setter only when a key is unpickled; a
// cache shared between versions fails the second and third tests.)

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { randomBytes } from "crypto";
import type * as S3 from "@aws-sdk/client-s3";
import { BENCH_MOTO_ENV } from "../../tools/bench/ingest";
import { clientConfig, MotoServer, startMoto, useEmulatorCredentials } from "../../tools/local/emulator";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;

const BUCKET = "bench-moto";
const KEY = "objects/doc.bin";

describe("bench: the bench's moto answers as moto does", function () {
    let moto: MotoServer;
    let s3: S3.S3Client;
    let logDir: string;
    let logFile: string;

    before(async function () {
        useEmulatorCredentials();
        logDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-moto-"));
        logFile = path.join(logDir, "moto.log");
        moto = await startMoto({ env: BENCH_MOTO_ENV, logFile });
        s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, "us-east-1"));
        await s3.send(new s3sdk.CreateBucketCommand({ Bucket: BUCKET }));
        await s3.send(new s3sdk.PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
    });

    after(async function () {
        s3?.destroy();
        await moto?.stop();
        if (logDir) fs.rmSync(logDir, { recursive: true, force: true });
    });

    const put = async (body: Buffer) => (await s3.send(new s3sdk.PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: body }))).VersionId!;
    const get = async (input: { Key?: string; Range?: string; VersionId?: string } = {}) =>
        Buffer.from(await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: BUCKET, Key: KEY, ...input }))).Body!.transformToByteArray());

    it("is patched: the process says so (a moto that moved FakeKey.value would say it is not)", function () {
        assert.match(fs.readFileSync(logFile, "utf8"), /tandem bench: moto keeps each version's bytes once read/);
    });

    it("answers whole and ranged reads of the version asked for, before and after an overwrite", async function () {
        // Above moto's spool size (5 MiB): the version's bytes live in a file, as the bench's 256 MiB do.
        const first = randomBytes(6 * 1024 * 1024);
        const firstVersion = await put(first);
        assert.ok((await get()).equals(first));
        assert.ok((await get({ Range: "bytes=1048576-2097151" })).equals(first.subarray(1048576, 2097152)), "a range of the kept bytes");

        const second = randomBytes(6 * 1024 * 1024);
        const secondVersion = await put(second);
        assert.notStrictEqual(secondVersion, firstVersion);
        assert.ok((await get()).equals(second), "the latest version after an overwrite");
        assert.ok((await get({ Range: "bytes=0-99" })).equals(second.subarray(0, 100)), "a range of the latest version");
        assert.ok((await get({ VersionId: firstVersion })).equals(first), "the older version by its id");
        assert.ok((await get({ VersionId: firstVersion, Range: "bytes=-100" })).equals(first.subarray(-100)), "a suffix range of the older version");
    });

    it("copies the version it reads, and the copy keeps those bytes when the source changes", async function () {
        const body = randomBytes(64 * 1024);
        await put(body);
        await get();
        await s3.send(new s3sdk.CopyObjectCommand({ Bucket: BUCKET, Key: "objects/copy.bin", CopySource: `${BUCKET}/${KEY}` }));
        assert.ok((await get({ Key: "objects/copy.bin" })).equals(body));
        const overwritten = randomBytes(64 * 1024);
        await put(overwritten);
        assert.ok((await get({ Key: "objects/copy.bin" })).equals(body), "the copy keeps its bytes when the source changes");
        assert.ok((await get()).equals(overwritten));
    });
});
