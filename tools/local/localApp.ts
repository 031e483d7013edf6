// The whole app on this machine, with no AWS account, provisioned from the program: every stack
// evaluated on the mock runtime (./program.ts), moto provisioned from what it registered
// (./provision.ts), and the program's functions run here with their registered environment — the
// primary's api on `port`, the standby's on `standbyPort` (Function URL stand-ins), S3 notifications
// delivered to their functions, schedules on timers, and replication performed as the program's
// rules say (./replication.ts). Every function reaches S3 through the local S3 endpoint
// (./s3Endpoint.ts), which stores form-typed bodies exactly, reports writes to the replication and
// adds the replication status moto never sets. What still differs from AWS: ./gaps.ts.
import { ENV } from "../../functions/contract";
import { MotoClients } from "./clients";
import { coldStart, LocalFunction } from "./functions";
import { invocationContext, serveFunctionUrl } from "./functionUrl";
import { MotoServer, startMoto, useEmulatorCredentials } from "./moto";
import { bucketName, loadProgram, regionOf, resourcesOf } from "./program";
import { provisionProgram, ProvisionedStack } from "./provision";
import { ReplicationConfig, ReplicationRecord, startReplication } from "./replication";
import { TREATMENT, TYPE } from "./resourceTypes";
import { startS3Endpoint } from "./s3Endpoint";
import { pollNotifications, runSchedules, schedulesOf } from "./triggers";

export interface LocalAppOptions {
    /** The primary's api port (0: any free port; `url` says which). */
    port: number;
    /** The standby's api port. */
    standbyPort: number;
    /** Runs every schedule at this interval instead of its rule's rate. */
    canaryIntervalMs?: number;
    /** How long the local replication waits before copying each write. */
    replicationDelayMs: number;
    motoLogFile?: string;
    /** Where the app's own notes go (the functions write their log lines to stdout, as on Lambda). */
    log: (line: string) => void;
}

export interface LocalRegion {
    region: string;
    /** The data bucket (the api's TANDEM_BUCKET). */
    bucket: string;
    /** The api's Function URL stand-in. */
    url: string;
}

export interface LocalApp {
    motoEndpoint: string;
    /** The local S3 endpoint in front of moto: writes through it are replicated, form bodies kept. */
    s3Endpoint: string;
    primary: LocalRegion;
    standby: LocalRegion;
    /** Runs every scheduled function (the canaries) now; the timers do it every interval. */
    runCanaries(): Promise<void>;
    replication: { readonly records: readonly ReplicationRecord[]; settled(): Promise<void> };
    /** What this run provisioned differently from the program, and the resource types it leaves out. */
    notes: string[];
    stop(): Promise<void>;
}

function notesOf(provisioned: Awaited<ReturnType<typeof provisionProgram>>): string[] {
    const notes = provisioned.notes.map((n) => `${n.stack}: ${n.resource}: ${n.note}`);
    const leftOut = new Map<string, number>();
    for (const stack of provisioned.stacks) {
        for (const r of stack.inventory.resources) {
            if (r.custom && TREATMENT.get(r.type)?.by === "left out") leftOut.set(r.type, (leftOut.get(r.type) ?? 0) + 1);
        }
    }
    if (leftOut.size > 0) notes.push(`left out (docs/local.md): ${[...leftOut].map(([type, n]) => `${n} ${type.split(":").pop()}`).join(", ")}`);
    for (const type of provisioned.unknownTypes) notes.push(`${type}: unknown to the local run (tools/local/resourceTypes.ts), not created`);
    return notes;
}

export async function startLocalApp(options: LocalAppOptions): Promise<LocalApp> {
    useEmulatorCredentials();
    const cleanups: Array<() => Promise<void> | void> = [];
    const stop = async () => {
        for (const cleanup of cleanups.splice(0).reverse()) {
            try {
                await cleanup();
            } catch {
                // keep stopping the rest
            }
        }
    };
    try {
        // Both take seconds: evaluate while moto starts (a missing moto_server is reported at once).
        const evaluating = loadProgram();
        evaluating.catch(() => undefined);
        const moto: MotoServer = await startMoto({ logFile: options.motoLogFile });
        cleanups.push(() => moto.stop());
        const program = await evaluating;
        const provisioned = await provisionProgram(moto.endpoint, program);
        const scheduled = provisioned.stacks.flatMap((s) => schedulesOf(s));
        const clients = new MotoClients(moto.endpoint);
        cleanups.push(() => clients.destroy());

        const bucketRegions = new Map(program.stacks.flatMap((s) => resourcesOf(s, TYPE.bucket).map((b) => [bucketName(b), regionOf(s, b)] as const)));
        const configs: ReplicationConfig[] = program.stacks.flatMap((s) =>
            resourcesOf(s, TYPE.replication).map((r) => ({ bucket: String(r.inputs.bucket), rules: provisioned.ids.translate(r.inputs.rules as any[]) })),
        );
        const replication = startReplication({
            configs,
            s3For: (bucket) => clients.s3(bucketRegions.get(bucket) ?? program.primary.region),
            delayMs: options.replicationDelayMs,
            log: options.log,
        });
        cleanups.push(() => replication.stop());
        const s3 = await startS3Endpoint(moto.endpoint, { written: (w) => replication.observe(w), replicationStatus: (b, v) => replication.statusOf(b, v) });
        cleanups.push(() => s3.close());

        const functions = new Map<string, { fn: LocalFunction; handler: (event: any, context: any) => Promise<unknown> }>();
        for (const stack of provisioned.stacks) {
            for (const fn of stack.functions) functions.set(fn.arn, { fn, handler: coldStart(fn, { moto: moto.endpoint, s3: s3.endpoint }) as never });
        }
        // Once stopping, nothing new is invoked, and the invocations under way finish before the S3
        // endpoint and moto stop (each is bounded by its function's own timeouts).
        const running = new Set<Promise<void>>();
        let accepting = true;
        cleanups.push(async () => {
            accepting = false;
            while (running.size > 0) await Promise.all(running);
        });
        const invoke = (functionArn: string, event: unknown): Promise<void> => {
            if (!accepting) return Promise.resolve();
            const target = functions.get(functionArn);
            if (target === undefined) return Promise.resolve(options.log(JSON.stringify({ level: "ERROR", message: "no local function for an invocation", functionArn })));
            const run = (async () => {
                try {
                    await target.handler(event, invocationContext(target.fn.name, target.fn.timeoutMs));
                } catch (error) {
                    // Lambda would retry, then use the failure destination (docs/local.md, async-invoke).
                    options.log(JSON.stringify({ level: "ERROR", message: "local invocation failed; not retried", function: target.fn.name, region: target.fn.region, error: String(error) }));
                }
            })();
            running.add(run);
            return run.finally(() => running.delete(run));
        };

        const notifications = pollNotifications(provisioned.stacks.flatMap((s) => s.eventQueues), clients, invoke);
        cleanups.push(() => notifications.stop());

        async function serveApi(stack: ProvisionedStack, port: number): Promise<LocalRegion> {
            const urls = resourcesOf(stack, TYPE.functionUrl);
            if (urls.length !== 1) throw new Error(`stack ${stack.stack} registers ${urls.length} Function URLs; the local run serves exactly one per stack`);
            const fn = stack.functions.find((f) => f.name === urls[0].inputs.functionName && f.region === regionOf(stack, urls[0]));
            const api = fn && functions.get(fn.arn);
            if (fn === undefined || api === undefined) throw new Error(`stack ${stack.stack}: the Function URL's function ${urls[0].inputs.functionName} is not registered`);
            const server = await serveFunctionUrl(port, api.handler as never, fn.name, fn.timeoutMs, options.log);
            cleanups.push(() => server.close());
            return { region: fn.region, bucket: fn.environment[ENV.bucket], url: server.endpoint };
        }
        const primary = await serveApi(provisioned.primary, options.port);
        const standby = await serveApi(provisioned.standby, options.standbyPort);

        const schedules = runSchedules(scheduled, invoke, options.canaryIntervalMs);
        cleanups.push(() => schedules.stop());

        return {
            motoEndpoint: moto.endpoint,
            s3Endpoint: s3.endpoint,
            primary,
            standby,
            runCanaries: schedules.runAll,
            replication,
            notes: notesOf(provisioned),
            stop,
        };
    } catch (error) {
        await stop();
        throw error;
    }
}
