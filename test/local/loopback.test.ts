// The local servers' one way to listen and stop: loopback only, a clear error for a port in use, and a
// close that does not wait for a keep-alive client to hang up.

import * as assert from "assert";
import * as http from "http";
import { listenOnLoopback } from "../../tools/local/loopback";

describe("local: loopback servers", () => {
    it("listens on 127.0.0.1 only, on a free port when asked for 0", async () => {
        const server = http.createServer((_request, response) => response.end("ok"));
        const listening = await listenOnLoopback(server);
        try {
            assert.deepStrictEqual(server.address(), { address: "127.0.0.1", family: "IPv4", port: listening.port });
            assert.strictEqual(await (await fetch(listening.endpoint)).text(), "ok");
        } finally {
            await listening.close();
        }
    });

    it("refuses a port in use, naming it and the hint", async () => {
        const first = await listenOnLoopback(http.createServer());
        try {
            await assert.rejects(listenOnLoopback(http.createServer(), first.port, "; choose another with --port"), new RegExp(`^Error: port ${first.port} is already in use on 127\\.0\\.0\\.1; choose another with --port$`));
        } finally {
            await first.close();
        }
    });

    it("closes with a keep-alive client still connected", async () => {
        const server = http.createServer((_request, response) => response.end("ok"));
        const listening = await listenOnLoopback(server);
        const agent = new http.Agent({ keepAlive: true });
        try {
            await new Promise<void>((resolve, reject) => http.get(listening.endpoint, { agent }, (response) => response.resume().on("end", resolve)).on("error", reject));
            assert.strictEqual(Object.values(agent.freeSockets).flat().length, 1, "the client keeps its connection open");
            await listening.close();
            assert.strictEqual(server.listening, false);
        } finally {
            agent.destroy();
        }
    }).timeout(5_000); // a close that waited for the client would wait for the agent's destroy, after the test
});
