// The process the bundle tests and the bench run an unpacked archive in: its replies come over the IPC
// channel and its logs over pipes, two channels with no order between them. A reply must not overtake
// the logs written before it, or a test reading the logs after an invocation misses the last lines.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { lambdaNodeFlags, LambdaProcess, startLambdaProcess } from "../../tools/bundle/bundle";

/** An archive whose handler writes `bytes` of log lines to stdout and to stderr, then answers. */
const LOUD_HANDLER = `
exports.handler = async (event) => {
    const line = "x".repeat(99) + "\\n";
    for (let i = 0; i < event.bytes / 100; i++) { process.stdout.write(line); process.stderr.write("é".repeat(49) + "\\n"); }
    return { lines: event.bytes / 100 };
};
`;

describe("an unpacked archive's process (tools/bundle/bundle.ts)", function () {
    this.timeout(60_000);
    let dir: string;
    let proc: LambdaProcess;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-loud-"));
        fs.writeFileSync(path.join(dir, "__index.js"), LOUD_HANDLER);
        proc = await startLambdaProcess(dir, {});
    });

    after(async () => {
        await proc?.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("hands over a reply only once the logs written before it have arrived, on both streams", async () => {
        // Far more than a pipe buffers (64 KiB), so the reply is sent while most of the logs are still in flight.
        for (const bytes of [100, 1_000_000]) {
            const before = proc.output();
            const { result, error } = await proc.invoke({ bytes });
            assert.equal(error, undefined);
            const after = proc.output();
            const lines = (result as { lines: number }).lines;
            assert.equal(after.stdout.length - before.stdout.length, lines * 100);
            // Two-byte characters decoded whole, whatever the chunk boundaries were.
            assert.equal(after.stderr.length - before.stderr.length, lines * 50);
            assert.ok(!after.stderr.includes("\ufffd"));
        }
    });

    it("runs node as Lambda's bootstrap does for the function's memory size, whatever NODE_OPTIONS says", async () => {
        // Lambda's bootstrap: new_space = memory / 10, semi-space = new_space / 2, old space = memory - new_space.
        assert.deepEqual(lambdaNodeFlags({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512" }), ["--expose-gc", "--max-http-header-size=81920", "--max-semi-space-size=25", "--max-old-space-size=461"]);
        assert.deepEqual(lambdaNodeFlags({}), ["--expose-gc", "--max-http-header-size=81920"]);
        const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-flags-"));
        fs.writeFileSync(path.join(probeDir, "__index.js"), `exports.handler = async () => ({ gc: typeof gc, heapLimitMiB: require("v8").getHeapStatistics().heap_size_limit / 1048576 });`);
        const probe = await startLambdaProcess(probeDir, { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512", NODE_OPTIONS: "--max-old-space-size=4096" });
        try {
            const { result } = await probe.invoke({});
            const { gc, heapLimitMiB } = result as { gc: string; heapLimitMiB: number };
            assert.equal(gc, "function");
            // V8's limit is the old space plus the young generation: 557 MiB for 461 and 25 on Node 20
            // (4,144 with NODE_OPTIONS' 4096 alone).
            assert.ok(heapLimitMiB > 461 && heapLimitMiB < 600, `heap limit ${heapLimitMiB} MiB`);
        } finally {
            await probe.stop();
            fs.rmSync(probeDir, { recursive: true, force: true });
        }
    });
});
