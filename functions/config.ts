// The configuration every function reads from its environment at cold start (names in contract.ts).
// Validated once, with every problem listed in a single error, so a misconfigured deploy fails at init
// with a message that says what to fix rather than at the first request.

import { DOCUMENT_STORAGE_CLASSES, DocumentStorageClass, ENV, INGEST_PARALLEL_MODES, IngestParallelMode, MAX_INGEST_CONCURRENCY, MAX_INGEST_PART_BYTES, MAX_INLINE_BYTES_LIMIT, MAX_PRESIGN_EXPIRY_SECONDS, MAX_UPLOAD_BYTES_LIMIT, StackRole } from "./contract";

export interface FunctionConfig {
    /** This function's region (AWS_REGION, set by Lambda). */
    region: string;
    /** This region's data bucket. */
    bucket: string;
    role: StackRole;
    /** The other region of the pair. On a standby, the primary's region. */
    peerRegion: string;
    presignExpirySeconds: number;
    maxInlineBytes: number;
    maxUploadBytes: number;
    storageClass: DocumentStorageClass;
    /** ingest: bytes per ranged GET, and how many are in flight (functions/rangedRead.ts). */
    ingestPartBytes: number;
    ingestConcurrency: number;
    ingestParallel: IngestParallelMode;
    service: string;
    metricsNamespace: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, min: number, max: number, problems: string[]): number {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") {
        problems.push(`${name} is not set`);
        return NaN;
    }
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
        problems.push(`${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}`);
        return NaN;
    }
    return value;
}

function required(env: Env, name: string, problems: string[]): string {
    const value = env[name];
    if (value === undefined || value.trim() === "") {
        problems.push(`${name} is not set`);
        return "";
    }
    return value.trim();
}

/** A required value that must be one of `allowed`. */
function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], problems: string[]): T {
    const value = required(env, name, problems);
    if (value !== "" && !(allowed as readonly string[]).includes(value)) {
        problems.push(`${name}=${JSON.stringify(value)} must be one of ${allowed.join(", ")}`);
    }
    return value as T;
}

/** Reads and validates the function configuration; throws one Error listing every problem. */
export function loadConfig(env: Env): FunctionConfig {
    const problems: string[] = [];
    const region = required(env, "AWS_REGION", problems);
    if (region !== "" && !REGION.test(region)) {
        problems.push(`AWS_REGION=${JSON.stringify(region)} is not a region name`);
    }
    const bucket = required(env, ENV.bucket, problems);
    if (bucket !== "" && (!BUCKET.test(bucket) || bucket.includes(".."))) {
        problems.push(`${ENV.bucket}=${JSON.stringify(bucket)} is not a valid S3 bucket name`);
    }
    const role = required(env, ENV.role, problems);
    if (role !== "" && role !== "primary" && role !== "standby") {
        problems.push(`${ENV.role}=${JSON.stringify(role)} must be "primary" or "standby"`);
    }
    const peerRegion = required(env, ENV.peerRegion, problems);
    if (peerRegion !== "" && !REGION.test(peerRegion)) {
        problems.push(`${ENV.peerRegion}=${JSON.stringify(peerRegion)} is not a region name`);
    } else if (peerRegion !== "" && peerRegion === region) {
        problems.push(`${ENV.peerRegion} must differ from AWS_REGION (both are ${region})`);
    }
    const presignExpirySeconds = integer(env, ENV.presignExpirySeconds, 1, MAX_PRESIGN_EXPIRY_SECONDS, problems);
    const maxInlineBytes = integer(env, ENV.maxInlineBytes, 1, MAX_INLINE_BYTES_LIMIT, problems);
    const maxUploadBytes = integer(env, ENV.maxUploadBytes, 1, MAX_UPLOAD_BYTES_LIMIT, problems);
    const storageClass = oneOf(env, ENV.storageClass, DOCUMENT_STORAGE_CLASSES, problems);
    // Any positive size here (the tests read in small parts); a stack's configuration asks for ≥ 1 MiB.
    const ingestPartBytes = integer(env, ENV.ingestPartBytes, 1, MAX_INGEST_PART_BYTES, problems);
    const ingestConcurrency = integer(env, ENV.ingestConcurrency, 1, MAX_INGEST_CONCURRENCY, problems);
    const ingestParallel = oneOf(env, ENV.ingestParallel, INGEST_PARALLEL_MODES, problems);
    const service = required(env, ENV.service, problems);
    const metricsNamespace = required(env, ENV.metricsNamespace, problems);
    if (metricsNamespace !== "" && (metricsNamespace.length > 255 || !/^[0-9A-Za-z.\-_/#:]+$/.test(metricsNamespace) || metricsNamespace.startsWith("AWS/"))) {
        problems.push(`${ENV.metricsNamespace}=${JSON.stringify(metricsNamespace)} is not a valid custom CloudWatch namespace`);
    }
    if (problems.length > 0) {
        throw new Error(`Invalid function configuration: ${problems.join("; ")}.`);
    }
    return {
        region,
        bucket,
        role: role as StackRole,
        peerRegion,
        presignExpirySeconds,
        maxInlineBytes,
        maxUploadBytes,
        storageClass,
        ingestPartBytes,
        ingestConcurrency,
        ingestParallel,
        service,
        metricsNamespace,
    };
}
