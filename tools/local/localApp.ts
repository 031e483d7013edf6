// The whole app on this machine, with no AWS account: both regions on moto (keys and buckets as the
// program configures them), each region's api behind a local HTTP server that speaks the Lambda
// Function URL protocol (payload 2.0), S3 event notifications delivered to ingest, the canary on a
// timer, and S3 replication primary → standby emulated (moto stores a replication configuration but
// never replicates): new objects and probes are copied, delete markers propagated, and the primary's
// HEAD answers carry the x-amz-replication-status S3 would give (through a local proxy).

import * as http from "http";
import type * as S3 from "@aws-sdk/client-s3";
import type * as SQS from "@aws-sdk/client-sqs";
import type { LambdaFunctionURLEvent, S3Event } from "aws-lambda";
import { randomUUID } from "crypto";
import { apiCallbackFactory, canaryCallbackFactory, ingestCallbackFactory } from "../../functions/callbacks";
import { PREFIX } from "../../functions/contract";
import { FaultProxy, startFaultProxy } from "./faultProxy";
import { clientConfig, functionEnv, MotoServer, provisionApp, RegionFixture, startMoto, useEmulatorCredentials, withEnv } from "./emulator";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;
const sqssdk = require("@aws-sdk/client-sqs") as typeof SQS;

/** Lambda Function URLs refuse request bodies over 6 MB. */
const FUNCTION_URL_MAX_REQUEST_BYTES = 6 * 1024 * 1024;
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

function context(functionName: string, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    return { awsRequestId: randomUUID(), functionName, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}

function isDocumentKey(eventKey: string | undefined): boolean {
    try {
        return typeof eventKey === "string" && decodeURIComponent(eventKey.replace(/\+/g, " ")).startsWith(PREFIX.objects);
    } catch {
        return true; // let ingest report the malformed key
    }
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript)|[^;]*\+(json|xml))/i;

/** A Node request as the Function URL event Lambda would deliver. */
async function toFunctionUrlEvent(request: http.IncomingMessage, body: Buffer): Promise<LambdaFunctionURLEvent> {
    const target = request.url ?? "/";
    const q = target.indexOf("?");
    const rawPath = q === -1 ? target : target.slice(0, q);
    const rawQueryString = q === -1 ? "" : target.slice(q + 1);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
    }
    const queryStringParameters: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(rawQueryString)) {
        queryStringParameters[name] = name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
    }
    const text = TEXT_TYPES.test(headers["content-type"] ?? "");
    const now = Date.now();
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString,
        headers,
        ...(rawQueryString ? { queryStringParameters } : {}),
        requestContext: {
            accountId: "123456789012",
            apiId: "local",
            domainName: headers.host ?? "127.0.0.1",
            domainPrefix: "local",
            http: { method: request.method ?? "GET", path: rawPath, protocol: `HTTP/${request.httpVersion}`, sourceIp: request.socket.remoteAddress ?? "127.0.0.1", userAgent: headers["user-agent"] ?? "" },
            requestId: randomUUID(),
            routeKey: "$default",
            stage: "$default",
            time: new Date(now).toUTCString(),
            timeEpoch: now,
        },
        ...(body.length > 0 ? { body: text ? body.toString("utf8") : body.toString("base64"), isBase64Encoded: !text } : { isBase64Encoded: false }),
    };
}

function serveFunctionUrl(port: number, api: Handlers["api"], functionName: string, log: (line: string) => void): Promise<http.Server> {
    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let refused = false;
        request.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > FUNCTION_URL_MAX_REQUEST_BYTES) {
                if (!refused) {
                    refused = true;
                    response.writeHead(413, { "content-type": "application/json" }).end(JSON.stringify({ Message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation" }));
                }
                return;
            }
            chunks.push(chunk);
        });
        request.on("end", async () => {
            if (refused) return;
            try {
                const event = await toFunctionUrlEvent(request, Buffer.concat(chunks));
                const result = await api(event, context(functionName, API_TIMEOUT_MS));
                const body = result.body === undefined ? Buffer.alloc(0) : result.isBase64Encoded ? Buffer.from(result.body, "base64") : Buffer.from(result.body, "utf8");
                const headers: Record<string, string> = {};
                for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
                response.writeHead(result.statusCode ?? 200, headers).end(body);
            } catch (error) {
                // What a Function URL answers when the function throws.
                log(JSON.stringify({ level: "ERROR", message: "local function url: the handler threw", error: String(error) }));
                response.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ Message: "Internal Server Error" }));
            }
        });
    });
    return new Promise((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) =>
            reject(error.code === "EADDRINUSE" ? new Error(`port ${port} is already in use on 127.0.0.1; choose another with --port / --standby-port`) : error),
        );
        server.listen(port, "127.0.0.1", () => resolve(server));
    });
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
                                        await region.ingest({ Records: created }, context(`tandem-ingest (${fixture.region})`, 60_000));
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
            await serveFunctionUrl(options.port, handlers.primary.api, "tandem-api", options.log),
            await serveFunctionUrl(options.standbyPort, handlers.standby.api, "tandem-api", options.log),
        ];
        cleanups.push(() => Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }))).then(() => undefined));

        const runCanaries = async () => {
            for (const [fixture, region] of [[primary, handlers.primary], [standby, handlers.standby]] as const) {
                try {
                    await region.canary({} as never, context(`tandem-canary (${fixture.region})`, 60_000));
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
