"use strict";
// The benchmark's load and its baselines, in a fresh Node process of their own (like the function under
// test), driven over the IPC channel of child_process.fork. Plain JavaScript: nothing else loads.
//   <- {type:"get-sha256", id, bucket, key, checksumMode}  -> {id, bytes, ms, sha256}   one GetObject hashed in one pass;
//        with checksumMode, sent with ChecksumMode ENABLED, so the SDK also recomputes the stored checksum
//   <- {type:"put-get", id, bucket, iterations, warmup, size}  -> {id, latencies}  ms per PUT+GET, one client
//   <- {type:"concurrent", id, clients, rounds, size, bucket | url}  -> {id, latencies}
//        `clients` loops at once, each `rounds` PUT+GET of `size` bytes: with the bare SDK on `bucket`, or
//        through the api at `url` (PUT /objects/<key>, then GET it back)
//   <- {type:"exit"}
const { performance } = require("perf_hooks");
const { createHash, randomBytes } = require("crypto");
const http = require("http");
const { S3Client, GetObjectCommand, PutObjectCommand } = require("@aws-sdk/client-s3");

const client = new S3Client({ region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL });
// The least a read must do: by default (WHEN_SUPPORTED) the SDK would ask for the stored checksum on
// every GetObject and recompute it over the body.
const hashingClient = new S3Client({ region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL, responseChecksumValidation: "WHEN_REQUIRED" });

async function getSha256(bucket, key, checksumMode) {
    const t0 = performance.now();
    const out = await hashingClient.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(checksumMode ? { ChecksumMode: "ENABLED" } : {}) }));
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of out.Body) {
        hash.update(chunk);
        bytes += chunk.length;
    }
    return { bytes, ms: performance.now() - t0, sha256: hash.digest("hex") };
}

async function sdkPutGet(bucket, key, body) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "application/octet-stream" }));
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = await out.Body.transformToByteArray();
    if (bytes.length !== body.length) throw new Error(`read ${bytes.length} bytes, wrote ${body.length}`);
}

// One connection per client, kept alive, as a browser or an SDK client would.
function httpRequest(agent, url, method, body) {
    return new Promise((resolve, reject) => {
        const request = http.request(url, { method, agent, headers: body ? { "content-type": "application/octet-stream", "content-length": body.length } : {} }, (response) => {
            const chunks = [];
            response.on("data", (c) => chunks.push(c));
            response.on("end", () => resolve({ status: response.statusCode, body: Buffer.concat(chunks) }));
        });
        request.on("error", reject);
        request.end(body);
    });
}

/** A PUT then a GET through the api; what went wrong, or undefined. A wrong body is fatal: it is a bug, not load. */
async function apiPutGet(agent, url, key, body) {
    const put = await httpRequest(agent, `${url}/objects/${key}`, "PUT", body);
    if (put.status !== 201) return `PUT ${put.status}`;
    const get = await httpRequest(agent, `${url}/objects/${key}`, "GET");
    if (get.status !== 200) return `GET ${get.status}`;
    if (!get.body.equals(body)) throw new Error(`GET answered ${get.status} with ${get.body.length} bytes that are not the PUT's`);
    return undefined;
}

async function putGet(bucket, iterations, warmup, size) {
    const body = randomBytes(size);
    const latencies = [];
    for (let i = 0; i < warmup + iterations; i++) {
        const t0 = performance.now();
        await sdkPutGet(bucket, `objects/bench/bare-${i % 50}`, body);
        if (i >= warmup) latencies.push(performance.now() - t0);
    }
    return { latencies };
}

async function concurrent(message) {
    const latencies = [];
    // Rounds a client saw fail (the api's 503 when S3 is too slow for its time budget): their time is
    // in the latencies too, as a client waited for it.
    const failures = [];
    const loop = async (n) => {
        const body = randomBytes(message.size);
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        try {
            for (let round = 0; round < message.rounds; round++) {
                const t0 = performance.now();
                if (message.url) {
                    const failure = await apiPutGet(agent, message.url, `bench/concurrent-${n}`, body);
                    if (failure !== undefined) failures.push(failure);
                } else await sdkPutGet(message.bucket, `objects/bench/concurrent-${n}`, body);
                latencies.push(performance.now() - t0);
            }
        } finally {
            agent.destroy();
        }
    };
    await Promise.all(Array.from({ length: message.clients }, (_, n) => loop(n)));
    return { latencies, failures };
}

process.on("message", async (message) => {
    try {
        if (message.type === "get-sha256") {
            process.send({ id: message.id, ...(await getSha256(message.bucket, message.key, message.checksumMode === true)) });
        } else if (message.type === "put-get") {
            process.send({ id: message.id, ...(await putGet(message.bucket, message.iterations, message.warmup, message.size)) });
        } else if (message.type === "concurrent") {
            process.send({ id: message.id, ...(await concurrent(message)) });
        } else if (message.type === "exit") {
            process.exit(0);
        }
    } catch (error) {
        process.send({ id: message.id, error: String(error && error.stack ? error.stack : error) });
    }
});
process.send({ type: "ready" });
