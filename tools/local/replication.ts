// S3 replication as the program configures it, performed by the local run (moto stores a
// replication configuration but never replicates). Fed by the local S3 endpoint with every accepted
// write, it follows the registered BucketReplicationConfig rules the way S3 documents them:
// - the enabled rule with the highest priority whose filter (prefix, tags) matches the key decides
//   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html);
// - SSE-KMS objects replicate only when the rule selects them (sseKmsEncryptedObjects), encrypted
//   with the rule's replicaKmsKeyId (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html);
// - a delete marker created by a DELETE without a version id replicates when the rule enables
//   deleteMarkerReplication, never for tag-filtered rules; a DELETE of a specific version is never
//   replicated (https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html,
//   https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html#replication-delete-op);
// - the source version reports PENDING, then COMPLETED or FAILED; the replica reports REPLICA.
// Each source bucket's writes replicate in the order they were accepted, `delayMs` after each.
import type * as S3 from "@aws-sdk/client-s3";
import { s3sdk } from "./clients";
import type { S3Write } from "./s3Endpoint";

/** A registered BucketReplicationConfig (inputs, with moto's identifiers). */
export interface ReplicationConfig {
    bucket: string;
    rules: any[];
}

export interface ReplicationRecord {
    sourceBucket: string;
    key: string;
    sourceVersionId?: string;
    deleteMarker: boolean;
    rule?: string;
    destinationBucket?: string;
    status: "PENDING" | "COMPLETED" | "FAILED" | "NOT REPLICATED";
    replicaVersionId?: string;
    /** Why a write was not replicated, or how it failed. */
    reason?: string;
}

export interface Replication {
    observe(write: S3Write): void;
    /** x-amz-replication-status of an object version: PENDING, COMPLETED, FAILED on the source, REPLICA on the destination. */
    statusOf(bucket: string, versionId: string): string | undefined;
    /** Every write on a bucket with a replication configuration, in the order they were accepted. */
    readonly records: readonly ReplicationRecord[];
    /** Resolves once every write observed so far is done. */
    settled(): Promise<void>;
    /** Drops the writes still waiting for their delay; resolves once a copy under way is done. */
    stop(): Promise<void>;
}

export interface ReplicationOptions {
    configs: ReplicationConfig[];
    /** An S3 client straight to moto (not through the local S3 endpoint) for the bucket's region. */
    s3For(bucket: string): S3.S3Client;
    delayMs: number;
    log(line: string): void;
}

const enabled = (setting: { status?: string } | undefined) => setting?.status === "Enabled";

function filterOf(rule: any): { prefix: string; tags: Record<string, string> } {
    const filter = rule.filter ?? {};
    const tags: Record<string, string> = { ...(filter.and?.tags ?? {}) };
    if (filter.tag !== undefined) tags[filter.tag.key] = filter.tag.value;
    return { prefix: filter.prefix ?? filter.and?.prefix ?? rule.prefix ?? "", tags };
}

const bucketOfArn = (arn: string) => arn.replace(/^arn:[^:]+:s3:::/, "");

export function startReplication(options: ReplicationOptions): Replication {
    const records: ReplicationRecord[] = [];
    const statuses = new Map<string, string>();
    const chains = new Map<string, Promise<void>>();
    /** Pending waits, each ended early by stop(). */
    const waits = new Map<NodeJS.Timeout, () => void>();
    let stopped = false;
    const at = (bucket: string, versionId: string) => `${bucket}\n${versionId}`;
    const wait = (ms: number) =>
        new Promise<void>((resolve) => {
            const timer = setTimeout(() => (waits.delete(timer), resolve()), Math.max(0, ms));
            waits.set(timer, resolve);
        });

    /** The candidate rules for a key, highest priority first (tags are checked later, against the version's). */
    function candidates(config: ReplicationConfig, key: string): any[] {
        return config.rules
            .filter((rule) => rule.status === "Enabled" && key.startsWith(filterOf(rule).prefix))
            .sort((a, b) => Number(b.priority ?? 0) - Number(a.priority ?? 0));
    }

    async function replicateVersion(record: ReplicationRecord, rules: any[]): Promise<void> {
        const source = options.s3For(record.sourceBucket);
        const VersionId = record.sourceVersionId;
        const head = await source.send(new s3sdk.HeadObjectCommand({ Bucket: record.sourceBucket, Key: record.key, VersionId }));
        const needsTags = rules.some((rule) => Object.keys(filterOf(rule).tags).length > 0);
        const tags = needsTags ? (await source.send(new s3sdk.GetObjectTaggingCommand({ Bucket: record.sourceBucket, Key: record.key, VersionId }))).TagSet ?? [] : [];
        const rule = rules.find((r) => Object.entries(filterOf(r).tags).every(([k, v]) => tags.some((t) => t.Key === k && t.Value === v)));
        if (rule === undefined) return notReplicated(record, "no rule's tag filter matches the object's tags");
        record.rule = rule.id;
        const kms = head.ServerSideEncryption === "aws:kms";
        if (kms && !enabled(rule.sourceSelectionCriteria?.sseKmsEncryptedObjects)) return notReplicated(record, `rule ${rule.id} does not select SSE-KMS objects`);
        const destination = rule.destination;
        record.destinationBucket = bucketOfArn(destination.bucket);
        const replicaKey = destination.encryptionConfiguration?.replicaKmsKeyId;
        const copied = await options.s3For(record.destinationBucket).send(
            new s3sdk.CopyObjectCommand({
                Bucket: record.destinationBucket,
                Key: record.key,
                CopySource: `${record.sourceBucket}/${encodeURIComponent(record.key)}${VersionId ? `?versionId=${encodeURIComponent(VersionId)}` : ""}`,
                MetadataDirective: "COPY",
                TaggingDirective: "COPY",
                StorageClass: destination.storageClass,
                ...(kms ? { ServerSideEncryption: "aws:kms", SSEKMSKeyId: replicaKey, BucketKeyEnabled: head.BucketKeyEnabled } : head.ServerSideEncryption ? { ServerSideEncryption: head.ServerSideEncryption } : {}),
            }),
        );
        record.replicaVersionId = copied.VersionId;
        if (copied.VersionId !== undefined) statuses.set(at(record.destinationBucket, copied.VersionId), "REPLICA");
        done(record, "COMPLETED");
    }

    async function replicateDeleteMarker(record: ReplicationRecord, rules: any[]): Promise<void> {
        const [rule] = rules;
        if (rule === undefined) return notReplicated(record, "no enabled rule's prefix matches the key");
        record.rule = rule.id;
        // Replication configuration V1 (no filter) replicates delete markers; V2 only when enabled, never with tags.
        const v1 = rule.filter === undefined;
        if (!v1 && (!enabled(rule.deleteMarkerReplication) || Object.keys(filterOf(rule).tags).length > 0)) {
            return notReplicated(record, `rule ${rule.id} does not replicate delete markers`);
        }
        record.destinationBucket = bucketOfArn(rule.destination.bucket);
        const deleted = await options.s3For(record.destinationBucket).send(new s3sdk.DeleteObjectCommand({ Bucket: record.destinationBucket, Key: record.key }));
        record.replicaVersionId = deleted.VersionId;
        done(record, "COMPLETED");
    }

    function done(record: ReplicationRecord, status: "COMPLETED" | "FAILED", reason?: string): void {
        record.status = status;
        record.reason = reason;
        if (!record.deleteMarker && record.sourceVersionId !== undefined) statuses.set(at(record.sourceBucket, record.sourceVersionId), status);
    }

    function notReplicated(record: ReplicationRecord, reason: string): void {
        record.status = "NOT REPLICATED";
        record.reason = reason;
        if (record.sourceVersionId !== undefined) statuses.delete(at(record.sourceBucket, record.sourceVersionId));
    }

    async function settled(): Promise<void> {
        for (let seen: Promise<void>[] = []; ; ) {
            const now = [...chains.values()];
            if (now.length === seen.length && now.every((p, i) => p === seen[i])) return;
            seen = now;
            await Promise.all(now);
        }
    }

    return {
        records,
        observe(write) {
            const config = options.configs.find((c) => c.bucket === write.bucket);
            if (config === undefined || stopped) return;
            const rules = candidates(config, write.key);
            const record: ReplicationRecord = { sourceBucket: write.bucket, key: write.key, sourceVersionId: write.versionId, deleteMarker: write.deleteMarker, status: "PENDING" };
            records.push(record);
            if (rules.length === 0) return notReplicated(record, "no enabled rule's prefix matches the key");
            if (!write.deleteMarker && write.versionId !== undefined) statuses.set(at(write.bucket, write.versionId), "PENDING");
            const due = Date.now() + options.delayMs;
            const run = async () => {
                await wait(due - Date.now());
                if (stopped) return;
                try {
                    await (write.deleteMarker ? replicateDeleteMarker(record, rules) : replicateVersion(record, rules));
                } catch (error) {
                    done(record, "FAILED", String(error));
                    options.log(JSON.stringify({ level: "ERROR", message: "local replication failed", bucket: write.bucket, key: write.key, versionId: write.versionId, error: String(error) }));
                }
            };
            chains.set(write.bucket, (chains.get(write.bucket) ?? Promise.resolve()).then(run));
        },
        statusOf: (bucket, versionId) => statuses.get(at(bucket, versionId)),
        settled,
        async stop() {
            stopped = true;
            for (const [timer, resolve] of waits) {
                clearTimeout(timer);
                resolve();
            }
            waits.clear();
            await settled();
        },
    };
}
