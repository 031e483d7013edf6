// The contract between the infrastructure (infra/) and the function code (functions/): the
// environment each function is given, the S3 layout, the custom metrics the alarms watch, the limits
// both sides check, and the manifest ingest writes. Both sides import these names so that a rename or
// a changed limit cannot break one side silently.

/** Environment variables set on every function by the infrastructure. */
export const ENV = {
    /** Name of this region's data bucket. */
    bucket: "TANDEM_BUCKET",
    /** "primary" or "standby": a standby serves reads and refuses writes. */
    role: "TANDEM_ROLE",
    /** The other region of the pair (the primary's region, when this stack is the standby). */
    peerRegion: "TANDEM_PEER_REGION",
    /** Seconds a presigned URL stays valid. */
    presignExpirySeconds: "TANDEM_PRESIGN_EXPIRY_SECONDS",
    /** Largest document body (bytes) the api accepts or returns inline; larger goes through presigned URLs. */
    maxInlineBytes: "TANDEM_MAX_INLINE_BYTES",
    /** Largest document (bytes) a presigned upload (POST /uploads/<key>) accepts. */
    maxUploadBytes: "TANDEM_MAX_UPLOAD_BYTES",
    /** The S3 storage class the api writes documents in (DOCUMENT_STORAGE_CLASSES). */
    storageClass: "TANDEM_STORAGE_CLASS",
    /** Bytes per ranged GET when ingest reads a document larger than that (functions/rangedRead.ts). */
    ingestPartBytes: "TANDEM_INGEST_PART_BYTES",
    /** Parts of one document ingest reads at once (it buffers at most this many parts). */
    ingestConcurrency: "TANDEM_INGEST_CONCURRENCY",
    /** When ingest reads a document of several parts in parallel (INGEST_PARALLEL_MODES). */
    ingestParallel: "TANDEM_INGEST_PARALLEL",
    /** Service name used in logs and metrics. */
    service: "POWERTOOLS_SERVICE_NAME",
    /** CloudWatch namespace of the custom metrics. */
    metricsNamespace: "POWERTOOLS_METRICS_NAMESPACE",
} as const;

export type StackRole = "primary" | "standby";

/** The storage classes the api may write documents in: S3's default, or Intelligent-Tiering from the first day. */
export const DOCUMENT_STORAGE_CLASSES = ["STANDARD", "INTELLIGENT_TIERING"] as const;
export type DocumentStorageClass = (typeof DOCUMENT_STORAGE_CLASSES)[number];

/**
 * Largest inline body. Lambda's synchronous payload limit is 6 MB (6,291,456 bytes) each way and binary
 * bodies travel base64-encoded (4/3 larger) inside a JSON envelope: 4,400,000 bytes encode to 5,866,668,
 * which leaves over 400 KB for the envelope and headers.
 */
export const MAX_INLINE_BYTES_LIMIT = 4_400_000;

/**
 * Largest presigned upload. A POST upload is a single S3 PutObject, which S3 caps at 5 GB
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html).
 */
export const MAX_UPLOAD_BYTES_LIMIT = 5 * 1024 ** 3;

/**
 * Largest ingest part. AWS's guidance for byte-range fetches is 8 or 16 MB a request
 * (https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/use-byte-range-fetches.html);
 * past this, a part no longer retries quickly and the buffers outgrow a small function.
 */
export const MAX_INGEST_PART_BYTES = 256 * 1024 * 1024;

/** Most ranged GETs in flight for one document. */
export const MAX_INGEST_CONCURRENCY = 32;

/**
 * Most GETs sent ahead of the parts being read (functions/rangedRead.ts): MAX_INGEST_CONCURRENCY +
 * MAX_SENT_AHEAD GETs in flight at most, under the 50 sockets of the SDK's default HTTP agent.
 */
export const MAX_SENT_AHEAD = 16;

/**
 * When a document of several parts is read in parallel ranged GETs: `auto`, from the first part
 * boundary where its first GET has kept the reader waiting (one connection is the limit,
 * functions/rangedRead.ts); `always`.
 */
export const INGEST_PARALLEL_MODES = ["auto", "always"] as const;
export type IngestParallelMode = (typeof INGEST_PARALLEL_MODES)[number];

/** SigV4 presigned URLs are valid for at most 7 days. */
export const MAX_PRESIGN_EXPIRY_SECONDS = 7 * 24 * 3600;

/**
 * A presigned upload can be replayed until it expires, so its policy lives at most this long whatever
 * the (download) URL lifetime is configured to.
 */
export const MAX_UPLOAD_POLICY_SECONDS = 15 * 60;

/** How often the canary runs: the resolution of the measured replication lag. */
export const CANARY_PERIOD_SECONDS = 60;

/** S3 key layout of the data bucket. */
export const PREFIX = {
    /** Documents written through the api. Only these trigger ingest. */
    objects: "objects/",
    /** Ingest manifests, one per document version. */
    manifests: "manifests/",
    /** Canary probes written by the primary and replicated to the standby. */
    probes: "canary/probes/",
} as const;

/**
 * What ingest writes to `manifests/<key>` for a document version (and `GET /manifests/<key>` returns):
 * the SHA-256 (hex), size and content type of the bytes it read, and the SHA-256 S3 stored with the
 * version (base64, as S3 gives it; null when the version was stored without one), which ingest
 * checked against the bytes before writing.
 */
export interface Manifest {
    key: string;
    versionId: string | null;
    sha256: string;
    size: number;
    contentType: string;
    processedAt: string;
    checksumSha256: string | null;
}

/** Largest manifest read back (they are a few hundred bytes); a larger one is not one of ingest's. */
export const MAX_MANIFEST_BYTES = 64 * 1024;

/** Custom metrics published in Embedded Metric Format. */
export const METRICS = {
    namespace: "Tandem",
    /** Age of the newest replicated canary probe: the live recovery point. */
    replicationLag: "ReplicationLagSeconds",
    /** Requests the api answered with a server-side failure (5xx other than a standby refusing a write). */
    apiServerErrors: "ApiServerErrors",
    /** The only dimension of the custom metrics; alarms must use exactly this set. */
    serviceDimension: "service",
} as const;

/** Service names, which are also the `service` dimension of each function's metrics. */
export const SERVICES = {
    api: "tandem-api",
    ingest: "tandem-ingest",
    canary: "tandem-canary",
} as const;
