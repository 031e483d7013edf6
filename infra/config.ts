// Every `tandem:*` setting is declared, defaulted and validated here, and nowhere else. The program
// fails before it registers a single resource when a key is missing, unknown or out of range, with a
// message that names the key, the bad value and what is allowed. Pulumi.yaml declares the same keys
// for the CLI; a test keeps the two identical.
import { createPublicKey, KeyObject } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { INGEST_PARALLEL_MODES, IngestParallelMode, MAX_INGEST_CONCURRENCY, MAX_INGEST_PART_BYTES, MAX_INLINE_BYTES_LIMIT, MAX_SENT_AHEAD, MAX_UPLOAD_BYTES_LIMIT, MAX_UPLOAD_POLICY_SECONDS, StackRole } from "../functions/contract";
import { MAX_APP_NAME_LENGTH } from "./naming";

export const PROJECT = "tandem";

/** Regions Tandem can be deployed to (commercial partition). */
export const AWS_REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1", "mx-central-1",
    "sa-east-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1",
    "eu-south-1", "eu-south-2", "il-central-1", "me-south-1", "me-central-1", "af-south-1",
    "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-7",
] as const;

/** The only values CloudWatch Logs accepts for a retention period (0, "never expire", is refused on purpose). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export interface FunctionSettings {
    memoryMb: number;
    timeoutSeconds: number;
    reservedConcurrency: number;
}

export type FunctionKind = "api" | "ingest" | "canary";

/**
 * Where documents are stored: S3 Standard; Intelligent-Tiering by a lifecycle transition (a fee per
 * object moved); or Intelligent-Tiering from the first write (the api's PutObject and presigned POST name
 * the class: no transition fee). `npm run cost` prices all three at a given usage.
 */
export const DOCUMENT_STORAGE = ["standard", "intelligent-tiering-by-lifecycle", "intelligent-tiering-on-write"] as const;
export type DocumentStorage = (typeof DOCUMENT_STORAGE)[number];

export const EDGE_MODES = ["none", "origin", "host"] as const;
export type EdgeMode = (typeof EDGE_MODES)[number];

/** Where an existing Terraform-managed foundation keeps its state. */
export type FoundationState =
    | { kind: "local"; path: string }
    | { kind: "s3"; bucket: string; key: string; region: string };

export interface TandemConfig {
    app: string;
    region: string;
    peerRegion: string;
    role: StackRole;
    owner: string;
    costCenter: string;
    alarmEmails: string[];
    logRetentionDays: number;
    kmsDeletionWindowDays: number;
    replicationEnabled: boolean;
    replicationTimeControl: boolean;
    rpoMinutes: number;
    noncurrentVersionDays: number;
    abortIncompleteUploadDays: number;
    documentStorage: DocumentStorage;
    intelligentTieringDays: number;
    accessLogRetentionDays: number;
    presignExpirySeconds: number;
    maxInlineBytes: number;
    maxUploadBytes: number;
    ingestPartBytes: number;
    ingestConcurrency: number;
    ingestParallel: IngestParallelMode;
    functions: Record<FunctionKind, FunctionSettings>;
    edge: EdgeMode;
    edgePublicKey?: string;
    foundation?: FoundationState;
}

type ValueType = "string" | "integer" | "boolean" | "array";

/** One declared key: how Pulumi.yaml types it, its default, and how its value is checked. */
interface KeySpec {
    type: ValueType;
    description: string;
    default?: string | number | boolean | string[];
    /**
     * Optional: unset unless a stack sets it. Pulumi.yaml declares it with the default "" (the CLI
     * requires every declared key without a default on every stack), and "" means unset here.
     */
    optional?: true;
    /** Returns what is allowed when the (already typed) value is not, else undefined. */
    check?: (value: never) => string | undefined;
}

const integerIn = (min: number, max: number) => (v: number) =>
    v >= min && v <= max ? undefined : `an integer from ${min} to ${max}`;
const oneOf = (allowed: readonly (string | number)[]) => (v: string | number) =>
    allowed.includes(v) ? undefined : `one of ${allowed.join(", ")}`;
const matches = (pattern: RegExp, what: string) => (v: string) => (pattern.test(v) ? undefined : what);
const tagValue = matches(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u, "1-256 letters, digits, spaces and _ . : / = + - @ (an AWS tag value)");
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Why CloudFront would refuse `pem` as a viewer key, or undefined: it signs URLs and cookies with
 * RSA 2048 or ECDSA P-256 keys only (CloudFront API reference, PublicKeyConfig).
 */
function viewerKeyProblem(pem: string): string | undefined {
    let key: KeyObject;
    try {
        key = createPublicKey(pem);
    } catch {
        return "it is not a PEM public key";
    }
    const details = key.asymmetricKeyDetails;
    if (key.asymmetricKeyType === "rsa" && details?.modulusLength === 2048) return undefined;
    if (key.asymmetricKeyType === "ec" && details?.namedCurve === "prime256v1") return undefined;
    const what = key.asymmetricKeyType === "rsa" ? `an RSA ${details?.modulusLength}-bit key` : `a ${key.asymmetricKeyType}${details?.namedCurve ? ` ${details.namedCurve}` : ""} key`;
    return `it is ${what}; CloudFront accepts RSA 2048 or ECDSA P-256`;
}

const functionKeys = (fn: FunctionKind, memoryMb: number, timeoutSeconds: number, reserved: number): Record<string, KeySpec> => ({
    [`${fn}MemoryMb`]: { type: "integer", default: memoryMb, description: `Memory of the ${fn} function in MB.`, check: integerIn(128, 10240) },
    [`${fn}TimeoutSeconds`]: { type: "integer", default: timeoutSeconds, description: `Timeout of the ${fn} function in seconds.`, check: integerIn(1, 900) },
    [`${fn}ReservedConcurrency`]: { type: "integer", default: reserved, description: `Reserved concurrency of the ${fn} function (its share of the account's concurrency, and its ceiling).`, check: integerIn(1, 1000) },
});

/** The declared `tandem:*` keys. Pulumi.yaml's `config:` block must match this table. */
export const CONFIG_KEYS: Record<string, KeySpec> = {
    role: { type: "string", description: "This stack's role: primary (takes writes, replicates to the peer) or standby (serves reads, refuses writes).", check: oneOf(["primary", "standby"]) },
    peerRegion: { type: "string", description: "The other region of the pair; must differ from aws:region.", check: oneOf(AWS_REGIONS) },
    appName: { type: "string", default: "tandem", description: "Prefix of every physical name; the same on both stacks.", check: matches(new RegExp(`^[a-z][a-z0-9-]{1,${MAX_APP_NAME_LENGTH - 1}}$`), `2-${MAX_APP_NAME_LENGTH} lowercase letters, digits and hyphens, starting with a letter`) },
    owner: { type: "string", default: "platform-team", description: "Value of the owner tag on every resource.", check: tagValue },
    costCenter: { type: "string", default: "unassigned", description: "Value of the cost-center tag on every resource.", check: tagValue },
    alarmEmails: { type: "array", default: [], description: "Email addresses subscribed to the alarm topic.", check: ((v: string[]) => v.every((e) => EMAIL.test(e)) ? undefined : "a list of email addresses") as (v: never) => string | undefined },
    logRetentionDays: { type: "integer", default: 30, description: "Retention of the function log groups, in days.", check: oneOf(LOG_RETENTION_DAYS) },
    kmsDeletionWindowDays: { type: "integer", default: 30, description: "Waiting period before a scheduled key deletion completes, in days.", check: integerIn(7, 30) },
    replicationEnabled: { type: "boolean", default: true, description: "On a primary: replicate the data bucket to the peer region. Turn off while the peer region is down." },
    replicationTimeControl: { type: "boolean", default: false, description: "Use S3 Replication Time Control (15-minute SLA, extra cost)." },
    rpoMinutes: { type: "integer", default: 15, description: "Recovery point objective: the replication lag that raises an alarm, in minutes.", check: integerIn(1, 1440) },
    noncurrentVersionDays: { type: "integer", default: 30, description: "Days a noncurrent document version is kept before it expires.", check: integerIn(1, 3650) },
    abortIncompleteUploadDays: { type: "integer", default: 7, description: "Days before an incomplete multipart upload is aborted.", check: integerIn(1, 365) },
    documentStorage: { type: "string", default: "standard", description: "Storage of the documents: standard (S3 Standard); intelligent-tiering-by-lifecycle (a lifecycle rule moves documents of 128 KiB and more to Intelligent-Tiering after intelligentTieringDays); intelligent-tiering-on-write (the api writes documents in Intelligent-Tiering). npm run cost compares the three at a usage.", check: oneOf(DOCUMENT_STORAGE) },
    intelligentTieringDays: { type: "integer", default: 0, description: "With documentStorage = intelligent-tiering-by-lifecycle: days after which documents move to Intelligent-Tiering.", check: integerIn(0, 3650) },
    accessLogRetentionDays: { type: "integer", default: 365, description: "Days S3 server access logs are kept.", check: integerIn(1, 3650) },
    presignExpirySeconds: { type: "integer", default: 900, description: `Lifetime of presigned download URLs, in seconds (a presigned upload policy lives at most ${MAX_UPLOAD_POLICY_SECONDS / 60} minutes).`, check: integerIn(60, 604800) },
    maxInlineBytes: { type: "integer", default: 4194304, description: "Largest document the api takes or returns inline; larger ones use presigned URLs (the Lambda payload limit is 6 MB, base64 adds a third).", check: integerIn(1024, MAX_INLINE_BYTES_LIMIT) },
    maxUploadBytes: { type: "integer", default: 1073741824, description: "Largest document a presigned upload (POST /uploads/<key>) accepts, in bytes; S3 takes at most 5 GiB in one POST.", check: integerIn(1, MAX_UPLOAD_BYTES_LIMIT) },
    ingestPartBytes: { type: "integer", default: 16777216, description: "Bytes per ranged GET when ingest reads a document larger than that (AWS suggests 8 or 16 MB); smaller documents are read with one GET.", check: integerIn(1024 * 1024, MAX_INGEST_PART_BYTES) },
    ingestConcurrency: { type: "integer", default: 4, description: `Parts of one document ingest reads at once (as many more parts' GETs are sent ahead, at most ${MAX_SENT_AHEAD}, their bodies unread until their turn); it buffers at most this many parts, which must fit in a quarter of ingestMemoryMb.`, check: integerIn(1, MAX_INGEST_CONCURRENCY) },
    ingestParallel: { type: "string", default: "auto", description: "When ingest reads a document larger than ingestPartBytes in parallel ranged GETs: auto (from the first part boundary where its first GET has kept the function waiting more than half the time, that is where one connection is the limit; a function whose CPU is the limit reads on with that one GET); always.", check: oneOf(INGEST_PARALLEL_MODES) },
    ...functionKeys("api", 512, 10, 50),
    ...functionKeys("ingest", 512, 300, 20),
    ...functionKeys("canary", 256, 30, 2),
    edge: { type: "string", default: "none", description: "The CloudFront read endpoint that fails over between regions: none; origin (this region's api URL accepts requests signed by the account's CloudFront); host (origin, and this stack owns the distribution: set it on one stack only).", check: oneOf(EDGE_MODES) },
    edgePublicKey: { type: "string", optional: true, description: "PEM public key (RSA 2048 or ECDSA P-256) of the key pair clients sign CloudFront URLs with (required with edge = host: the edge is never public)." },
    foundationStatePath: { type: "string", optional: true, description: "Path of a local terraform.tfstate of an existing foundation whose outputs Tandem uses." },
    foundationStateBucket: { type: "string", optional: true, description: "S3 bucket of an existing foundation's Terraform state (with foundationStateKey and foundationStateRegion)." },
    foundationStateKey: { type: "string", optional: true, description: "Object key of the foundation's Terraform state in foundationStateBucket." },
    foundationStateRegion: { type: "string", optional: true, description: "Region of foundationStateBucket.", check: oneOf(AWS_REGIONS) },
};

/** A configuration that cannot be deployed; the message lists every problem found. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid Tandem configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

const show = (raw: string) => JSON.stringify(raw);

/** Turns the raw string a stack file holds into the declared type, or explains why it cannot. */
function parseValue(key: string, spec: KeySpec, raw: string): { value?: unknown; problem?: string } {
    const fullKey = `${PROJECT}:${key}`;
    switch (spec.type) {
        case "string":
            return { value: raw };
        case "integer":
            return /^-?\d+$/.test(raw.trim())
                ? { value: Number(raw.trim()) }
                : { problem: `${fullKey} is ${show(raw)}, which is not an integer` };
        case "boolean":
            return raw === "true" || raw === "false"
                ? { value: raw === "true" }
                : { problem: `${fullKey} is ${show(raw)}; allowed: true or false` };
        case "array": {
            let parsed: unknown;
            try {
                parsed = JSON.parse(raw);
            } catch {
                parsed = undefined;
            }
            return Array.isArray(parsed) && parsed.every((e) => typeof e === "string")
                ? { value: parsed }
                : { problem: `${fullKey} is ${show(raw)}, which is not a list of strings` };
        }
    }
}

/**
 * Validates raw configuration (as `pulumi.runtime.allConfig()` returns it: full keys, string values)
 * and returns the typed settings. Collects every problem before throwing, so one run shows them all.
 */
export function validateConfig(raw: Record<string, string>): TandemConfig {
    const problems: string[] = [];
    const values: Record<string, unknown> = {};
    const prefix = `${PROJECT}:`;

    for (const fullKey of Object.keys(raw).filter((k) => k.startsWith(prefix))) {
        const key = fullKey.slice(prefix.length);
        if (!(key in CONFIG_KEYS)) {
            const near = Object.keys(CONFIG_KEYS).find((k) => k.toLowerCase() === key.toLowerCase());
            problems.push(`${fullKey} is not a Tandem setting${near ? `; did you mean ${prefix}${near}?` : ""} (see Pulumi.yaml for the list)`);
        }
    }

    for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
        const fullKey = `${prefix}${key}`;
        const rawValue = raw[fullKey];
        if (rawValue === undefined || (spec.optional && rawValue === "")) {
            values[key] = spec.default;
            continue;
        }
        const { value, problem } = parseValue(key, spec, rawValue);
        if (problem) {
            problems.push(problem);
            continue;
        }
        const notAllowed = spec.check?.(value as never);
        if (notAllowed) {
            problems.push(`${fullKey} is ${show(rawValue)}; allowed: ${notAllowed}`);
            continue;
        }
        values[key] = value;
    }

    const region = raw["aws:region"];
    if (region === undefined) {
        problems.push(`aws:region is not set; allowed: one of ${AWS_REGIONS.join(", ")}`);
    } else if (!(AWS_REGIONS as readonly string[]).includes(region)) {
        problems.push(`aws:region is ${show(region)}; allowed: one of ${AWS_REGIONS.join(", ")}`);
    }
    for (const required of ["role", "peerRegion"]) {
        if (raw[`${prefix}${required}`] === undefined) {
            const allowed = CONFIG_KEYS[required].check?.("" as never);
            problems.push(`${prefix}${required} is not set; allowed: ${allowed}`);
        }
    }
    if (region !== undefined && raw[`${prefix}peerRegion`] === region) {
        problems.push(`${prefix}peerRegion is ${show(region)}, the same as aws:region; allowed: any other region`);
    }
    const functions = {} as Record<FunctionKind, FunctionSettings>;
    for (const fn of ["api", "ingest", "canary"] as const) {
        functions[fn] = {
            memoryMb: values[`${fn}MemoryMb`] as number,
            timeoutSeconds: values[`${fn}TimeoutSeconds`] as number,
            reservedConcurrency: values[`${fn}ReservedConcurrency`] as number,
        };
    }
    const ingestBuffers = (values.ingestConcurrency as number) * (values.ingestPartBytes as number);
    if (ingestBuffers > (functions.ingest.memoryMb * 1024 * 1024) / 4) {
        problems.push(`${prefix}ingestConcurrency × ${prefix}ingestPartBytes is ${values.ingestConcurrency} × ${values.ingestPartBytes} = ${(ingestBuffers / 1024 / 1024).toFixed(0)} MiB of part buffers; allowed: at most a quarter of ${prefix}ingestMemoryMb (${functions.ingest.memoryMb} MB), the rest is the runtime's`);
    }
    if (functions.api.timeoutSeconds > 60) {
        problems.push(`${prefix}apiTimeoutSeconds is ${functions.api.timeoutSeconds}; allowed: at most 60 (a client waits on every api call)`);
    }
    // A day count other than the default under another storage choice would silently move nothing.
    if (values.documentStorage !== undefined && values.documentStorage !== "intelligent-tiering-by-lifecycle"
        && values.intelligentTieringDays !== undefined && values.intelligentTieringDays !== CONFIG_KEYS.intelligentTieringDays.default) {
        problems.push(`${prefix}intelligentTieringDays is ${values.intelligentTieringDays} but ${prefix}documentStorage is ${values.documentStorage}, which moves nothing; allowed: set ${prefix}documentStorage to intelligent-tiering-by-lifecycle, or remove ${prefix}intelligentTieringDays`);
    }
    const foundation = foundationFrom(values, problems);
    if (foundation && (values.alarmEmails as string[]).length > 0) {
        problems.push(`${prefix}alarmEmails cannot subscribe to the foundation's alarm topic, which the foundation owns; subscribe there, or leave ${prefix}alarmEmails empty`);
    }
    if (values.edge === "host") {
        const keyProblem = values.edgePublicKey === undefined ? undefined : viewerKeyProblem(String(values.edgePublicKey));
        if (values.edgePublicKey === undefined || keyProblem) {
            const value = values.edgePublicKey === undefined ? "not set" : `${show(String(values.edgePublicKey).slice(0, 40))}… (${keyProblem})`;
            problems.push(`${prefix}edgePublicKey is ${value}; allowed: a PEM public key (-----BEGIN PUBLIC KEY----- ..., RSA 2048 or ECDSA P-256), required when ${prefix}edge is host`);
        }
    }

    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return {
        app: values.appName as string,
        region: region!,
        peerRegion: values.peerRegion as string,
        role: values.role as StackRole,
        owner: values.owner as string,
        costCenter: values.costCenter as string,
        alarmEmails: values.alarmEmails as string[],
        logRetentionDays: values.logRetentionDays as number,
        kmsDeletionWindowDays: values.kmsDeletionWindowDays as number,
        replicationEnabled: values.replicationEnabled as boolean,
        replicationTimeControl: values.replicationTimeControl as boolean,
        rpoMinutes: values.rpoMinutes as number,
        noncurrentVersionDays: values.noncurrentVersionDays as number,
        abortIncompleteUploadDays: values.abortIncompleteUploadDays as number,
        documentStorage: values.documentStorage as DocumentStorage,
        intelligentTieringDays: values.intelligentTieringDays as number,
        accessLogRetentionDays: values.accessLogRetentionDays as number,
        presignExpirySeconds: values.presignExpirySeconds as number,
        maxInlineBytes: values.maxInlineBytes as number,
        maxUploadBytes: values.maxUploadBytes as number,
        ingestPartBytes: values.ingestPartBytes as number,
        ingestConcurrency: values.ingestConcurrency as number,
        ingestParallel: values.ingestParallel as IngestParallelMode,
        functions,
        edge: values.edge as EdgeMode,
        edgePublicKey: values.edgePublicKey as string | undefined,
        foundation,
    };
}

/** The foundation is either a local state file or an S3 backend, never half of one. */
function foundationFrom(values: Record<string, unknown>, problems: string[]): FoundationState | undefined {
    const path = values.foundationStatePath as string | undefined;
    const s3 = {
        bucket: values.foundationStateBucket as string | undefined,
        key: values.foundationStateKey as string | undefined,
        region: values.foundationStateRegion as string | undefined,
    };
    const s3Given = Object.entries(s3).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (path !== undefined && s3Given.length > 0) {
        problems.push(`${PROJECT}:foundationStatePath and ${PROJECT}:foundationState${cap(s3Given[0])} are both set; allowed: a local state path or an S3 backend, not both`);
        return undefined;
    }
    if (path !== undefined) {
        return { kind: "local", path };
    }
    if (s3Given.length === 0) {
        return undefined;
    }
    const missing = Object.entries(s3).filter(([, v]) => v === undefined).map(([k]) => `${PROJECT}:foundationState${cap(k)}`);
    if (missing.length > 0) {
        problems.push(`${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set; allowed: an S3 backend needs foundationStateBucket, foundationStateKey and foundationStateRegion together`);
        return undefined;
    }
    return { kind: "s3", bucket: s3.bucket!, key: s3.key!, region: s3.region! };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Reads and validates the stack's configuration from the Pulumi runtime. */
export function loadConfig(): TandemConfig {
    return validateConfig(pulumi.runtime.allConfig());
}
