// moto_server, the AWS API emulator the local run and the emulator tests use: started on a free
// 127.0.0.1 port, ready once GET /moto-api/ answers, reset between suites (POST /moto-api/reset),
// stopped by PID. What it is provisioned with comes from the program (./provision.ts).

import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";

/**
 * The account every resource on moto belongs to: moto's DEFAULT_ACCOUNT_ID (moto/core/models.py),
 * which startMoto pins (MOTO_ACCOUNT_ID would change it). The program is evaluated with this account
 * id, so the ARNs it registers are moto's.
 */
export const MOTO_ACCOUNT_ID = "123456789012";
export const TEST_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };

// The SDK warns once per process that it will soon need Node 22; this machine runs Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/**
 * Makes this process talk to moto only: the emulator's credentials, no profile or instance metadata.
 * (The SDK resolves credentials lazily, at the first request, so they must stay in the environment.)
 */
export function useEmulatorCredentials(): void {
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    process.env.AWS_EC2_METADATA_DISABLED = "true";
}

export class MotoNotInstalledError extends Error {
    constructor(command: string) {
        super(
            `'${command}' was not found. The functions run locally against moto, an AWS API emulator:\n` +
                `    pip install "moto[server]"      (or: pipx install "moto[server]")\n` +
                `then run this again (set MOTO_SERVER=/path/to/moto_server to use another executable).`,
        );
        this.name = "MotoNotInstalledError";
    }
}

export interface MotoServer {
    readonly endpoint: string;
    readonly port: number;
    readonly pid: number;
    /** POST /moto-api/reset: wipes every resource (about 30 ms). */
    reset(): Promise<void>;
    /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. */
    stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
        });
    });
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface StartMotoOptions {
    port?: number;
    /** Where moto's own output goes (default: discarded). */
    logFile?: string;
    /** How long to wait for readiness (default 20 s). */
    timeoutMs?: number;
    /** Extra environment for the moto_server process. */
    env?: Record<string, string>;
}

/** Starts moto_server on 127.0.0.1 and resolves once it answers GET /moto-api/. */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
    const command = process.env.MOTO_SERVER ?? "moto_server";
    const port = options.port ?? (await freePort());
    const endpoint = `http://127.0.0.1:${port}`;
    const out = options.logFile ? fs.openSync(options.logFile, "a") : "ignore";
    const child: ChildProcess = spawn(command, ["-H", "127.0.0.1", "-p", String(port)], {
        env: { ...process.env, ...options.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true", MOTO_ACCOUNT_ID },
        stdio: ["ignore", out, out],
    });
    if (typeof out === "number") fs.closeSync(out);
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const exit = new Promise<void>((resolve) => child.once("exit", (code, signal) => ((exited = { code, signal }), resolve())));
    const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
    const killOnExit = () => {
        if (exited === undefined && child.pid !== undefined) {
            try {
                process.kill(child.pid, "SIGKILL");
            } catch {
                // already gone
            }
        }
    };
    process.once("exit", killOnExit);

    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    for (;;) {
        const failed = await Promise.race([spawnError, sleep(0).then(() => undefined)]);
        if (failed !== undefined) {
            process.removeListener("exit", killOnExit);
            if ((failed as NodeJS.ErrnoException).code === "ENOENT") throw new MotoNotInstalledError(command);
            throw failed;
        }
        if (exited !== undefined) {
            process.removeListener("exit", killOnExit);
            throw new Error(`moto_server exited during start-up (code ${exited.code}, signal ${exited.signal}) on port ${port}`);
        }
        try {
            const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
            await response.arrayBuffer();
            if (response.ok) break;
        } catch {
            // not listening yet
        }
        if (Date.now() > deadline) {
            killOnExit();
            process.removeListener("exit", killOnExit);
            throw new Error(`moto_server did not answer on ${endpoint} within ${options.timeoutMs ?? 20_000} ms`);
        }
        await sleep(100);
    }

    const pid = child.pid!;
    return {
        endpoint,
        port,
        pid,
        async reset() {
            const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
            await response.arrayBuffer();
            if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
        },
        async stop() {
            process.removeListener("exit", killOnExit);
            if (exited !== undefined) return;
            process.kill(pid, "SIGTERM");
            const killed = await Promise.race([exit.then(() => true), sleep(3000).then(() => false)]);
            if (!killed) {
                process.kill(pid, "SIGKILL");
                await exit;
            }
        },
    };
}

let shared: MotoServer | undefined;
let starting: Promise<MotoServer> | undefined;

/** The moto server shared by every suite of this process (started on first use). */
export async function sharedMoto(): Promise<MotoServer> {
    if (shared !== undefined) return shared;
    starting ??= startMoto().then((server) => (shared = server));
    return starting;
}

/** Stops the shared server, if one was started. */
export async function stopSharedMoto(): Promise<void> {
    const server = shared ?? (starting ? await starting.catch(() => undefined) : undefined);
    shared = undefined;
    starting = undefined;
    await server?.stop();
}

// Under mocha this module is first loaded at a test file's top level, where `after` registers a root
// hook: the shared server is stopped by PID once every suite has run.
declare const after: ((fn: () => Promise<void>) => void) | undefined;
if (typeof after === "function") {
    after(stopSharedMoto);
}

/**
 * Mocha hooks for a suite on moto: `before` gets the shared server and resets it, so each suite starts
 * from an empty emulator. The returned handle is valid from the suite's `before` hooks on.
 */
export function useMoto(): { readonly server: MotoServer; readonly endpoint: string } {
    let server: MotoServer | undefined;
    before(async function () {
        this.timeout(30_000);
        useEmulatorCredentials();
        server = await sharedMoto();
        await server.reset();
    });
    return {
        get server() {
            if (server === undefined) throw new Error("moto is not started yet (use the handle inside hooks and tests)");
            return server;
        },
        get endpoint() {
            return this.server.endpoint;
        },
    };
}

/** SDK client configuration for moto. */
export function clientConfig(endpoint: string, region: string) {
    return { region, endpoint, credentials: TEST_CREDENTIALS, forcePathStyle: true };
}
