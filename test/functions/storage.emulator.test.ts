// The storage port's whole-object GET against moto, through a client built as the functions build theirs
// (functions/callbacks.ts `s3ClientConfig`): it gets the checksums S3 stored with the version, and the SDK
// computes none of them over the body — every reader here hashes the bytes itself, once.
//
// Why the SDK would: given GetObject's ChecksumMode ENABLED, its flexible-checksums middleware wraps the
// body in a stream that recomputes the first stored checksum it supports, CRC64NVME first
// (@aws-sdk/checksums, flexibleChecksumsResponseMiddleware / validateChecksumFromResponse;
// aws/aws-sdk-js-v3#6497). S3 stores a CRC64NVME with every object uploaded without a checksum
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Checksum.html); moto 5.2 stores one only when
// the upload carries it, so the documents here are stored with theirs.

import * as assert from "assert";
import { createHash, randomBytes } from "crypto";
import type * as S3 from "@aws-sdk/client-s3";
import { s3ClientConfig } from "../../functions/callbacks";
import { createS3Storage, readBody } from "../../functions/storage";
import { clientConfig, provisionApp, RegionFixture, useMoto } from "../../tools/local/emulator";
import { startFaultProxy } from "../../tools/local/faultProxy";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;

const ALGORITHMS = ["SHA256", "CRC64NVME", "CRC32"] as const;
const LIMITS = { connectionTimeout: 2_000, requestTimeout: 10_000, socketTimeout: 30_000, maxAttempts: 3 };
type Algorithm = (typeof ALGORITHMS)[number];

/**
 * The headers each request `client` sends was signed over (SigV4's SignedHeaders), read after signing.
 * moto checks no signature; S3 requires every x-amz-* header a request carries to be signed
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, CanonicalHeaders).
 */
function recordSignedHeaders(client: S3.S3Client): Array<{ sent: string[]; signed: string[] }> {
    const requests: Array<{ sent: string[]; signed: string[] }> = [];
    client.middlewareStack.add(
        (next) => (args) => {
            const headers = (args.request as { headers: Record<string, string> }).headers;
            const signed = /SignedHeaders=([^,]+)/.exec(headers.authorization ?? "")?.[1].split(";") ?? [];
            requests.push({ sent: Object.keys(headers).map((h) => h.toLowerCase()), signed });
            return next(args);
        },
        { step: "deserialize", name: "recordSignedHeaders" },
    );
    return requests;
}

/** Every x-amz-* header of every request recorded is signed, and the read asked for the stored checksums. */
function assertAskedAndSigned(requests: Array<{ sent: string[]; signed: string[] }>): void {
    assert.ok(requests.length > 0, "no request recorded");
    for (const { sent, signed } of requests) {
        assert.ok(sent.includes("x-amz-checksum-mode"), `sent without x-amz-checksum-mode: ${sent.join(", ")}`);
        for (const header of sent.filter((h) => h.startsWith("x-amz-"))) assert.ok(signed.includes(header), `${header} is sent but not signed (${signed.join(";")})`);
    }
}

describe("functions: the storage port's whole-object reads (moto)", function () {
    const moto = useMoto();
    let primary: RegionFixture;
    let s3: S3.S3Client;
    let probed: S3.S3Client;
    let sentByProbed: Array<{ sent: string[]; signed: string[] }>;
    /** How many checksums of each algorithm the probed client's SDK set out to compute. */
    const computed = new Map<string, number>();

    /** A stand-in for the SDK's implementation of `algorithm` that only counts (its digest is never right). */
    function countingChecksum(algorithm: string) {
        return class {
            constructor() {
                computed.set(algorithm, (computed.get(algorithm) ?? 0) + 1);
            }
            update(): void {}
            reset(): void {}
            async digest(): Promise<Uint8Array> {
                return new Uint8Array(0);
            }
        };
    }

    before(async () => {
        ({ primary } = await provisionApp(moto.endpoint));
        s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, primary.region));
        probed = new s3sdk.S3Client({
            ...clientConfig(moto.endpoint, primary.region),
            ...s3ClientConfig(primary.region, moto.endpoint, LIMITS),
            checksumAlgorithms: Object.fromEntries(ALGORITHMS.map((a) => [a, countingChecksum(a)])),
        } as S3.S3ClientConfig);
        sentByProbed = recordSignedHeaders(probed);
    });
    beforeEach(() => computed.clear());
    after(() => {
        s3?.destroy();
        probed?.destroy();
    });

    /** Stores `body` under `key` with its checksum in `algorithm`, computed by the uploading SDK. */
    async function put(key: string, body: Buffer, algorithm: Algorithm): Promise<void> {
        const sha256 = algorithm === "SHA256" ? { ChecksumSHA256: createHash("sha256").update(body).digest("base64") } : {};
        await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: key, Body: body, ChecksumAlgorithm: algorithm, ...sha256 }));
    }

    for (const algorithm of ALGORITHMS) {
        it(`reads a document stored with a ${algorithm} without the SDK computing a checksum over it`, async () => {
            const body = randomBytes(256 * 1024 + 7);
            const key = `objects/storage/${algorithm}`;
            await put(key, body, algorithm);
            const storage = createS3Storage({ sdk: s3sdk, client: probed, bucket: primary.bucket });

            const from = sentByProbed.length;
            const object = await storage.get(key);
            assertAskedAndSigned(sentByProbed.slice(from));
            assert.deepStrictEqual(await readBody(object, body.length), body);
            assert.deepStrictEqual(Object.fromEntries(computed), {}, "the SDK computed a checksum of the body");
            // S3 answered with the stored checksums: the SHA-256 comes back only when asked for.
            const sha256 = algorithm === "SHA256" ? createHash("sha256").update(body).digest("base64") : undefined;
            assert.strictEqual(object.checksumSha256, sha256);
        });
    }

    it("the probe sees the SDK compute one when GetObject carries ChecksumMode (so the test above can fail)", async () => {
        const key = "objects/storage/probe";
        await put(key, Buffer.from("probe"), "CRC64NVME");
        const out = await probed.send(new s3sdk.GetObjectCommand({ Bucket: primary.bucket, Key: key, ChecksumMode: "ENABLED" }));
        (out.Body as unknown as { destroy(): void }).destroy();
        assert.deepStrictEqual(Object.fromEntries(computed), { CRC64NVME: 1 });
    });

    it("a ranged read asks for no stored checksum (S3 has none for an arbitrary range)", async () => {
        const body = randomBytes(4096);
        const key = "objects/storage/ranged";
        await put(key, body, "SHA256");
        const storage = createS3Storage({ sdk: s3sdk, client: probed, bucket: primary.bucket });
        const from = sentByProbed.length;
        const part = await storage.get(key, { range: { start: 100, end: 1099 } });
        const sent = sentByProbed.slice(from);
        assert.strictEqual(sent.length, 1);
        assert.ok(!sent[0].sent.includes("x-amz-checksum-mode"), `a ranged GET sent x-amz-checksum-mode: ${sent[0].sent.join(", ")}`);
        assert.deepStrictEqual(await readBody(part, 1000), body.subarray(100, 1100));
        assert.strictEqual(part.checksumSha256, undefined);
        assert.deepStrictEqual(part.range, { start: 100, end: 1099, size: body.length });
    });

    it("still gets the stored SHA-256 when S3's first answer is a 500 and the SDK retries", async () => {
        // S3 answers 500/503 now and then; the SDK retries the request it built, headers included.
        const body = randomBytes(4096);
        const key = "objects/storage/retried";
        await put(key, body, "SHA256");
        const proxy = await startFaultProxy(moto.endpoint);
        const client = new s3sdk.S3Client({ ...clientConfig(proxy.endpoint, primary.region), ...s3ClientConfig(primary.region, proxy.endpoint, LIMITS) });
        const sent = recordSignedHeaders(client);
        try {
            proxy.setRules([{ match: (r) => r.method === "GET", fault: { kind: "status", status: 500 }, times: 1 }]);
            const object = await createS3Storage({ sdk: s3sdk, client, bucket: primary.bucket }).get(key);
            assert.strictEqual(sent.length, 2, "the first attempt and its retry, each signed again");
            assertAskedAndSigned(sent);
            assert.deepStrictEqual(await readBody(object, body.length), body);
            assert.deepStrictEqual(proxy.seen.map((r) => r.status), [500, 200], "one refused attempt, then the retry");
            assert.strictEqual(object.checksumSha256, createHash("sha256").update(body).digest("base64"));
        } finally {
            client.destroy();
            await proxy.close();
        }
    });
});
