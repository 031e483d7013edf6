"use strict";
// The benchmark's baselines: the bare AWS SDK, in a fresh Node process of its own (like the function
// under test), driven over the IPC channel of child_process.fork. Plain JavaScript: nothing else loads.
//   <- {type:"get-discard", id, bucket, key}          -> {id, bytes, ms}
//   <- {type:"put-get", id, bucket, iterations, warmup, size}  -> {id, latencies: number[]} (ms per PUT+GET)
//   <- {type:"exit"}
const { performance } = require("perf_hooks");
const { randomBytes } = require("crypto");
const { S3Client, GetObjectCommand, PutObjectCommand } = require("@aws-sdk/client-s3");

const client = new S3Client({ region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL });

async function getDiscard(bucket, key) {
    const t0 = performance.now();
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    let bytes = 0;
    for await (const chunk of out.Body) bytes += chunk.length;
    return { bytes, ms: performance.now() - t0 };
}

async function putGet(bucket, iterations, warmup, size) {
    const body = randomBytes(size);
    const latencies = [];
    for (let i = 0; i < warmup + iterations; i++) {
        const key = `objects/bench/bare-${i % 50}`;
        const t0 = performance.now();
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "application/octet-stream" }));
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = await out.Body.transformToByteArray();
        const ms = performance.now() - t0;
        if (bytes.length !== size) throw new Error(`read ${bytes.length} bytes, wrote ${size}`);
        if (i >= warmup) latencies.push(ms);
    }
    return { latencies };
}

process.on("message", async (message) => {
    try {
        if (message.type === "get-discard") {
            const result = await getDiscard(message.bucket, message.key);
            process.send({ id: message.id, ...result });
        } else if (message.type === "put-get") {
            process.send({ id: message.id, ...(await putGet(message.bucket, message.iterations, message.warmup, message.size)) });
        } else if (message.type === "exit") {
            process.exit(0);
        }
    } catch (error) {
        process.send({ id: message.id, error: String(error && error.stack ? error.stack : error) });
    }
});
process.send({ type: "ready" });
