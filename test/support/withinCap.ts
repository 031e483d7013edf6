// What a capped fault proxy promises (tools/local/faultProxy.ts): over its answer, a request carries at
// most the bucket's depth plus rate × the time from its headers to its last byte, by the proxy's record.
import * as assert from "assert";
import type { FaultProxy, SeenRequest } from "../../tools/local/faultProxy";

export function assertWithinCap(proxy: FaultProxy, requests: SeenRequest[]): void {
    const { bytesPerSecond, burstBytes } = proxy.bandwidth!;
    for (const r of requests) {
        const seconds = (r.endedAt! - r.answeredAt!) / 1000;
        assert.ok(r.bytes <= burstBytes + bytesPerSecond * seconds, `${r.bytes} bytes in ${seconds} s on connection ${r.connection}`);
    }
}
