// Compliant building blocks for fixtures, shaped like what the Tandem program registers (RegionKey,
// SecureBucket, HardenedFunction, Monitoring, Replication) but small and explicit. `program()` is a
// whole compliant stack; a fixture takes it (or a part) and breaks one thing.
import { TYPES } from "../../../tools/engine/resourceTypes";
import { fmt, json, ref, Res } from "./dsl";

export const ACCOUNT = "123456789012";
export const HOME = "us-east-1";
export const PEER = "us-west-2";

/** Type tokens as @pulumi/aws registers them (read from its classes), under the names fixtures use. */
export const TY = {
    ...TYPES,
    sse: TYPES.encryption,
    pab: TYPES.publicAccessBlock,
    acl: TYPES.bucketAcl,
    fn: TYPES.function,
    url: TYPES.functionUrl,
} as const;

export function provider(name = "home", region = HOME, role = "primary"): Res {
    const tags = { app: "tandem", stack: role === "primary" ? "prod" : "dr", role, owner: "platform-team", "cost-center": "cc-1001" };
    return { type: TY.provider, name, inputs: { region, defaultTags: JSON.stringify({ tags }) } };
}

export function stackResource(): Res {
    return { type: TY.stack, name: "tandem-prod" };
}

export const arnOf = {
    key: (region: string, id: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`,
    bucket: (name: string) => `arn:aws:s3:::${name}`,
};

/** The region key, with a policy like RegionKey's. */
export function key(name = "key", region = HOME): Res[] {
    const id = "0b6c5a9e-1f2d-4c3b-9a8e-7d6f5e4c3b2a";
    return [{
        type: TY.key, name,
        inputs: {
            description: "region key", enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30, bypassPolicyLockoutSafetyCheck: false,
            policy: json({
                Version: "2012-10-17",
                Statement: [
                    { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
                    {
                        Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups", Effect: "Allow", Principal: { Service: `logs.${region}.amazonaws.com` },
                        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource: "*",
                        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${ACCOUNT}:log-group:*` } },
                    },
                    {
                        Sid: "CloudWatchAlarmsPublishToEncryptedTopic", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                    },
                ],
            }),
        },
        outputs: { arn: arnOf.key(region, id), keyId: id, id },
    }];
}

export function topic(name = "alarms", keyName = "key"): Res {
    return {
        type: TY.topic, name,
        inputs: { name: "tandem-alarms", kmsMasterKeyId: ref(keyName, "arn") },
        outputs: { arn: `arn:aws:sns:${HOME}:${ACCOUNT}:tandem-alarms`, id: `arn:aws:sns:${HOME}:${ACCOUNT}:tandem-alarms` },
    };
}

export interface BucketOptions {
    /** "kms" (the key named keyName), or "sse-s3" with exemptions as the program's log bucket has. */
    encryption?: "kms" | "sse-s3";
    keyName?: string;
    /** The log bucket's fixture name; false for a bucket that is itself the log target. */
    logTo?: string | false;
    physicalName?: string;
}

/** A bucket with every side resource SecureBucket creates. */
export function bucket(name: string, opts: BucketOptions = {}): Res[] {
    const physical = opts.physicalName ?? `tandem-${name}-${ACCOUNT}-${HOME}`;
    const kms = (opts.encryption ?? "kms") === "kms";
    const byName = ref(name, "id");
    const tags = kms ? {} : {
        "tandem:policy-exempt:s3-sse-kms-customer-key": "S3 server access logs are delivered only to buckets encrypted with SSE-S3",
        "tandem:policy-exempt:s3-access-logging": "this bucket is the access log target: logging it to itself would loop",
        "tandem:policy-exempt:s3-cross-region-replication": "access logs describe this region only: the data bucket they log is replicated",
    };
    const resources: Res[] = [
        { type: TY.bucket, name, inputs: { bucket: physical, forceDestroy: false, tags }, outputs: { arn: arnOf.bucket(physical), id: physical } },
        { type: TY.pab, name: `${name}-pab`, inputs: { bucket: byName, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } },
        {
            type: TY.bucketPolicy, name: `${name}-policy`,
            inputs: {
                bucket: byName,
                policy: json({
                    Version: "2012-10-17",
                    Statement: [{
                        Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
                        Resource: [ref(name, "arn"), fmt`${ref(name, "arn")}/*`], Condition: { Bool: { "aws:SecureTransport": false } },
                    }],
                }),
            },
        },
        { type: TY.ownership, name: `${name}-ownership`, inputs: { bucket: byName, rule: { objectOwnership: "BucketOwnerEnforced" } } },
        { type: TY.versioning, name: `${name}-versioning`, inputs: { bucket: byName, versioningConfiguration: { status: "Enabled" } } },
        {
            type: TY.sse, name: `${name}-sse`,
            inputs: {
                bucket: byName,
                rules: [kms
                    ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: ref(opts.keyName ?? "key", "arn") }, bucketKeyEnabled: true }
                    : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            },
        },
        {
            type: TY.lifecycle, name: `${name}-lifecycle`,
            inputs: {
                bucket: byName,
                rules: [
                    { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                    { id: "expire-noncurrent-versions", status: "Enabled", filter: { prefix: "" }, noncurrentVersionExpiration: { noncurrentDays: 30 } },
                ],
            },
        },
    ];
    if (opts.logTo !== false) {
        resources.push({ type: TY.logging, name: `${name}-logging`, inputs: { bucket: byName, targetBucket: ref(opts.logTo ?? "logs", "bucket"), targetPrefix: `${physical}/` } });
    }
    return resources;
}

export interface FunctionOptions {
    /** The function's own statements (HardenedFunction adds logs, X-Ray, its queue and the key). */
    statements?: unknown[];
    url?: boolean;
    timeout?: number;
    environment?: Record<string, unknown>;
    keyName?: string;
    topicName?: string;
}

/** A function with everything HardenedFunction and Monitoring give it. */
export function fn(name: string, opts: FunctionOptions = {}): Res[] {
    const physical = `tandem-${name}`;
    const keyName = opts.keyName ?? "key";
    const topicName = opts.topicName ?? "alarms";
    const alarm = (suffix: string, namespace: string, metricName: string, dimensions: Record<string, unknown>, extra: Record<string, unknown> = {}): Res => ({
        type: TY.alarm, name: `${name}-${suffix}`,
        inputs: {
            name: `${physical}-${suffix}`, namespace, metricName, dimensions, statistic: "Sum", comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1, period: 300, evaluationPeriods: 1, treatMissingData: "notBreaching", actionsEnabled: true,
            alarmActions: [ref(topicName, "arn")], okActions: [ref(topicName, "arn")], ...extra,
        },
        outputs: { arn: `arn:aws:cloudwatch:${HOME}:${ACCOUNT}:alarm:${physical}-${suffix}` },
    });
    const resources: Res[] = [
        { type: TY.logGroup, name: `${name}-logs`, inputs: { name: `/aws/lambda/${physical}`, retentionInDays: 30, kmsKeyId: ref(keyName, "arn") }, outputs: { arn: `arn:aws:logs:${HOME}:${ACCOUNT}:log-group:/aws/lambda/${physical}` } },
        {
            type: TY.queue, name: `${name}-failures`,
            inputs: { name: `${physical}-failures`, kmsMasterKeyId: ref(keyName, "arn"), kmsDataKeyReusePeriodSeconds: 86400, messageRetentionSeconds: 1209600 },
            outputs: { arn: `arn:aws:sqs:${HOME}:${ACCOUNT}:${physical}-failures`, url: `https://sqs.${HOME}.amazonaws.com/${ACCOUNT}/${physical}-failures`, id: `https://sqs.${HOME}.amazonaws.com/${ACCOUNT}/${physical}-failures` },
        },
        {
            type: TY.role, name: `${name}-role`,
            inputs: {
                name: `${physical}-${HOME}`,
                assumeRolePolicy: json({ Version: "2012-10-17", Statement: [{ Sid: "AssumedByService", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }] }),
            },
            outputs: { arn: `arn:aws:iam::${ACCOUNT}:role/${physical}-${HOME}`, id: `${physical}-${HOME}` },
        },
        {
            type: TY.rolePolicy, name: `${name}-policy`,
            inputs: {
                role: ref(`${name}-role`, "id"),
                policy: json({
                    Version: "2012-10-17",
                    Statement: [
                        ...(opts.statements ?? []),
                        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: fmt`${ref(`${name}-logs`, "arn")}:*` },
                        { Sid: "SendTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
                        { Sid: "SendFailedEvents", Effect: "Allow", Action: "sqs:SendMessage", Resource: ref(`${name}-failures`, "arn") },
                        { Sid: "UseRegionKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: ref(keyName, "arn") },
                    ],
                }),
            },
        },
        {
            type: TY.fn, name,
            inputs: {
                name: physical, role: ref(`${name}-role`, "arn"), runtime: "nodejs22.x", handler: "__index.handler", architectures: ["arm64"],
                memorySize: 512, timeout: opts.timeout ?? 10, reservedConcurrentExecutions: 5, tracingConfig: { mode: "Active" },
                kmsKeyArn: ref(keyName, "arn"), environment: { variables: opts.environment ?? { TANDEM_ROLE: "primary", POWERTOOLS_SERVICE_NAME: physical } },
                loggingConfig: { logFormat: "Text", logGroup: ref(`${name}-logs`, "name") },
            },
            outputs: { arn: `arn:aws:lambda:${HOME}:${ACCOUNT}:function:${physical}` },
        },
        {
            type: TY.invokeConfig, name: `${name}-invoke`,
            inputs: { functionName: ref(name, "name"), maximumRetryAttempts: 2, destinationConfig: { onFailure: { destination: ref(`${name}-failures`, "arn") } } },
        },
        alarm("errors", "AWS/Lambda", "Errors", { FunctionName: ref(name, "name") }),
        alarm("throttles", "AWS/Lambda", "Throttles", { FunctionName: ref(name, "name") }),
        alarm("failed-events", "AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: ref(`${name}-failures`, "name") }, { statistic: "Maximum" }),
    ];
    if (opts.url) {
        resources.push({
            type: TY.url, name: `${name}-url`, inputs: { functionName: ref(name, "name"), authorizationType: "AWS_IAM", invokeMode: "BUFFERED" },
            outputs: { functionUrl: `https://abc.lambda-url.${HOME}.on.aws/` },
        });
    }
    return resources;
}

/** A dashboard with an invocations/errors widget per function (as alarmDashboardBody builds it). */
export function dashboard(functions: string[], name = "dashboard"): Res {
    return {
        type: TY.dashboard, name,
        inputs: {
            dashboardName: `tandem-${HOME}`,
            dashboardBody: json({
                widgets: functions.map((f) => ({
                    type: "metric", width: 8, height: 6,
                    properties: {
                        title: f, region: HOME, metrics: [
                            ["AWS/Lambda", "Invocations", "FunctionName", ref(f, "name"), { stat: "Sum" }],
                            ["AWS/Lambda", "Errors", "FunctionName", ref(f, "name"), { stat: "Sum" }],
                        ],
                    },
                })),
            }),
        },
    };
}

export const PEER_BUCKET = `tandem-data-${ACCOUNT}-${PEER}`;
export const PEER_KEY = arnOf.key(PEER, "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a");
export const RULE_ID = "all-objects-to-peer";

/** Replication of `source` to the peer region's bucket, with its role and its S3 alarms. */
export function replication(source = "data", opts: { topicName?: string } = {}): Res[] {
    const topicName = opts.topicName ?? "alarms";
    const dims = { SourceBucket: ref(source, "bucket"), DestinationBucket: PEER_BUCKET, RuleId: RULE_ID };
    const s3Alarm = (name: string, metricName: string, extra: Record<string, unknown>): Res => ({
        type: TY.alarm, name,
        inputs: {
            name: `tandem-${name}`, namespace: "AWS/S3", metricName, dimensions: dims, comparisonOperator: "GreaterThanOrEqualToThreshold",
            period: 300, evaluationPeriods: 1, treatMissingData: "notBreaching", alarmActions: [ref(topicName, "arn")], ...extra,
        },
    });
    return [
        {
            type: TY.role, name: "replication-role",
            inputs: {
                name: `tandem-replication-${HOME}`,
                assumeRolePolicy: json({ Version: "2012-10-17", Statement: [{ Sid: "AssumedByService", Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }] }),
            },
            outputs: { arn: `arn:aws:iam::${ACCOUNT}:role/tandem-replication-${HOME}`, id: `tandem-replication-${HOME}` },
        },
        {
            type: TY.rolePolicy, name: "replication-policy",
            inputs: {
                role: ref("replication-role", "id"),
                policy: json({
                    Version: "2012-10-17",
                    Statement: [
                        { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: ref(source, "arn") },
                        { Sid: "ReadSourceVersions", Effect: "Allow", Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource: fmt`${ref(source, "arn")}/*` },
                        { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: `arn:aws:s3:::${PEER_BUCKET}/*` },
                        {
                            Sid: "DecryptSourceObjects", Effect: "Allow", Action: "kms:Decrypt", Resource: ref("key", "arn"),
                            Condition: { StringEquals: { "kms:ViaService": `s3.${HOME}.amazonaws.com` }, StringLike: { "kms:EncryptionContext:aws:s3:arn": [ref(source, "arn"), fmt`${ref(source, "arn")}/*`] } },
                        },
                        {
                            Sid: "EncryptReplicas", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: PEER_KEY,
                            Condition: { StringEquals: { "kms:ViaService": `s3.${PEER}.amazonaws.com` }, StringLike: { "kms:EncryptionContext:aws:s3:arn": [`arn:aws:s3:::${PEER_BUCKET}`, `arn:aws:s3:::${PEER_BUCKET}/*`] } },
                        },
                    ],
                }),
            },
        },
        {
            type: TY.replication, name: "replication",
            inputs: {
                bucket: ref(source, "bucket"),
                role: ref("replication-role", "arn"),
                rules: [{
                    id: RULE_ID, status: "Enabled", priority: 1, filter: { prefix: "" },
                    deleteMarkerReplication: { status: "Enabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" }, replicaModifications: { status: "Enabled" } },
                    destination: { bucket: `arn:aws:s3:::${PEER_BUCKET}`, encryptionConfiguration: { replicaKmsKeyId: PEER_KEY }, metrics: { status: "Enabled" } },
                }],
            },
        },
        s3Alarm("replication-failed", "OperationsFailedReplication", { statistic: "Sum", threshold: 1 }),
        s3Alarm("replication-latency", "ReplicationLatency", { statistic: "Maximum", threshold: 900 }),
    ];
}

/** The canary's lag alarm (Monitoring's replication-lag alarm). */
export function canaryAlarm(name = "replication-lag", topicName = "alarms"): Res {
    return {
        type: TY.alarm, name,
        inputs: {
            name: "tandem-replication-lag", namespace: "Tandem", metricName: "ReplicationLagSeconds", dimensions: { service: "tandem-canary" },
            statistic: "Maximum", comparisonOperator: "GreaterThanOrEqualToThreshold", threshold: 900, period: 60, evaluationPeriods: 3,
            treatMissingData: "breaching", alarmActions: [ref(topicName, "arn")],
        },
    };
}

/** The ingest pipeline: S3 notifies `ingest` of new objects under objects/; it writes manifests/. */
export function ingest(bucketName = "data"): Res[] {
    return [
        ...fn("ingest", {
            statements: [
                { Sid: "ListManifests", Effect: "Allow", Action: "s3:ListBucket", Resource: ref(bucketName, "arn") },
                { Sid: "ReadDocumentVersions", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: fmt`${ref(bucketName, "arn")}/objects/*` },
                { Sid: "ReadWriteManifests", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: fmt`${ref(bucketName, "arn")}/manifests/*` },
            ],
            timeout: 300,
        }),
        {
            type: TY.permission, name: "ingest-permission",
            inputs: { function: ref("ingest", "name"), action: "lambda:InvokeFunction", principal: "s3.amazonaws.com", sourceArn: ref(bucketName, "arn"), sourceAccount: ACCOUNT },
        },
        {
            type: TY.notification, name: "ingest-notification",
            inputs: { bucket: ref(bucketName, "bucket"), lambdaFunctions: [{ id: "ingest-new-documents", lambdaFunctionArn: ref("ingest", "arn"), events: ["s3:ObjectCreated:*"], filterPrefix: "objects/" }] },
            dependsOn: ["ingest-permission"],
        },
    ];
}

/** The api: a Function URL in front of a function that reads (and on a primary writes) documents. */
export function api(role: "primary" | "standby" = "primary", bucketName = "data"): Res[] {
    return fn("api", {
        url: true,
        environment: { TANDEM_ROLE: role, TANDEM_BUCKET: ref(bucketName, "bucket"), POWERTOOLS_SERVICE_NAME: "tandem-api" },
        statements: [
            { Sid: "ListDocuments", Effect: "Allow", Action: "s3:ListBucket", Resource: ref(bucketName, "arn") },
            { Sid: "ReadDocuments", Effect: "Allow", Action: "s3:GetObject", Resource: fmt`${ref(bucketName, "arn")}/objects/*` },
            ...(role === "primary" ? [{ Sid: "WriteDocuments", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: fmt`${ref(bucketName, "arn")}/objects/*` }] : []),
        ],
    });
}

/** The canary: scheduled every minute. */
export function canary(): Res[] {
    return [
        ...fn("canary", { timeout: 30 }),
        { type: TY.eventRule, name: "canary-schedule", inputs: { name: "tandem-canary-schedule", scheduleExpression: "rate(1 minute)" }, outputs: { arn: `arn:aws:events:${HOME}:${ACCOUNT}:rule/tandem-canary-schedule` } },
        { type: TY.permission, name: "canary-permission", inputs: { function: ref("canary", "name"), action: "lambda:InvokeFunction", principal: "events.amazonaws.com", sourceArn: ref("canary-schedule", "arn"), sourceAccount: ACCOUNT } },
        { type: TY.eventTarget, name: "canary-target", inputs: { rule: ref("canary-schedule", "name"), arn: ref("canary", "arn") } },
    ];
}

/** A whole compliant stack: primary (replicating) or standby. */
export function program(role: "primary" | "standby" = "primary"): Res[] {
    return [
        provider("home", HOME, role),
        stackResource(),
        ...key(),
        topic(),
        ...bucket("logs", { encryption: "sse-s3", logTo: false }),
        ...bucket("data"),
        ...(role === "primary" ? replication("data") : []),
        ...api(role),
        ...ingest(),
        ...canary(),
        canaryAlarm(),
        dashboard(["api", "ingest", "canary"]),
    ];
}
