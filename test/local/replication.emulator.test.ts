// The local replication follows S3's replication rules, whatever rules the program registers: the
// highest-priority enabled rule whose filter matches decides; SSE-KMS objects replicate only when
// selected, under the rule's replica key; delete markers only when the rule enables it (never for tag
// filters); a bucket's writes replicate in order. The rules below are S3 cases, not the program's.
import { strict as assert } from "assert";
import type * as KMS from "@aws-sdk/client-kms";
import type * as S3 from "@aws-sdk/client-s3";
import { clientConfig, useMoto } from "../../tools/local/emulator";
import { Replication, ReplicationRecord, startReplication } from "../../tools/local/replication";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;
const kmssdk = require("@aws-sdk/client-kms") as typeof KMS;

const REGION = "us-east-1";
const SOURCE = "replication-source";
const [NEAR, FAR] = ["replication-near", "replication-far"];
const arn = (bucket: string) => `arn:aws:s3:::${bucket}`;

describe("local run: replication rules", function () {
    this.timeout(120_000);
    const moto = useMoto();
    let s3: S3.S3Client;
    let replicaKey: string;
    const errors: string[] = [];

    before(async () => {
        s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, REGION));
        const kms = new kmssdk.KMSClient(clientConfig(moto.endpoint, REGION));
        replicaKey = (await kms.send(new kmssdk.CreateKeyCommand({}))).KeyMetadata!.Arn!;
        kms.destroy();
        for (const Bucket of [SOURCE, NEAR, FAR]) {
            await s3.send(new s3sdk.CreateBucketCommand({ Bucket }));
            await s3.send(new s3sdk.PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
        }
    });
    after(() => s3?.destroy());

    function replicate(rules: any[]): Replication {
        return startReplication({ configs: [{ bucket: SOURCE, rules }], s3For: () => s3, delayMs: 0, log: (line) => errors.push(line) });
    }

    async function write(replication: Replication, key: string, extra: Partial<S3.PutObjectCommandInput> = {}): Promise<ReplicationRecord> {
        const put = await s3.send(new s3sdk.PutObjectCommand({ Bucket: SOURCE, Key: key, Body: `body of ${key}`, ...extra }));
        replication.observe({ bucket: SOURCE, key, versionId: put.VersionId, deleteMarker: false });
        await replication.settled();
        return replication.records.at(-1)!;
    }

    async function remove(replication: Replication, key: string): Promise<ReplicationRecord> {
        const deleted = await s3.send(new s3sdk.DeleteObjectCommand({ Bucket: SOURCE, Key: key }));
        replication.observe({ bucket: SOURCE, key, versionId: deleted.VersionId, deleteMarker: true });
        await replication.settled();
        return replication.records.at(-1)!;
    }

    const versionsIn = async (Bucket: string, key: string) => {
        const listed = await s3.send(new s3sdk.ListObjectVersionsCommand({ Bucket, Prefix: key }));
        return { versions: listed.Versions?.length ?? 0, markers: listed.DeleteMarkers?.length ?? 0 };
    };

    const rule = (id: string, priority: number, prefix: string, destination: string, more: Record<string, unknown> = {}) => ({
        id,
        priority,
        status: "Enabled",
        filter: { prefix },
        deleteMarkerReplication: { status: "Enabled" },
        destination: { bucket: arn(destination) },
        ...more,
    });

    it("the highest-priority matching rule decides; a key no enabled rule covers is not replicated", async () => {
        const replication = replicate([rule("low", 1, "", NEAR), rule("high", 2, "reports/", FAR), { ...rule("off", 9, "", NEAR), status: "Disabled" }]);
        const report = await write(replication, "reports/q3.csv");
        assert.deepEqual([report.status, report.rule, report.destinationBucket], ["COMPLETED", "high", FAR]);
        assert.deepEqual(await versionsIn(FAR, "reports/q3.csv"), { versions: 1, markers: 0 });
        const other = await write(replication, "notes/a.txt");
        assert.deepEqual([other.status, other.rule, other.destinationBucket], ["COMPLETED", "low", NEAR]);

        const none = replicate([rule("only", 1, "reports/", FAR)]);
        const outside = await write(none, "notes/b.txt");
        assert.equal(outside.status, "NOT REPLICATED");
        assert.deepEqual(await versionsIn(FAR, "notes/b.txt"), { versions: 0, markers: 0 });
        assert.equal(none.statusOf(SOURCE, outside.sourceVersionId!), undefined, "an object no rule covers reports no replication status");
    });

    it("SSE-KMS objects replicate only when the rule selects them, under the rule's replica key", async () => {
        const kms = { ServerSideEncryption: "aws:kms" as const, SSEKMSKeyId: replicaKey };
        const unselected = await write(replicate([rule("plain", 1, "", NEAR)]), "kms/unselected", kms);
        assert.equal(unselected.status, "NOT REPLICATED");
        assert.match(unselected.reason ?? "", /does not select SSE-KMS objects/);

        const selected = replicate([
            rule("kms", 1, "", NEAR, { sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } }, destination: { bucket: arn(NEAR), encryptionConfiguration: { replicaKmsKeyId: replicaKey } } }),
        ]);
        const record = await write(selected, "kms/selected", kms);
        assert.equal(record.status, "COMPLETED");
        const replica = await s3.send(new s3sdk.HeadObjectCommand({ Bucket: NEAR, Key: "kms/selected", VersionId: record.replicaVersionId }));
        assert.deepEqual([replica.ServerSideEncryption, replica.SSEKMSKeyId], ["aws:kms", replicaKey]);
        assert.equal(selected.statusOf(SOURCE, record.sourceVersionId!), "COMPLETED");
        assert.equal(selected.statusOf(NEAR, record.replicaVersionId!), "REPLICA");
    });

    it("delete markers replicate only where the rule enables it, never under a tag filter; in order after the object", async () => {
        const enabled = replicate([rule("markers", 1, "", NEAR)]);
        await write(enabled, "markers/on");
        const marker = await remove(enabled, "markers/on");
        assert.equal(marker.status, "COMPLETED");
        assert.deepEqual(await versionsIn(NEAR, "markers/on"), { versions: 1, markers: 1 });

        const disabled = replicate([rule("no-markers", 1, "", NEAR, { deleteMarkerReplication: { status: "Disabled" } })]);
        await write(disabled, "markers/off");
        const kept = await remove(disabled, "markers/off");
        assert.equal(kept.status, "NOT REPLICATED");
        assert.deepEqual(await versionsIn(NEAR, "markers/off"), { versions: 1, markers: 0 });

        const tagged = replicate([rule("tagged", 1, "", NEAR, { filter: { and: { prefix: "", tags: { team: "finance" } } } })]);
        const object = await write(tagged, "markers/tagged", { Tagging: "team=finance" });
        assert.equal(object.status, "COMPLETED");
        const untagged = await write(tagged, "markers/untagged", { Tagging: "team=legal" });
        assert.equal(untagged.status, "NOT REPLICATED");
        const tagMarker = await remove(tagged, "markers/tagged");
        assert.equal(tagMarker.status, "NOT REPLICATED");
        assert.deepEqual(await versionsIn(NEAR, "markers/tagged"), { versions: 1, markers: 0 });
        assert.deepEqual(errors, []);
    });
});
