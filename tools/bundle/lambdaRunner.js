"use strict";
// Runs one unpacked Lambda archive the way the Node.js runtime does: a fresh Node process loads
// `<dir>/__index.js`, takes its `handler` export (CallbackFunction runs the callbackFactory while the
// module loads: configuration, SDK require, clients), then invokes it with (event, context).
//
// Plain JavaScript on purpose: nothing (no ts-node, no project modules) is loaded besides the archive.
// Driven over the IPC channel of child_process.fork:
//   -> {type:"ready", loadMs, sinceProcessStartMs, rssBytes} | {type:"initError", error}
//   <- {type:"invoke", id, event, remainingMs}   -> {type:"result", id, result | error, durationMs, written}
//   <- {type:"stats", id}                         -> {type:"stats", id, maxRssKiB, rssBytes, written}
//   <- {type:"exit"}
// `written` is the bytes written to stdout and stderr so far: the IPC channel and the pipes are separate,
// so a reply can arrive before the logs written ahead of it, and the parent waits for them.
const fs = require("fs");
const path = require("path");
const { performance } = require("perf_hooks");
const { randomUUID } = require("crypto");

const dir = process.argv[2];
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME || "tandem-local";

function errorOf(error) {
    if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
    return { name: "Error", message: String(error) };
}

/**
 * Peak resident memory of this process, KiB. VmHWM is the high-water mark of the process's own address
 * space (it starts afresh at exec); getrusage's ru_maxrss is not usable here, since Linux carries the
 * parent's RSS at fork into a child's maxrss across exec.
 */
function peakRssKiB() {
    try {
        const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
        if (match) return Number(match[1]);
    } catch {
        // not Linux
    }
    return process.resourceUsage().maxRSS;
}

const written = { stdout: 0, stderr: 0 };
for (const stream of ["stdout", "stderr"]) {
    const write = process[stream].write.bind(process[stream]);
    process[stream].write = (chunk, encoding, callback) => {
        written[stream] += typeof chunk === "string" ? Buffer.byteLength(chunk, typeof encoding === "string" ? encoding : "utf8") : chunk.length;
        return write(chunk, encoding, callback);
    };
}

function send(message) {
    if (process.send) process.send(message);
}

function reply(message) {
    send({ ...message, written: { ...written } });
}

let handler;
const started = performance.now();
try {
    handler = require(path.join(dir, "__index.js")).handler;
    if (typeof handler !== "function") throw new Error("__index.js does not export a `handler` function");
    const ready = performance.now();
    send({ type: "ready", loadMs: ready - started, sinceProcessStartMs: ready, rssBytes: process.memoryUsage().rss });
} catch (error) {
    send({ type: "initError", error: errorOf(error) });
    if (process.disconnect) process.disconnect();
    process.exitCode = 1;
}

process.on("message", async (message) => {
    if (!message || typeof message !== "object") return;
    if (message.type === "invoke" && handler) {
        const deadline = Date.now() + (message.remainingMs || 30000);
        const context = {
            awsRequestId: randomUUID(),
            functionName,
            functionVersion: "$LATEST",
            invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${functionName}`,
            memoryLimitInMB: "1024",
            logGroupName: `/aws/lambda/${functionName}`,
            logStreamName: "local",
            callbackWaitsForEmptyEventLoop: true,
            getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
            done() {},
            fail() {},
            succeed() {},
        };
        const t0 = performance.now();
        try {
            const result = await handler(message.event, context);
            reply({ type: "result", id: message.id, result: result === undefined ? null : result, durationMs: performance.now() - t0 });
        } catch (error) {
            reply({ type: "result", id: message.id, error: errorOf(error), durationMs: performance.now() - t0 });
        }
    } else if (message.type === "stats") {
        reply({ type: "stats", id: message.id, maxRssKiB: peakRssKiB(), rssBytes: process.memoryUsage().rss });
    } else if (message.type === "exit") {
        process.exit(0);
    }
});
