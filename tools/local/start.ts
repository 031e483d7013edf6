// npm start: the app on this machine, no AWS account — both regions on moto, the api of each region on
// http://127.0.0.1 (primary :3000, standby :3001), S3 notifications delivered to ingest, replication
// emulated, the canary on a timer. Ctrl-C stops everything it started.
//
//   npm start [-- --port 3000 --standby-port 3001 --canary-interval 60 --replication-delay 1]

import * as fs from "fs";
import * as path from "path";
import { startLocalApp } from "./localApp";
import { MotoNotInstalledError } from "./emulator";

interface Args {
    port: number;
    standbyPort: number;
    canaryIntervalSeconds: number;
    replicationDelaySeconds: number;
}

function usage(): string {
    return [
        "usage: npm start [-- options]",
        "  --port N               primary api port (default 3000)",
        "  --standby-port N       standby api port (default 3001)",
        "  --canary-interval S    seconds between canary runs (default 60)",
        "  --replication-delay S  seconds the emulated replication takes (default 1)",
    ].join("\n");
}

function parseArgs(argv: string[]): Args {
    const args: Args = { port: 3000, standbyPort: 3001, canaryIntervalSeconds: 60, replicationDelaySeconds: 1 };
    const numbers: Record<string, keyof Args> = {
        "--port": "port",
        "--standby-port": "standbyPort",
        "--canary-interval": "canaryIntervalSeconds",
        "--replication-delay": "replicationDelaySeconds",
    };
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split("=", 2);
        if (flag === "--help" || flag === "-h") {
            console.log(usage());
            process.exit(0);
        }
        const name = numbers[flag];
        const raw = inline ?? argv[++i];
        const value = Number(raw);
        if (name === undefined || raw === undefined || !Number.isFinite(value) || value < 0) {
            throw new Error(`bad argument ${argv[i] ?? flag}\n${usage()}`);
        }
        args[name] = value;
    }
    if (args.canaryIntervalSeconds < 1) throw new Error("--canary-interval must be at least 1 second");
    return args;
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const stateDir = path.resolve(__dirname, "..", "..", ".tandem");
    fs.mkdirSync(stateDir, { recursive: true });
    const motoLogFile = path.join(stateDir, "moto.log");
    console.log("Starting moto (the AWS API emulator) and provisioning both regions…");
    const app = await startLocalApp({
        port: args.port,
        standbyPort: args.standbyPort,
        canaryIntervalMs: args.canaryIntervalSeconds * 1000,
        replicationDelayMs: args.replicationDelaySeconds * 1000,
        motoLogFile,
        log: (line) => console.log(line),
    });

    const p = app.primary.url;
    console.log(
        [
            "",
            `Tandem is running locally on moto at ${app.motoEndpoint} — no AWS account involved.`,
            `  primary  ${app.primary.region}  api ${p}   bucket ${app.primary.bucket}`,
            `  standby  ${app.standby.region}  api ${app.standby.url}   bucket ${app.standby.bucket}`,
            `  S3 notifications → ingest in each region; replication ${app.primary.region} → ${app.standby.region} emulated (${args.replicationDelaySeconds} s);`,
            `  canary every ${args.canaryIntervalSeconds} s. Function logs (JSON) follow below; moto's log is ${path.relative(process.cwd(), motoLogFile)}.`,
            "",
            "Try:",
            `  curl -X PUT -H 'content-type: text/plain' --data-binary 'hello, tandem' ${p}/objects/notes/hello.txt`,
            `  curl ${p}/objects/notes/hello.txt`,
            `  curl '${p}/objects?prefix=notes/&limit=10'`,
            `  curl ${p}/manifests/notes/hello.txt`,
            `  curl -X POST -H 'content-type: application/json' -d '{"contentType":"application/zip"}' ${p}/uploads/big/archive.zip`,
            `  curl ${app.standby.url}/health`,
            `  curl -i -X PUT --data-binary 'nope' ${app.standby.url}/objects/notes/hello.txt    # the standby refuses writes: 503`,
            "",
            "Ctrl-C stops everything.",
            "",
        ].join("\n"),
    );

    let stopping = false;
    const shutdown = (signal: string) => {
        if (stopping) {
            console.log("Forced exit.");
            process.exit(1);
        }
        stopping = true;
        console.log(`\n${signal}: stopping the api servers, the pollers and moto…`);
        app.stop().then(
            () => {
                console.log("Stopped.");
                process.exit(0);
            },
            (error) => {
                console.error(`Stopping failed: ${error}`);
                process.exit(1);
            },
        );
    };
    process.on("SIGINT", () => shutdown("SIGINT"));
    process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error) => {
    if (error instanceof MotoNotInstalledError) {
        console.error(error.message);
    } else {
        console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exit(1);
});
