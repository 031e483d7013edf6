// The contract between the infrastructure (infra/) and the function code (functions/): the
// environment each function is given, the S3 layout and the custom metrics the alarms watch.
// Both sides import these names so that a rename cannot break one side silently.

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
    /** Service name used in logs and metrics. */
    service: "POWERTOOLS_SERVICE_NAME",
    /** CloudWatch namespace of the custom metrics. */
    metricsNamespace: "POWERTOOLS_METRICS_NAMESPACE",
} as const;

export type StackRole = "primary" | "standby";

/** S3 key layout of the data bucket. */
export const PREFIX = {
    /** Documents written through the api. Only these trigger ingest. */
    objects: "objects/",
    /** Ingest manifests, one per document version. */
    manifests: "manifests/",
    /** Canary probes written by the primary and replicated to the standby. */
    probes: "canary/probes/",
} as const;

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
