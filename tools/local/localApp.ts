// The whole app on this machine, with no AWS account: both regions on moto (keys and buckets as the
// program configures them), each region's api behind a local HTTP server that speaks the Lambda
// Function URL protocol (payload 2.0), S3 event notifications delivered to ingest, the canary on a
// timer, and S3 replication primary → standby emulated (moto stores a replication configuration but
// never replicates): new objects and probes are copied, delete markers propagated, and the primary's
// HEAD answers carry the x-amz-replication-status S3 would give (through a local proxy).

import type * as S3 from "@aws-sdk/client-s3";
import type * as SQS from "@aws-sdk/client-sqs";
import type { S3Event } from "aws-lambda";
import { apiCallbackFactory, canaryCallbackFactory, ingestCallbackFactory } from "../../functions/callbacks";
import { PREFIX } from "../../functions/contract";
import { FaultProxy, startFaultProxy } from "./faultProxy";
import { invocationContext, serveFunctionUrl } from "./functionUrl";
import { clientConfig, functionEnv, MotoServer, provisionApp, RegionFixture, startMoto, useEmulatorCredentials, withEnv } from "./emulator";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;
const sqssdk = require("@aws-sdk/client-sqs") as typeof SQS;

/** The api's Lambda timeout the infrastructure sets by default. */
const API_TIMEOUT_MS = 30_000;

export interface LocalAppOptions {
    port: number;
    standbyPort: number;
    canaryIntervalMs: number;
    /** How long the emulated replication waits before copying an object (default 1 s). */
    replicationDelayMs: number;
    motoLogFile?: string;
    /** Where the functions' log lines and the app's own notes go. */
    log: (line: string) => void;
}

export interface LocalApp {
    motoEndpoint: string;
    primary: { region: string; bucket: string; url: string };
    standby: { region: string; bucket: string; url: string };
    /** Runs both canaries now (the timer does it every interval). */
    runCanaries(): Promise<void>;
    stop(): Promise<void>;
}

type Handlers = {
    api: ReturnType<typeof apiCallbackFactory>;
    ingest: ReturnType<typeof ingestCallbackFactory>;
    canary: ReturnType<typeof canaryCallbackFactory>;
};

function buildHandlers(endpoint: string, fixture: RegionFixture): Handlers {
    return {
        api: withEnv(functionEnv(endpoint, fixture, "api"), apiCallbackFactory),
        ingest: withEnv(functionEnv(endpoint, fixture, "ingest"), ingestCallbackFactory),
        canary: withEnv(functionEnv(endpoint, fixture, "canary"), canaryCallbackFactory),
    };
}

function isDocumentKey(eventKey: string | undefined): boolean {
    try {
        return typeof eventKey === "string" && decodeURIComponent(eventKey.replace(/\+/g, " ")).startsWith(PREFIX.objects);
    } catch {
        return true; // let ingest report the malformed key
    }
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
        const moto: MotoServer = await startMoto({ logFile: options.motoLogFile });
        cleanups.push(() => moto.stop());
        const { primary, standby } = await provisionApp(moto.endpoint);

        // The primary's functions reach S3 through a proxy that adds the replication status moto never reports.
        const replicated = new Set<string>();
        const pending = new Set<string>();
        const proxy: FaultProxy = await startFaultProxy(moto.endpoint);
        cleanups.push(() => proxy.close());
        const primaryPath = `/${primary.bucket}/`;
        proxy.setRules([
            {
                match: (r) => r.method === "HEAD" && r.path.startsWith(primaryPath) && replicated.has(r.path.slice(primaryPath.length)),
                fault: { kind: "headers", headers: { "x-amz-replication-status": "COMPLETED" } },
            },
            {
                match: (r) => r.method === "HEAD" && r.path.startsWith(primaryPath) && pending.has(r.path.slice(primaryPath.length)),
                fault: { kind: "headers", headers: { "x-amz-replication-status": "PENDING" } },
            },
        ]);

        const handlers = { primary: buildHandlers(proxy.endpoint, primary), standby: buildHandlers(moto.endpoint, standby) };
        const s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, primary.region));
        // Notifications go to a queue in the bucket's own region.
        const sqsByRegion = new Map([primary, standby].map((f) => [f.region, new sqssdk.SQSClient(clientConfig(moto.endpoint, f.region))]));
        cleanups.push(() => {
            s3.destroy();
            sqsByRegion.forEach((c) => c.destroy());
        });

        // S3 → SQS notifications (moto cannot invoke Lambda); a poller per region hands them to ingest.
        const queues = new Map<string, string>();
        for (const fixture of [primary, standby]) {
            const sqs = sqsByRegion.get(fixture.region)!;
            const url = (await sqs.send(new sqssdk.CreateQueueCommand({ QueueName: `tandem-local-${fixture.region}-events` }))).QueueUrl!;
            const arn = (await sqs.send(new sqssdk.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
            await s3.send(
                new s3sdk.PutBucketNotificationConfigurationCommand({
                    Bucket: fixture.bucket,
                    NotificationConfiguration: { QueueConfigurations: [{ QueueArn: arn, Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"] }] },
                }),
            );
            queues.set(fixture.region, url);
        }

        const timers = new Set<NodeJS.Timeout>();
        const later = (ms: number, run: () => Promise<void>) => {
            const timer = setTimeout(() => {
                timers.delete(timer);
                run().catch((error) => options.log(JSON.stringify({ level: "ERROR", message: "local app task failed", error: String(error) })));
            }, ms);
            timers.add(timer);
        };
        cleanups.push(() => timers.forEach((t) => clearTimeout(t)));

        async function replicate(record: S3Event["Records"][number]): Promise<void> {
            const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
            if (!key.startsWith(PREFIX.objects) && !key.startsWith(PREFIX.probes)) return;
            if (record.eventName.startsWith("ObjectCreated:")) {
                pending.add(key);
                later(options.replicationDelayMs, async () => {
                    await s3.send(new s3sdk.CopyObjectCommand({ Bucket: standby.bucket, Key: key, CopySource: `${primary.bucket}/${encodeURIComponent(key)}`, MetadataDirective: "COPY" }));
                    pending.delete(key);
                    replicated.add(key);
                });
            } else if (record.eventName === "ObjectRemoved:DeleteMarkerCreated") {
                later(options.replicationDelayMs, async () => {
                    await s3.send(new s3sdk.DeleteObjectCommand({ Bucket: standby.bucket, Key: key }));
                });
            }
        }

        let polling = true;
        cleanups.push(() => {
            polling = false;
        });
        const pollers: Promise<void>[] = [];
        for (const [fixture, region] of [[primary, handlers.primary], [standby, handlers.standby]] as const) {
            const queueUrl = queues.get(fixture.region)!;
            const sqs = sqsByRegion.get(fixture.region)!;
            pollers.push(
                (async () => {
                    while (polling) {
                        let messages: SQS.Message[] = [];
                        try {
                            messages = (await sqs.send(new sqssdk.ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [];
                        } catch {
                            if (!polling) return;
                            await new Promise((r) => setTimeout(r, 500));
                            continue;
                        }
                        for (const message of messages) {
                            const event = JSON.parse(message.Body ?? "{}") as S3Event;
                            if (Array.isArray(event.Records)) {
                                if (fixture.role === "primary") for (const record of event.Records) await replicate(record).catch(() => undefined);
                                // The notification the program configures: ObjectCreated under objects/ only.
                                const created = event.Records.filter((r) => r.eventName?.startsWith("ObjectCreated:") && isDocumentKey(r.s3?.object?.key));
                                if (created.length > 0) {
                                    try {
                                        await region.ingest({ Records: created }, invocationContext(`tandem-ingest (${fixture.region})`, 60_000));
                                    } catch {
                                        // Logged by ingest; in AWS, Lambda would retry and then use the failure destination.
                                    }
                                }
                            }
                            await sqs.send(new sqssdk.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! })).catch(() => undefined);
                        }
                    }
                })(),
            );
        }
        cleanups.push(async () => {
            polling = false;
            await Promise.race([Promise.all(pollers), new Promise((r) => setTimeout(r, 2_000))]);
        });

        const servers = [
            await serveFunctionUrl(options.port, handlers.primary.api, "tandem-api", API_TIMEOUT_MS, options.log),
            await serveFunctionUrl(options.standbyPort, handlers.standby.api, "tandem-api", API_TIMEOUT_MS, options.log),
        ];
        cleanups.push(() => Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }))).then(() => undefined));

        const runCanaries = async () => {
            for (const [fixture, region] of [[primary, handlers.primary], [standby, handlers.standby]] as const) {
                try {
                    await region.canary({} as never, invocationContext(`tandem-canary (${fixture.region})`, 60_000));
                } catch {
                    // Logged by the canary.
                }
            }
        };
        const canaryTimer = setInterval(() => void runCanaries(), options.canaryIntervalMs);
        cleanups.push(() => clearInterval(canaryTimer));
        void runCanaries();

        return {
            motoEndpoint: moto.endpoint,
            primary: { region: primary.region, bucket: primary.bucket, url: `http://127.0.0.1:${options.port}` },
            standby: { region: standby.region, bucket: standby.bucket, url: `http://127.0.0.1:${options.standbyPort}` },
            runCanaries,
            stop,
        };
    } catch (error) {
        await stop();
        throw error;
    }
}
