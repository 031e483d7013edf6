// `npm start` end to end: the script provisions moto from the program, serves the api on the given
// ports, delivers notifications to ingest, replicates to the standby (deletes included), stores form
// bodies exactly, prints once what the emulator cannot do like AWS, and Ctrl-C stops everything it
// started. Without moto_server it says how to install it; a bad flag is a usage error.

import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { freePort } from "../../tools/local/emulator";
import { GAPS } from "../../tools/local/gaps";
import { typescriptArgs } from "../../tools/transpile/command";
import { until } from "../support/poll";

const ROOT = path.resolve(__dirname, "..", "..");

function run(args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
    const child = spawn(process.execPath, typescriptArgs("tools/local/start.ts", args), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return { child, output: () => output, exited };
}

describe("functions: npm start", function () {
    this.timeout(180_000);

    it("serves both regions, ingests, replicates, and stops everything on Ctrl-C", async () => {
        const [port, standbyPort] = [await freePort(), await freePort()];
        const app = run(["--port", String(port), "--standby-port", String(standbyPort), "--canary-interval", "2", "--replication-delay", "0.2"]);
        try {
            await until(`the banner:\n${app.output()}`, () => app.output().includes("Ctrl-C stops everything."), 120_000);
            const out = app.output();
            assert.match(out, /provisioned from the program/);
            for (const gap of GAPS) assert.ok(out.includes(`  - ${gap.summary}\n`), `the banner names the gap ${gap.id}`);
            assert.match(out, /policy statement DenyInsecureTransport left out/);
            assert.match(out, new RegExp(`primary  us-east-1  api http://127\\.0\\.0\\.1:${port}`));
            assert.match(out, new RegExp(`standby  us-west-2  api http://127\\.0\\.0\\.1:${standbyPort}`));
            assert.match(out, /curl -X PUT .*\/objects\/notes\/hello\.txt/);
            const motoEndpoint = /locally on moto at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];

            const primary = `http://127.0.0.1:${port}`;
            const standby = `http://127.0.0.1:${standbyPort}`;
            const put = await fetch(`${primary}/objects/notes/h%C3%A9llo.txt`, { method: "PUT", body: "hello, tandem", headers: { "content-type": "text/plain" } });
            assert.strictEqual(put.status, 201);
            const get = await fetch(`${primary}/objects/notes/h%C3%A9llo.txt`);
            assert.strictEqual(await get.text(), "hello, tandem");
            assert.strictEqual(get.headers.get("content-type"), "text/plain");
            const binary = Buffer.from([0, 1, 2, 255, 254]);
            assert.strictEqual((await fetch(`${primary}/objects/bin`, { method: "PUT", body: binary })).status, 201);
            assert.ok(Buffer.from(await (await fetch(`${primary}/objects/bin`)).arrayBuffer()).equals(binary));

            // ingest ran on the notification; replication reached the standby, whose ingest ran too.
            await until("the primary's manifest", async () => (await fetch(`${primary}/manifests/notes/h%C3%A9llo.txt`)).status === 200, 15_000);
            await until("the replica", async () => (await fetch(`${standby}/objects/notes/h%C3%A9llo.txt`)).status === 200, 15_000);
            await until("the standby's manifest", async () => (await fetch(`${standby}/manifests/notes/h%C3%A9llo.txt`)).status === 200, 15_000);
            // What curl --data-binary sends without -H: a form-typed body, stored exactly.
            assert.strictEqual((await fetch(`${primary}/objects/form`, { method: "PUT", body: "a=1&b=2", headers: { "content-type": "application/x-www-form-urlencoded" } })).status, 201);
            assert.strictEqual(await (await fetch(`${primary}/objects/form`)).text(), "a=1&b=2");
            // A delete reaches the standby.
            await until("the form body's replica", async () => (await fetch(`${standby}/objects/form`)).status === 200, 15_000);
            assert.strictEqual((await fetch(`${primary}/objects/form`, { method: "DELETE" })).status, 204);
            await until("the delete on the standby", async () => (await fetch(`${standby}/objects/form`)).status === 404, 15_000);
            const refused = await fetch(`${standby}/objects/notes/h%C3%A9llo.txt`, { method: "PUT", body: "x" });
            assert.strictEqual(refused.status, 503);
            assert.strictEqual(refused.headers.get("x-tandem-primary-region"), "us-east-1");

            // The canaries measure a lag on both sides once a probe was replicated.
            await until("the standby's lag", async () => ((await (await fetch(`${standby}/health`)).json()) as { replicationLagSeconds: number | null }).replicationLagSeconds !== null, 20_000);
            await until("the primary's lag", async () => ((await (await fetch(`${primary}/health`)).json()) as { replicationLagSeconds: number | null }).replicationLagSeconds !== null, 20_000);
            // /health measures on demand; the canary publishes on its own timer, so its line may come later.
            await until(`a published lag:\n${app.output()}`, () => /"ReplicationLagSeconds":[\d.]+,"service":"tandem-canary"/.test(app.output()), 20_000);

            app.child.kill("SIGINT");
            assert.strictEqual(await app.exited, 0);
            assert.match(app.output(), /Stopped\./);
            await assert.rejects(fetch(`${motoEndpoint}/moto-api/`), "moto was stopped");
            await assert.rejects(fetch(`${primary}/health`), "the api server was stopped");
        } finally {
            // On a failure above: stop it the way a user would (it then stops moto), and only then force it.
            if (app.child.exitCode === null) {
                app.child.kill("SIGINT");
                const stopped = await Promise.race([app.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
                if (!stopped) app.child.kill("SIGKILL");
            }
        }
    });

    it("refuses a bad flag with its usage (exit 2), and prints it for --help (exit 0)", async () => {
        const bad = run(["--port", "not-a-port"]);
        assert.strictEqual(await bad.exited, 2);
        assert.match(bad.output(), /--port is "not-a-port"; allowed: an integer from 0 to 65535/);
        const negative = run(["--replication-delay=-1"]);
        assert.strictEqual(await negative.exited, 2);
        assert.match(negative.output(), /--replication-delay is "-1"; allowed: a number of seconds from 0 up\nusage: npm start/);
        const help = run(["--help"]);
        assert.strictEqual(await help.exited, 0);
        assert.match(help.output(), /^usage: npm start \[-- options\]/);
    });

    it("says how to install moto when moto_server is missing", async () => {
        const app = run(["--port", String(await freePort()), "--standby-port", String(await freePort())], { MOTO_SERVER: "/nonexistent/moto_server" });
        assert.strictEqual(await app.exited, 1);
        assert.match(app.output(), /was not found/);
        assert.match(app.output(), /pip install "moto\[server\]"/);
    });
});
