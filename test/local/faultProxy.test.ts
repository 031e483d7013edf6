// The fault proxy's bandwidth cap is what `ingest.throttled` and the ranged-ingest suite measure
// against: over any interval a connection must carry no more than the bucket's depth plus rate × time.
// That must hold even when a timer wakes early, as Node's do when the event loop is busy (a timer counts
// from the loop's cached time, which then lags the clock).
import * as assert from "assert";
import * as http from "http";
import { BucketClock, startFaultProxy, TokenBucket } from "../../tools/local/faultProxy";
import { listenOnLoopback } from "../../tools/local/loopback";
import { assertWithinCap } from "../support/withinCap";

describe("local: the fault proxy's bandwidth cap", function () {
    this.timeout(30_000);

    it("never lets more through than depth + rate × elapsed, even when every timer wakes at half its delay", async () => {
        let now = 1_000;
        const earlyClock: BucketClock = { now: () => now, sleep: async (ms) => void (now += ms / 2) };
        const rate = 4e6;
        const depth = 20_000;
        const bucket = new TokenBucket(rate, depth, earlyClock);
        const start = now;
        let sent = 0;
        for (const piece of [20_000, 20_000, 5_000, 20_000, 1, 19_999, 20_000, 7_000, 20_000, 20_000]) {
            await bucket.take(piece);
            sent += piece;
            assert.ok(sent <= depth + (rate * (now - start)) / 1000, `${sent} bytes after ${now - start} ms`);
        }
        // And it does give the rate: the last byte left no later than it was due, plus one rounding.
        assert.ok(now - start <= ((sent - depth) / rate) * 1000 + 1, `${sent} bytes took ${now - start} ms`);
        // More than the bucket can ever hold is refused, rather than waited for forever.
        await assert.rejects(bucket.take(depth + 1), /a take of 20001 bytes exceeds the bucket's depth of 20000/);
    });

    it("holds on every request of a keep-alive connection, through the real proxy", async () => {
        const body = Buffer.alloc(64 * 1024, 7);
        const upstream = await listenOnLoopback(http.createServer((_request, response) => response.end(body)));
        const proxy = await startFaultProxy(upstream.endpoint, { bytesPerSecond: 4e6 });
        try {
            for (let i = 0; i < 5; i++) {
                assert.ok(Buffer.from(await (await fetch(`${proxy.endpoint}/doc`)).arrayBuffer()).equals(body));
            }
            assert.strictEqual(proxy.seen.length, 5);
            assert.deepStrictEqual(proxy.seen.map((get) => get.bytes), proxy.seen.map(() => body.length));
            assertWithinCap(proxy, proxy.seen);
        } finally {
            await proxy.close();
            await upstream.close();
        }
    });
});
