// npm start: the app on this machine, no AWS account — the program evaluated on the mock runtime,
// moto provisioned from what it registered (both regions), the api of each region on 127.0.0.1
// (primary :3000, standby :3001), S3 notifications delivered to their functions, replication
// performed as the program's rules say, schedules on timers. Prints once what the emulator cannot do
// like AWS (docs/local.md). Ctrl-C stops everything it started.
//
//   npm start [-- --port 3000 --standby-port 3001 --canary-interval 60 --replication-delay 1]
import * as fs from "fs";
import * as path from "path";
import { integerFlag, Io, parseCommandArgs, runCli, UsageError } from "../cli";
import type { Gap } from "./gaps";
import type { LocalApp } from "./localApp";

const SPEC = {
    usage: [
        "usage: npm start [-- options]",
        "  --port N               primary api port (default 3000)",
        "  --standby-port N       standby api port (default 3001)",
        "  --canary-interval S    seconds between scheduled runs (default: each schedule's rate)",
        "  --replication-delay S  seconds the local replication waits before copying a write (default 1)",
    ].join("\n"),
    options: {
        port: { type: "string" },
        "standby-port": { type: "string" },
        "canary-interval": { type: "string" },
        "replication-delay": { type: "string" },
    },
} as const;

/** A duration in seconds (fractions allowed) within bounds, or a UsageError naming the flag. */
function secondsFlag(flag: string, raw: string | undefined, min: number): number | undefined {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || value < min) {
        throw new UsageError(`--${flag} is ${JSON.stringify(raw)}; allowed: a number of seconds from ${min} up\n${SPEC.usage}`);
    }
    return value;
}

function banner(app: LocalApp, gaps: readonly Gap[], motoLog: string, replicationDelaySeconds: number): string {
    const p = app.primary.url;
    return [
        "",
        `Tandem is running locally on moto at ${app.motoEndpoint} — no AWS account involved; provisioned from the program.`,
        `  primary  ${app.primary.region}  api ${p}   bucket ${app.primary.bucket}`,
        `  standby  ${app.standby.region}  api ${app.standby.url}   bucket ${app.standby.bucket}`,
        `  S3 endpoint ${app.s3Endpoint} (the functions' and yours: writes through it replicate ${app.primary.region} → ${app.standby.region} after ${replicationDelaySeconds} s)`,
        `  Function logs (JSON) follow below; moto's log is ${motoLog}.`,
        "",
        "What the emulator does not do like AWS (docs/local.md):",
        ...gaps.map((g) => `  - ${g.summary}`),
        ...(app.notes.length > 0 ? ["", "This run:", ...app.notes.map((n) => `  - ${n}`)] : []),
        "",
        "Try:",
        `  curl -X PUT -H 'content-type: text/plain' --data-binary 'hello, tandem' ${p}/objects/notes/hello.txt`,
        `  curl ${p}/objects/notes/hello.txt`,
        `  curl '${p}/objects?prefix=notes/&limit=10'`,
        `  curl ${p}/manifests/notes/hello.txt`,
        `  curl -X DELETE ${p}/objects/notes/hello.txt     # the standby stops serving it once the delete marker replicates`,
        `  curl -X POST -H 'content-type: application/json' -d '{"contentType":"application/zip"}' ${p}/uploads/big/archive.zip`,
        `  curl ${app.standby.url}/health`,
        `  curl -i -X PUT --data-binary 'nope' ${app.standby.url}/objects/notes/hello.txt    # the standby refuses writes: 503`,
        "",
        "Ctrl-C stops everything.",
        "",
    ].join("\n");
}

export async function main(argv: string[], io: Io): Promise<number> {
    const args = parseCommandArgs(argv, SPEC);
    if (args.help) {
        io.out(SPEC.usage);
        return 0;
    }
    const canaryIntervalSeconds = secondsFlag("canary-interval", args["canary-interval"], 1);
    const replicationDelaySeconds = secondsFlag("replication-delay", args["replication-delay"], 0) ?? 1;
    // Loaded once the command line is known to be good: the program, Pulumi and the SDK take seconds.
    const [{ startLocalApp }, { GAPS }] = await Promise.all([import("./localApp"), import("./gaps")]);
    const stateDir = path.join(__dirname, "..", "..", ".tandem");
    fs.mkdirSync(stateDir, { recursive: true });
    const motoLogFile = path.join(stateDir, "moto.log");
    io.out("Evaluating the program, starting moto (the AWS API emulator) and provisioning both regions from it…");
    const app = await startLocalApp({
        port: integerFlag("port", args.port, 3000, 0, 65535),
        standbyPort: integerFlag("standby-port", args["standby-port"], 3001, 0, 65535),
        canaryIntervalMs: canaryIntervalSeconds === undefined ? undefined : canaryIntervalSeconds * 1000,
        replicationDelayMs: replicationDelaySeconds * 1000,
        motoLogFile,
        log: (line) => io.out(line),
    });
    io.out(banner(app, GAPS, path.relative(process.cwd(), motoLogFile), replicationDelaySeconds));

    return new Promise<number>((resolve) => {
        let stopping = false;
        const shutdown = (signal: string) => {
            if (stopping) {
                io.err("Forced exit.");
                process.exit(1);
            }
            stopping = true;
            io.out(`\n${signal}: stopping the api servers, the pollers, the S3 endpoint and moto…`);
            app.stop().then(
                () => {
                    io.out("Stopped.");
                    resolve(0);
                },
                (error) => {
                    io.err(`Stopping failed: ${error}`);
                    resolve(1);
                },
            );
        };
        process.on("SIGINT", () => shutdown("SIGINT"));
        process.on("SIGTERM", () => shutdown("SIGTERM"));
    });
}

runCli(module, main);
