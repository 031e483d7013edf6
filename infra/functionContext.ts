import * as pulumi from "@pulumi/pulumi";
import { DocumentStorageClass, ENV, IngestParallelMode, METRICS, SERVICES, StackRole } from "../functions/contract";
import { DocumentStorage, FunctionKind, FunctionSettings } from "./config";
import { functionName } from "./naming";

/** Where and how any function is deployed: account, region, key, log retention. */
export interface FunctionDeployment {
    accountId: string;
    region: string;
    kmsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
}

/** What every Tandem function is deployed with, whatever its trigger. */
export interface FunctionContext extends FunctionDeployment {
    /** Put on every function's role (a foundation's permissions boundary). */
    permissionsBoundary?: pulumi.Input<string>;
    app: string;
    peerRegion: string;
    role: StackRole;
    bucketName: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    presignExpirySeconds: number;
    maxInlineBytes: number;
    maxUploadBytes: number;
    documentStorage: DocumentStorage;
    /** How ingest reads a large document: bytes per ranged GET, GETs in flight, when in parallel. */
    ingestPartBytes: number;
    ingestConcurrency: number;
    ingestParallel: IngestParallelMode;
}

/**
 * The ingest function's allocator setting, read by glibc at process start
 * (https://sourceware.org/glibc/manual/latest/html_node/Tunables.html; not a variable Lambda reserves:
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 * Streaming a document, the process frees socket buffers in batches whenever V8 collects its old
 * generation, and glibc's default trim threshold (128 KiB, adjusted by glibc as it goes) hands them
 * back to the kernel, so the next reads fault them in again. Kept up to 64 MiB, an ingest of 256 MiB
 * took a median 841 ms instead of 988 here (eight interleaved each); a process that collects rarely
 * (a bare GetObject) gains nothing from it, and the peak RSS measured the same (docs/functions.md,
 * "Ingest on moto").
 */
export const INGEST_ALLOCATOR_ENVIRONMENT = { GLIBC_TUNABLES: `glibc.malloc.trim_threshold=${64 * 1024 * 1024}` };

/**
 * What every Tandem function's HardenedFunction is given whatever it does: its name, size and
 * deployment, and the environment of the function contract (functions/contract.ts).
 */
export function tandemFunction(ctx: FunctionContext, kind: FunctionKind, settings: FunctionSettings) {
    const { accountId, region, kmsKeyArn, logRetentionDays } = ctx;
    const environment: Record<string, pulumi.Input<string>> = {
        [ENV.bucket]: ctx.bucketName,
        [ENV.role]: ctx.role,
        [ENV.peerRegion]: ctx.peerRegion,
        [ENV.presignExpirySeconds]: String(ctx.presignExpirySeconds),
        [ENV.maxInlineBytes]: String(ctx.maxInlineBytes),
        [ENV.maxUploadBytes]: String(ctx.maxUploadBytes),
        [ENV.storageClass]: documentStorageClass(ctx.documentStorage),
        [ENV.ingestPartBytes]: String(ctx.ingestPartBytes),
        [ENV.ingestConcurrency]: String(ctx.ingestConcurrency),
        [ENV.ingestParallel]: ctx.ingestParallel,
        [ENV.service]: SERVICES[kind],
        [ENV.metricsNamespace]: METRICS.namespace,
        ...(kind === "ingest" ? INGEST_ALLOCATOR_ENVIRONMENT : {}),
    };
    return { functionName: functionName(ctx.app, kind), ...settings, accountId, region, kmsKeyArn, logRetentionDays, environment };
}

/** The class the api writes documents in: Intelligent-Tiering only when chosen on write (a lifecycle rule moves them otherwise). */
export function documentStorageClass(storage: DocumentStorage): DocumentStorageClass {
    return storage === "intelligent-tiering-on-write" ? "INTELLIGENT_TIERING" : "STANDARD";
}

/** `arn:aws:s3:::bucket/prefix*` for each prefix. */
export function objectArns(bucketArn: pulumi.Input<string>, ...prefixes: string[]): pulumi.Output<string>[] {
    return prefixes.map((p) => pulumi.interpolate`${bucketArn}/${p}*`);
}
