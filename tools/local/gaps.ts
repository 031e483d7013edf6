// What the local run cannot do like AWS: one list, printed once by `npm start` and rendered into
// docs/local.md (tools/docs/sections.ts, section "emulator-gaps"). The moto facts are from moto 5.2's
// source and REFERENCE.md; each entry says what differs and what the local run does about it.
import { TYPE } from "./resourceTypes";

export type GapId =
    | "regions"
    | "replication"
    | "form-bodies"
    | "response-overrides"
    | "signatures"
    | "post-storage-class"
    | "bucket-policy"
    | "kms"
    | "kms-rotation-period"
    | "logging"
    | "notifications"
    | "lambda"
    | "function-url"
    | "schedules"
    | "async-invoke"
    | "iam"
    | "cloudwatch"
    | "sns"
    | "edge";

export interface Gap {
    id: GapId;
    /** One line for the start banner. */
    summary: string;
    /** What differs from AWS, and what the local run does about it (docs/local.md). */
    detail: string;
    /** Registered settings moto accepts but does not store (the emulator comparison test skips them, and checks they are still missing). */
    unstored?: Array<{ type: string; path: string }>;
}

export const GAPS: readonly Gap[] = [
    {
        id: "regions",
        summary: "one moto serves every region; a bucket's region is not enforced on object requests",
        detail: "Both stacks live on one moto endpoint. moto keeps resources per region, but it does not enforce a bucket's region on object requests.",
    },
    {
        id: "replication",
        summary: "replication is performed by the local run; replicas get their own version ids",
        detail:
            "moto stores a replication configuration but never replicates. The local run reads the program's BucketReplicationConfig rules (status, priority, filter, SSE-KMS selection, delete-marker replication, destination key and storage class) and copies, in order and after `--replication-delay`, each new version written through the local S3 endpoint, and each delete marker created by a DELETE without a version id when the rule enables delete-marker replication (a version-specific DELETE is never replicated, as in S3). Replicas get new version ids on the standby (S3 keeps the source's), arrive at the standby's notifications as `ObjectCreated:Copy`, and the local S3 endpoint reports `x-amz-replication-status` (PENDING, COMPLETED, FAILED, REPLICA) that moto never sets. Writes sent to moto directly, bypassing the local S3 endpoint, are not replicated, and neither are browser-form uploads (POST Object: moto does not answer their version id). moto's GetBucketReplication answers `DeleteMarkerReplication` Disabled and no `SourceSelectionCriteria` whatever was stored; the local run reads the rules from the program.",
        unstored: [
            { type: TYPE.replication, path: "rules[].deleteMarkerReplication" },
            { type: TYPE.replication, path: "rules[].sourceSelectionCriteria" },
        ],
    },
    {
        id: "form-bodies",
        summary: "form-typed bodies are stored through a content-type swap moto needs",
        detail:
            "moto stores an empty body (or one form field) for a PUT whose Content-Type is `application/x-www-form-urlencoded` or `multipart/form-data`: its web framework parses such bodies as forms. The local S3 endpoint sends these PUTs to moto as `application/octet-stream` with the real type in an `x-amz-meta-tandem-local-content-type` header, and restores the exact Content-Type (parameters included) on GET and HEAD. Reads sent to moto directly show the swap.",
    },
    {
        id: "response-overrides",
        summary: "GetObject's response-* header overrides are applied by the local S3 endpoint",
        detail: "moto ignores `response-content-type`, `response-content-disposition` and the other GetObject response-header overrides; the local S3 endpoint applies them to successful GET and HEAD answers. Requests sent to moto directly get moto's headers.",
    },
    {
        id: "signatures",
        summary: "signatures, presigned URL expiry and signed headers are not checked",
        detail:
            "moto accepts any SigV4 signature: a presigned URL works after it expires, with a different Content-Type than the one it signed, and with a tampered signature. Presigned POST policies are not enforced either.",
    },
    {
        id: "post-storage-class",
        summary: "browser-form uploads (POST Object) are stored in S3 Standard whatever storage class the form names",
        detail:
            "moto's POST Object ignores the `x-amz-storage-class` form field (moto 5.2 `_bucket_response_post` never reads it), so with `tandem:documentStorage` = intelligent-tiering-on-write a presigned upload lands in STANDARD locally and in INTELLIGENT_TIERING on AWS. PutObject honours the header.",
    },
    {
        id: "bucket-policy",
        summary: "bucket policies: conditional or principal-specific Deny statements are left out",
        detail:
            "moto applies every bucket-policy statement to every caller and evaluates conditions against an empty request context, so a Deny with a Condition or a specific Principal would deny every request (the program's DenyInsecureTransport would refuse the plain-HTTP local endpoints). Such statements are not provisioned and `npm start` names them. Allow statements are provisioned as registered; their conditions and principals are not evaluated (moto's PutBucketLogging needs the log-delivery Allow). `\"Principal\": \"*\"` is provisioned as `{\"AWS\": \"*\"}`, which means the same to IAM and which moto's PutBucketLogging can read.",
    },
    {
        id: "kms",
        summary: "S3 never calls KMS: SSE-KMS headers are right, nothing is encrypted",
        detail:
            "Objects report SSE-KMS with the configured key and Bucket Keys, but S3 on moto encrypts nothing and accepts a missing, disabled or other-region key. Key policies are stored, not enforced.",
    },
    {
        id: "kms-rotation-period",
        summary: "KMS rotation period is not stored (rotation on/off is)",
        detail: "EnableKeyRotation is sent with the registered RotationPeriodInDays; moto keeps rotation on but not the period.",
        unstored: [{ type: TYPE.key, path: "rotationPeriodInDays" }],
    },
    {
        id: "logging",
        summary: "access logging is configured but no access logs are delivered",
        detail: "PutBucketLogging is provisioned as registered, but moto does not store TargetObjectKeyFormat and delivers no server access logs.",
        unstored: [{ type: TYPE.logging, path: "targetObjectKeyFormat" }],
    },
    {
        id: "notifications",
        summary: "S3 → Lambda notifications travel through an SQS queue on moto",
        detail:
            "moto cannot invoke Lambda. Each registered Lambda notification becomes a queue configuration (same id, events and key filters) to a queue `<function>-s3-events` on moto, which the local run polls and hands to the function. moto sends no notification for a delete marker created by a DELETE on a versioned bucket, and sends an `s3:TestEvent` when the configuration is set (skipped).",
    },
    {
        id: "lambda",
        summary: "functions run in this process: no concurrency limits, memory limit or timeout enforcement",
        detail:
            "Each Lambda function runs in the `npm start` process: the callback factory the program bundles (chosen by the function's POWERTOOLS_SERVICE_NAME), with the environment variables the program registers, the variables Lambda sets (AWS_REGION, AWS_DEFAULT_REGION, AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_MEMORY_SIZE), the emulator's endpoint and test credentials. One cold start per function; reserved concurrency, throttling, the memory size and the timeout are not enforced (the context reports the remaining time), and what applies only when a process starts does not apply: the node flags Lambda's bootstrap gives for the memory size, the ingest function's GLIBC_TUNABLES. The bundled archive itself is exercised by the bundle tests, not here, in a process of its own with both.",
    },
    {
        id: "function-url",
        summary: "Function URLs: AWS_IAM auth is not checked",
        detail: "The api's Function URL is served on 127.0.0.1 by a stand-in (tools/local/functionUrl.ts, payload format 2.0, the 6 MB request limit) that accepts unsigned requests.",
    },
    {
        id: "schedules",
        summary: "schedules run on a local timer from the rule's rate()",
        detail: "EventBridge rules with a `rate(...)` schedule invoke their Lambda targets on a timer (`--canary-interval` overrides the rate), starting at once; a `cron(...)` schedule stops `npm start` with an error.",
    },
    {
        id: "async-invoke",
        summary: "asynchronous invocations are not retried and never reach their failure destination",
        detail: "A notification or schedule whose function throws is logged once; Lambda's retries (FunctionEventInvokeConfig) and the on-failure SQS destination are not emulated, though the queue exists.",
    },
    {
        id: "iam",
        summary: "IAM is not enforced; roles, role policies and permissions are not created",
        detail: "The functions use the emulator's test credentials, which may do anything. Roles, role policies and lambda.Permission resources are left out.",
    },
    {
        id: "cloudwatch",
        summary: "no alarms, dashboards or log groups; logs and EMF metrics go to the terminal",
        detail: "moto never evaluates alarms and does not turn EMF log lines into metrics, so alarms, dashboards and log groups are left out; the functions' JSON logs and EMF lines are printed.",
    },
    {
        id: "sns",
        summary: "the alarm topic exists on moto, but nothing publishes to it",
        detail: "Topics and subscriptions are provisioned (moto sends no email); with no alarms, nothing publishes.",
    },
    {
        id: "edge",
        summary: "the CloudFront read edge is not run locally",
        detail: "CloudFront distributions, origin access controls, public keys and key groups are left out.",
    },
];

export function gap(id: GapId): Gap {
    const found = GAPS.find((g) => g.id === id);
    if (found === undefined) throw new Error(`no emulator gap ${id}`);
    return found;
}

/** The docs/local.md section: a table of every gap. */
export function renderGaps(): string {
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
    return ["| | what differs from AWS, and what the local run does |", "|---|---|", ...GAPS.map((g) => `| \`${g.id}\` | ${cell(g.detail)} |`)].join("\n");
}
