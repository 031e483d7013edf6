// Turns settings + usage into monthly quantities: invocations, S3 requests, KMS requests, bytes
// stored and moved. What each function does to S3 per invocation is read from its code
// (functions/api.ts, ingest.ts, canary.ts) and written down here as constants with the reason.
import { TIERING_MIN_OBJECT_BYTES } from "../../infra/bucketLifecycle";
import { Usage } from "./usage";
import { BucketCost, DAYS_PER_MONTH, FunctionCost, SECONDS_PER_MONTH, StackSettings } from "./stackSettings";

export const KB = 1024;
export const GB = 1024 ** 3;

/** An ingest manifest: {key, versionId, sha256, size, contentType, processedAt} as JSON. */
export const MANIFEST_BYTES = 400;
/** A canary probe: {writtenAt, region} as JSON. */
export const PROBE_BYTES = 80;
/** S3 replication metrics per rule: latency, pending operations, pending bytes, failed operations. */
export const REPLICATION_METRICS_PER_RULE = 4;
/** KMS requests per alarm notification on an encrypted topic: CloudWatch's GenerateDataKey, SNS's Decrypt. */
export const KMS_REQUESTS_PER_ENCRYPTED_PUBLISH = 2;
/** X-Ray's default sampling rule: the first request each second, then 5% of the rest. */
export const XRAY_RESERVOIR_PER_SECOND = 1;
export const XRAY_FIXED_RATE = 0.05;

export interface FunctionWorkload {
    fn: FunctionCost;
    invocations: number;
    /** Average billed duration: the assumed duration, but never more than the timeout. */
    billedMs: number;
    gbSeconds: number;
    coldStarts: number;
    tracesRecorded: number;
    logGbPerMonth: number;
    /** Log GB held at the described month, given the retention. */
    logGbStored: number;
    /** Events that failed every attempt and went to the failure queue. */
    failedEvents: number;
    averageConcurrency: number;
}

export interface S3Requests {
    /** PUT, COPY, POST: each one writes an object (and replicates, where replication is on). */
    puts: number;
    lists: number;
    /** GET and HEAD. */
    gets: number;
    /** Object reads and writes that need the bucket's KMS key (HEAD and LIST do not). */
    kmsObjectOperations: number;
}

export interface DataBucketWorkload {
    bucket: BucketCost;
    requests: S3Requests;
    objects: number;
    currentGb: number;
    noncurrentGb: number;
    manifestGb: number;
    /** Stored document GB in Intelligent-Tiering by access tier (zero when tiering does not apply). */
    tiering: Tiering;
    /** Document bytes sent to clients (api reads). */
    internetGb: number;
    /** Objects this bucket receives by replication (standby). */
    replicasIn: number;
    replication?: { objects: number; gb: number; timeControl: boolean; metrics: number; destinationRegion?: string };
}

export interface Tiering {
    /** Why documents are (or are not) in Intelligent-Tiering. */
    how: "written" | "moved by lifecycle" | "no tiering" | "too small";
    /** The smallest document that is tiered: 128 KiB, or more when a rule's size filter says so. */
    minObjectBytes: number;
    frequentGb: number;
    infrequentGb: number;
    archiveInstantGb: number;
    monitoredObjects: number;
    transitions: number;
}

export interface Workload {
    functions: FunctionWorkload[];
    dataBucket?: DataBucketWorkload;
    accessLogs?: { bucket: BucketCost; gbPerMonth: number; gbStored: number };
    /** Buckets the model has no usage for (neither the documents nor their access logs). */
    otherBuckets: BucketCost[];
    alarmPublishes: number;
}

const byTrigger = (s: StackSettings, kind: string) => s.functions.filter((f) => f.trigger.kind === kind);

/** How many new objects arrive in the document bucket, and how many asynchronous events a function gets. */
function arrivals(fn: FunctionCost, usage: Usage): number {
    switch (fn.trigger.kind) {
        case "http": return usage.requests;
        case "objectCreated": return usage.ingestPerMonth;
        case "schedule": return fn.trigger.runsPerMonth;
        case "none": return 0;
    }
}

function durationMs(fn: FunctionCost, usage: Usage): number {
    switch (fn.trigger.kind) {
        case "http": return usage.apiDurationMs;
        case "objectCreated": return usage.ingestDurationMs;
        case "schedule": return usage.canaryDurationMs;
        case "none": return 0;
    }
}

/** Traces X-Ray's default rule records for evenly spread invocations. */
export function sampledTraces(invocations: number): number {
    const perSecond = invocations / SECONDS_PER_MONTH;
    const traced = Math.min(perSecond, XRAY_RESERVOIR_PER_SECOND) + XRAY_FIXED_RATE * Math.max(perSecond - XRAY_RESERVOIR_PER_SECOND, 0);
    return traced * SECONDS_PER_MONTH;
}

/** Months of data a store holds at `month` when it keeps `days` of it (undefined: keeps everything). */
export function monthsHeld(days: number | undefined, month: number): number {
    return days === undefined ? month : Math.min(days / DAYS_PER_MONTH, month);
}

export function functionWorkload(fn: FunctionCost, usage: Usage): FunctionWorkload {
    const events = arrivals(fn, usage);
    // Synchronous (HTTP) invocations are not retried by Lambda and never reach the failure destination.
    const asynchronous = fn.trigger.kind === "objectCreated" || fn.trigger.kind === "schedule";
    const failedEvents = asynchronous ? events * usage.failureRate : 0;
    const invocations = events + failedEvents * fn.asyncRetries;
    const billedMs = Math.min(durationMs(fn, usage), fn.timeoutSeconds * 1000);
    const logGbPerMonth = (invocations * usage.logBytesPerInvocation) / GB;
    return {
        fn,
        invocations,
        billedMs,
        gbSeconds: invocations * (billedMs / 1000) * (fn.memoryMb / 1024),
        coldStarts: invocations * usage.coldStartRate,
        tracesRecorded: fn.tracing ? sampledTraces(invocations) : 0,
        logGbPerMonth,
        logGbStored: fn.logGroup ? logGbPerMonth * monthsHeld(fn.logGroup.retentionDays, usage.month) : 0,
        failedEvents,
        averageConcurrency: (invocations * billedMs) / 1000 / SECONDS_PER_MONTH,
    };
}

/** The documents bucket: the one a function ingests from, else the replicated one, else the first KMS bucket. */
export function documentBucket(s: StackSettings): BucketCost | undefined {
    const ingest = byTrigger(s, "objectCreated")[0];
    if (ingest && ingest.trigger.kind === "objectCreated") {
        const name = ingest.trigger.bucket;
        const found = s.buckets.find((b) => b.name === name);
        if (found) return found;
    }
    const replicated = s.replication[0] && s.buckets.find((b) => b.bucketName === s.replication[0].sourceBucket);
    return replicated ?? s.buckets.find((b) => b.sseKms);
}

export function workload(s: StackSettings, usage: Usage): Workload {
    const functions = s.functions.map((f) => functionWorkload(f, usage));
    const bucket = documentBucket(s);
    const dataBucket = bucket && dataBucketWorkload(s, bucket, functions, usage);
    const logTarget = bucket?.accessLogTarget !== undefined ? s.buckets.find((b) => b.bucketName === bucket.accessLogTarget) : undefined;
    let accessLogs: Workload["accessLogs"];
    if (logTarget && dataBucket) {
        const r = dataBucket.requests;
        const gbPerMonth = ((r.puts + r.lists + r.gets) * usage.accessLogBytesPerRequest) / GB;
        accessLogs = { bucket: logTarget, gbPerMonth, gbStored: gbPerMonth * monthsHeld(logTarget.lifecycle.expirationDays, usage.month) };
    }
    return {
        functions,
        dataBucket,
        accessLogs,
        otherBuckets: s.buckets.filter((b) => b !== bucket && b !== logTarget),
        alarmPublishes: s.topics.length > 0 && s.alarms.standard + s.alarms.highResolution + s.alarms.composite > 0 ? usage.alarmNotifications : 0,
    };
}

function dataBucketWorkload(s: StackSettings, bucket: BucketCost, functions: FunctionWorkload[], usage: Usage): DataBucketWorkload {
    const requests: S3Requests = { puts: 0, lists: 0, gets: 0, kmsObjectOperations: 0 };
    let documentWrites = 0;
    let manifestWrites = 0;
    let probeWrites = 0;
    let internetGb = 0;
    for (const w of functions) {
        switch (w.fn.trigger.kind) {
            case "http": {
                // api: a write is one PutObject; a read is one GetObject or one ListObjectsV2. A standby
                // refuses writes before touching S3.
                const writes = s.role === "primary" ? Math.min(usage.ingestPerMonth, w.invocations) : 0;
                const reads = w.invocations - writes;
                const lists = reads * usage.listShare;
                documentWrites += writes;
                requests.puts += writes;
                requests.lists += lists;
                requests.gets += reads - lists;
                requests.kmsObjectOperations += writes + (reads - lists);
                internetGb += ((reads - lists) * usage.avgObjectKb * KB) / GB;
                break;
            }
            case "objectCreated":
                // ingest: GetObject of the manifest (usually 404: no KMS), GetObject of the document,
                // PutObject of the manifest.
                requests.gets += 2 * w.invocations;
                requests.puts += w.invocations;
                requests.kmsObjectOperations += 2 * w.invocations;
                manifestWrites += w.invocations;
                break;
            case "schedule":
                // canary: the primary puts a probe, lists the newest probes and HEADs the newest; a
                // standby only lists.
                requests.lists += w.invocations;
                if (s.role === "primary") {
                    requests.puts += w.invocations;
                    requests.gets += w.invocations;
                    requests.kmsObjectOperations += w.invocations;
                    probeWrites += w.invocations;
                }
                break;
            case "none":
                break;
        }
    }

    // On a standby every object the primary writes arrives as a replica, encrypted with this
    // region's key: the documents, their manifests and one canary probe per run (the primary runs
    // the same canary schedule as this stack, being the same program).
    const canaryRuns = byTrigger(s, "schedule").reduce((n, f) => n + (f.trigger.kind === "schedule" ? f.trigger.runsPerMonth : 0), 0);
    const replicasIn = s.role === "standby" ? usage.ingestPerMonth * 2 + canaryRuns : 0;
    requests.kmsObjectOperations += replicasIn;

    const objects = (usage.storageGb * GB) / (usage.avgObjectKb * KB);
    const noncurrentGb = bucket.versioning
        ? usage.storageGb * usage.overwriteShare * monthsHeld(bucket.lifecycle.noncurrentVersionDays, usage.month)
        : 0;

    const tiering = documentTiering(bucket, usage, objects, noncurrentGb);
    const source = s.replication.find((r) => r.sourceBucket === bucket.bucketName);
    let replication: DataBucketWorkload["replication"];
    if (source) {
        const everything = source.prefixes.includes("");
        // The rule replicates everything this stack writes; with a prefix filter, only the documents.
        const objectsOut = everything ? documentWrites + manifestWrites + probeWrites : documentWrites;
        const bytes = documentWrites * usage.avgObjectKb * KB + (everything ? manifestWrites * MANIFEST_BYTES + probeWrites * PROBE_BYTES : 0);
        replication = {
            objects: objectsOut,
            gb: bytes / GB,
            timeControl: source.timeControl,
            metrics: source.metrics ? REPLICATION_METRICS_PER_RULE * source.prefixes.length : 0,
            destinationRegion: source.destinationRegion,
        };
        // S3 decrypts each object with this region's key to replicate it.
        requests.kmsObjectOperations += objectsOut;
    }

    return {
        bucket,
        requests,
        objects,
        currentGb: usage.storageGb,
        noncurrentGb,
        manifestGb: (objects * MANIFEST_BYTES) / GB,
        tiering,
        internetGb,
        replicasIn,
        replication,
    };
}

/**
 * Where the stored documents sit. Written in Intelligent-Tiering, every document is there from its first
 * day and none is ever moved; moved by lifecycle, the documents younger than the transition age are still
 * in S3 Standard and every new one pays a transition. Either way a document under 128 KiB is billed as S3
 * Standard and not monitored (infra/bucketLifecycle.ts TIERING_MIN_OBJECT_BYTES); the model sizes every
 * document at the average.
 */
function documentTiering(bucket: BucketCost, usage: Usage, objects: number, noncurrentGb: number): Tiering {
    const written = bucket.writeStorageClass === "INTELLIGENT_TIERING";
    const rule = bucket.lifecycle.intelligentTiering;
    // Without a size filter S3's lifecycle default is not to transition objects under 128 KB either.
    const minObjectBytes = written ? TIERING_MIN_OBJECT_BYTES : Math.max(TIERING_MIN_OBJECT_BYTES, (rule?.objectSizeGreaterThan ?? 0) + 1);
    const none = { minObjectBytes, frequentGb: 0, infrequentGb: 0, archiveInstantGb: 0, monitoredObjects: 0, transitions: 0 };
    if (!written && !rule) return { how: "no tiering", ...none };
    const bytes = usage.avgObjectKb * KB;
    if (bytes < minObjectBytes) return { how: "too small", ...none };
    const newGbPerMonth = (usage.ingestPerMonth * bytes) / GB;
    const youngShare = written || usage.storageGb === 0 ? 0 : Math.min(1, (newGbPerMonth * rule!.days) / DAYS_PER_MONTH / usage.storageGb);
    const tieredGb = usage.storageGb * (1 - youngShare);
    return {
        how: written ? "written" : "moved by lifecycle",
        minObjectBytes,
        frequentGb: tieredGb * (1 - usage.idle30dShare),
        infrequentGb: tieredGb * (usage.idle30dShare - usage.idle90dShare),
        archiveInstantGb: tieredGb * usage.idle90dShare,
        // Noncurrent versions keep the class of the version they were.
        monitoredObjects: objects * (1 - youngShare) + (noncurrentGb * GB) / bytes,
        transitions: written ? 0 : usage.ingestPerMonth,
    };
}
