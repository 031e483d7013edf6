// The process the bundle tests and the bench run an unpacked archive in: its replies come over the IPC
// channel and its logs over pipes, two channels with no order between them. A reply must not overtake
// the logs written before it, or a test reading the logs after an invocation misses the last lines.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LambdaProcess, startLambdaProcess } from "../../tools/bundle/bundle";

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
});
