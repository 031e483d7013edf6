// The Lambda entry points, in the shape `aws.lambda.CallbackFunction` serializes: each
// `xxxCallbackFactory` runs once per cold start — it reads and validates the configuration, `require`s
// the AWS SDK (which the Lambda Node.js runtime provides; capturing an SDK module from module scope
// cannot be serialized) and creates the clients — then returns the `async (event, context)` handler.
//
//   new aws.lambda.CallbackFunction(name, {
//       callbackFactory: apiCallbackFactory,
//       codePathOptions: lambdaCodePathOptions(),
//       runtime: aws.lambda.Runtime.NodeJS22dX, architectures: ["arm64"], ...
//   });
//
// Everything the factories reference is serialized by value into the function's `__index.js`; the
// handler logic lives in the plain modules next to this file.

import type * as pulumi from "@pulumi/pulumi";
import type * as S3 from "@aws-sdk/client-s3";
import type { LambdaFunctionURLEvent, S3Event, ScheduledEvent } from "aws-lambda";
import { createApi } from "./api";
import { createCanary, createLagTracker, CanaryResult } from "./canary";
import { FunctionConfig, loadConfig } from "./config";
import { CANARY_PERIOD_SECONDS, METRICS } from "./contract";
import type { FunctionUrlResult } from "./http";
import { createIngest, IngestResult } from "./ingest";
import type { InvocationContext } from "./invocation";
import { createLogger, createMetrics, Logger, logLevelFrom, Metrics } from "./observability";
import { createS3Storage } from "./storage";

/**
 * Packages the Lambda Node.js runtime already provides (the AWS SDK v3 clients:
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html). computeCodePaths bundles every
 * package in package.json `dependencies` (transitively) except these exact names.
 */
export const RUNTIME_PROVIDED_PACKAGES = ["@aws-sdk/client-s3"];

/** Code path options for the functions' CallbackFunctions; a fresh object each call (CallbackFunction mutates it). */
export function lambdaCodePathOptions(): pulumi.runtime.CodePathOptions {
    return { extraExcludePackages: [...RUNTIME_PROVIDED_PACKAGES] };
}

interface Runtime {
    config: FunctionConfig;
    sdk: typeof S3;
    client: S3.S3Client;
    /** The S3 endpoint override (an emulator), if any. */
    endpoint?: string;
    log: Logger;
    metrics: Metrics;
}

export interface HttpLimits {
    /** A connection not open within this fails the attempt. */
    connectionTimeout: number;
    /** No response headers within this fails the attempt. */
    requestTimeout: number;
    /** A socket idle this long (also while a body streams) fails the attempt. */
    socketTimeout: number;
    maxAttempts: number;
}

/**
 * The S3 client every function builds. Each attempt is bounded by `http` (the SDK retries up to
 * `maxAttempts`), and each handler also bounds the whole call by the Lambda's remaining time.
 * (`throwOnRequestTimeout`: recent SDKs only warn on `requestTimeout` otherwise; older ones treat
 * `requestTimeout` as the socket idle timeout and ignore the two newer options.)
 */
export function s3ClientConfig(region: string, endpoint: string | undefined, http: HttpLimits): S3.S3ClientConfig {
    return {
        region,
        endpoint,
        maxAttempts: http.maxAttempts,
        requestHandler: {
            connectionTimeout: http.connectionTimeout,
            requestTimeout: http.requestTimeout,
            throwOnRequestTimeout: true,
            socketTimeout: http.socketTimeout,
        },
        // Checksums only where S3 requires them: the api sends the SHA-256 it verified with each PUT,
        // and the SDK must not add a CRC of its own.
        requestChecksumCalculation: "WHEN_REQUIRED",
        // The SDK never asks for stored checksums by itself (left to it, WHEN_SUPPORTED, it would on
        // every GetObject, ranges too) nor recomputes them: storage.ts asks on whole-object reads only,
        // and the readers check the SHA-256 themselves.
        responseChecksumValidation: "WHEN_REQUIRED",
    };
}

/** Cold-start set-up shared by the three functions. */
function coldStart(http: HttpLimits): Runtime {
    const config = loadConfig(process.env);
    const sdk = require("@aws-sdk/client-s3") as typeof S3;
    // Read at cold start like the rest of the configuration (the SDK would read it lazily, per
    // request). Unset in Lambda; set when the functions run against an emulator.
    const endpoint = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined;
    const client = new sdk.S3Client(s3ClientConfig(config.region, endpoint, http));
    const keys = { region: config.region, role: config.role };
    const log = createLogger({ service: config.service, level: logLevelFrom(process.env.AWS_LAMBDA_LOG_LEVEL), keys });
    const metrics = createMetrics({ namespace: config.metricsNamespace, service: config.service, dimension: METRICS.serviceDimension });
    log.debug("cold start", { bucket: config.bucket, peerRegion: config.peerRegion });
    return { config, sdk, client, endpoint, log, metrics };
}

/** The api (Lambda Function URL, payload format 2.0). */
export function apiCallbackFactory(): (event: LambdaFunctionURLEvent, context: InvocationContext) => Promise<FunctionUrlResult> {
    const { config, sdk, client, endpoint, log, metrics } = coldStart({ connectionTimeout: 1_000, requestTimeout: 5_000, socketTimeout: 5_000, maxAttempts: 3 });
    // Presigned URLs and POST policies are signed with the credentials the client resolves (the
    // function's role session in Lambda).
    const signer = { credentials: () => client.config.credentials(), region: config.region, endpoint };
    const storage = createS3Storage({ sdk, client, bucket: config.bucket, signer });
    const lag = createLagTracker({ storage, role: config.role, reuseMs: CANARY_PERIOD_SECONDS * 1000 });
    const api = createApi({ config, storage, lag, log, metrics });
    return async (event, context) => api(event, context);
}

/** ingest (S3 event notifications for objects/). Throws on failure so Lambda retries, then the failure destination. */
export function ingestCallbackFactory(): (event: S3Event, context: InvocationContext) => Promise<IngestResult> {
    const { config, sdk, client, log } = coldStart({ connectionTimeout: 2_000, requestTimeout: 10_000, socketTimeout: 30_000, maxAttempts: 3 });
    const storage = createS3Storage({ sdk, client, bucket: config.bucket });
    const ingest = createIngest({ storage, log, read: { partBytes: config.ingestPartBytes, concurrency: config.ingestConcurrency, parallel: config.ingestParallel } });
    return async (event, context) => ingest(event, context);
}

/** canary (EventBridge schedule, every minute). */
export function canaryCallbackFactory(): (event: ScheduledEvent, context: InvocationContext) => Promise<CanaryResult> {
    const { config, sdk, client, log, metrics } = coldStart({ connectionTimeout: 1_000, requestTimeout: 5_000, socketTimeout: 5_000, maxAttempts: 3 });
    const storage = createS3Storage({ sdk, client, bucket: config.bucket });
    const canary = createCanary({ storage, role: config.role, region: config.region, log, metrics });
    return async (event, context) => canary(event, context);
}
