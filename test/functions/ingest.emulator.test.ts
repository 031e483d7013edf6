// ingest on a real S3 API (moto): the handler built by ingestCallbackFactory, fed with the S3 event
// notifications moto itself delivers to an SQS queue (moto cannot invoke a Lambda function).

import * as assert from "assert";
import { createHash, randomBytes } from "crypto";
import type * as S3 from "@aws-sdk/client-s3";
import type * as SQS from "@aws-sdk/client-sqs";
import type * as Storage from "@aws-sdk/lib-storage";
import type { S3Event } from "aws-lambda";
import { PREFIX } from "../../functions/contract";
import type { Manifest } from "../../functions/contract";
import { captureFunctionOutput, lambdaContext, makeHandlers, s3Event } from "../support/lambda";
import { clientConfig, provisionApp, RegionFixture, useMoto } from "../../tools/local/emulator";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;
const sqssdk = require("@aws-sdk/client-sqs") as typeof SQS;
const libStorage = require("@aws-sdk/lib-storage") as typeof Storage;

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("functions: ingest on moto", function () {
    const moto = useMoto();
    let primary: RegionFixture;
    let handlers: ReturnType<typeof makeHandlers>;
    let s3: S3.S3Client;
    let sqs: SQS.SQSClient;
    let queueUrl: string;

    before(async () => {
        captureFunctionOutput();
        ({ primary } = await provisionApp(moto.endpoint));
        handlers = makeHandlers(moto.endpoint, primary);
        s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, primary.region));
        sqs = new sqssdk.SQSClient(clientConfig(moto.endpoint, primary.region));
        // The notification the program configures (ObjectCreated under objects/), delivered to a queue.
        queueUrl = (await sqs.send(new sqssdk.CreateQueueCommand({ QueueName: "ingest-events" }))).QueueUrl!;
        const arn = (await sqs.send(new sqssdk.GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
        await s3.send(
            new s3sdk.PutBucketNotificationConfigurationCommand({
                Bucket: primary.bucket,
                NotificationConfiguration: {
                    QueueConfigurations: [{ QueueArn: arn, Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "prefix", Value: PREFIX.objects }] } } }],
                },
            }),
        );
    });
    after(() => {
        s3?.destroy();
        sqs?.destroy();
    });

    /** Every notification moto delivered since the last call, as Lambda would receive it. */
    async function drainEvents(): Promise<S3Event[]> {
        const events: S3Event[] = [];
        for (;;) {
            const received = await sqs.send(new sqssdk.ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
            if (!received.Messages?.length) return events;
            for (const message of received.Messages) {
                events.push(JSON.parse(message.Body!) as S3Event);
                await sqs.send(new sqssdk.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
            }
        }
    }

    async function manifestOf(key: string): Promise<{ manifest: Manifest; metadata: Record<string, string> } | undefined> {
        try {
            const out = await s3.send(new s3sdk.GetObjectCommand({ Bucket: primary.bucket, Key: PREFIX.manifests + key }));
            return { manifest: JSON.parse(await out.Body!.transformToString()) as Manifest, metadata: out.Metadata ?? {} };
        } catch (error) {
            if ((error as Error).name === "NoSuchKey") return undefined;
            throw error;
        }
    }

    async function manifestVersions(key: string): Promise<number> {
        const out = await s3.send(new s3sdk.ListObjectVersionsCommand({ Bucket: primary.bucket, Prefix: PREFIX.manifests + key }));
        return (out.Versions ?? []).filter((v) => v.Key === PREFIX.manifests + key).length;
    }

    async function putObject(key: string, body: Buffer, contentType?: string): Promise<string> {
        const out = await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: PREFIX.objects + key, Body: body, ContentType: contentType }));
        return out.VersionId!;
    }

    const trickyKeys = [
        "with space.txt",
        "plus+sign.txt",
        "percent%25literal.txt",
        "100% done.txt",
        "a+b c%2Fd",
        "ünïcödé/日本語/😀.bin",
        "tab\there (not allowed through the api, but S3 accepts it)",
        "deep/" + "x/".repeat(50) + "leaf",
    ];

    it("writes a manifest for every notification moto delivers, tricky keys included", async () => {
        await drainEvents();
        const bodies = new Map<string, { body: Buffer; versionId: string }>();
        for (const [i, key] of trickyKeys.entries()) {
            const body = randomBytes(1000 + i);
            bodies.set(key, { body, versionId: await putObject(key, body, "application/x-test") });
        }
        const events = await drainEvents();
        const records = events.filter((e) => Array.isArray(e.Records));
        assert.strictEqual(records.length, trickyKeys.length, "one notification per object");
        // moto also sends an s3:TestEvent when the notification is configured: ingest ignores it.
        for (const event of events) {
            const result = await handlers.ingest(event, lambdaContext());
            if (!Array.isArray(event.Records)) assert.deepStrictEqual(result, { records: [] });
            else assert.strictEqual(result.records[0].outcome, "written", JSON.stringify(result));
        }
        for (const [key, { body, versionId }] of bodies) {
            const found = await manifestOf(key);
            assert.ok(found, `no manifest for ${key}`);
            const { manifest } = found;
            assert.strictEqual(manifest.key, key);
            assert.strictEqual(manifest.versionId, versionId);
            assert.strictEqual(manifest.sha256, sha256(body));
            assert.strictEqual(manifest.size, body.length);
            assert.strictEqual(manifest.contentType, "application/x-test");
            assert.strictEqual(manifest.checksumSha256, null, "stored without a checksum");
            assert.ok(Math.abs(Date.parse(manifest.processedAt) - Date.now()) < 60_000);
        }
    });

    it("is idempotent per version: the same event again writes nothing", async () => {
        await drainEvents();
        const body = Buffer.from("once");
        const versionId = await putObject("idem/doc", body);
        const [event] = (await drainEvents()).filter((e) => Array.isArray(e.Records));
        assert.strictEqual((await handlers.ingest(event, lambdaContext())).records[0].outcome, "written");
        for (let i = 0; i < 3; i++) {
            const again = await handlers.ingest(event, lambdaContext());
            assert.strictEqual(again.records[0].outcome, "unchanged");
        }
        // With the version id in the event (as real S3 sends it), the manifest alone decides: no GET.
        const withVersion = await handlers.ingest(s3Event(primary.bucket, "objects/idem/doc", { versionId }), lambdaContext());
        assert.strictEqual(withVersion.records[0].outcome, "unchanged");
        assert.strictEqual(await manifestVersions("idem/doc"), 1);
    });

    it("describes each new version, and never goes back to an older one", async () => {
        const v1 = await putObject("order/doc", Buffer.from("version one"));
        const v2 = await putObject("order/doc", Buffer.from("version two"));
        await drainEvents();
        // Events out of order, with the sequencers real S3 sends.
        const newer = await handlers.ingest(s3Event(primary.bucket, "objects/order/doc", { versionId: v2, sequencer: "0062E99A88DC407461" }), lambdaContext());
        assert.strictEqual(newer.records[0].outcome, "written");
        const older = await handlers.ingest(s3Event(primary.bucket, "objects/order/doc", { versionId: v1, sequencer: "0062E99A88DC407460" }), lambdaContext());
        assert.strictEqual(older.records[0].outcome, "stale");
        const found = await manifestOf("order/doc");
        assert.strictEqual(found!.manifest.versionId, v2);
        assert.strictEqual(found!.manifest.sha256, sha256(Buffer.from("version two")));
        assert.strictEqual(found!.metadata.sequencer, "0062E99A88DC407461");
        // A later version (higher sequencer) replaces it.
        const v3 = await putObject("order/doc", Buffer.from("version three"));
        const third = await handlers.ingest(s3Event(primary.bucket, "objects/order/doc", { versionId: v3, sequencer: "0062E99A88DC4074620" }), lambdaContext());
        assert.strictEqual(third.records[0].outcome, "written");
        assert.strictEqual((await manifestOf("order/doc"))!.manifest.versionId, v3);
    });

    it("streams a multipart object of 24 MiB (both of moto's events) to the right digest", async () => {
        await drainEvents();
        const body = randomBytes(24 * 1024 * 1024);
        const upload = new libStorage.Upload({
            client: s3,
            params: { Bucket: primary.bucket, Key: "objects/large/multipart.bin", Body: body, ContentType: "application/x-big" },
            partSize: 8 * 1024 * 1024,
        });
        const done = await upload.done();
        const events = (await drainEvents()).filter((e) => Array.isArray(e.Records));
        assert.ok(events.length >= 1);
        const outcomes = [];
        for (const event of events) outcomes.push((await handlers.ingest(event, lambdaContext())).records[0].outcome);
        assert.strictEqual(outcomes[0], "written");
        assert.ok(outcomes.slice(1).every((o) => o === "unchanged"), outcomes.join());
        const { manifest } = (await manifestOf("large/multipart.bin"))!;
        assert.strictEqual(manifest.size, body.length);
        assert.strictEqual(manifest.sha256, sha256(body));
        assert.strictEqual(manifest.versionId, done.VersionId);
    });

    it("recognizes the content type of documents stored without one", async () => {
        const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(100)]);
        await putObject("sniff/image", png);
        await putObject("sniff/text", Buffer.from("just some text ✓"));
        await putObject("sniff/declared", Buffer.from("just some text ✓"), "text/csv");
        for (const key of ["sniff/image", "sniff/text", "sniff/declared"]) {
            assert.strictEqual((await handlers.ingest(s3Event(primary.bucket, PREFIX.objects + key), lambdaContext())).records[0].outcome, "written");
        }
        assert.strictEqual((await manifestOf("sniff/image"))!.manifest.contentType, "image/png");
        assert.strictEqual((await manifestOf("sniff/text"))!.manifest.contentType, "text/plain; charset=utf-8");
        assert.strictEqual((await manifestOf("sniff/declared"))!.manifest.contentType, "text/csv");
    });

    it("skips what is not a document creation in this bucket", async () => {
        const cases: Array<[S3Event, RegExp]> = [
            [s3Event(primary.bucket, "manifests/x"), /not a document/],
            [s3Event(primary.bucket, "canary/probes/123"), /not a document/],
            [s3Event(primary.bucket, "objects/"), /not a document/],
            [s3Event(primary.bucket, "objects/x", { eventName: "ObjectRemoved:Delete" }), /not an object creation/],
            [s3Event("someone-elses-bucket", "objects/x"), /not this function's bucket/],
            [{ Records: [{ eventSource: "aws:sqs" }] } as unknown as S3Event, /not an S3 event record/],
        ];
        for (const [event, reason] of cases) {
            const result = await handlers.ingest(event, lambdaContext());
            assert.strictEqual(result.records[0].outcome, "skipped");
            assert.match(result.records[0].reason!, reason);
        }
        assert.deepStrictEqual(await handlers.ingest({} as S3Event, lambdaContext()), { records: [] });
        const listing = await s3.send(new s3sdk.ListObjectsV2Command({ Bucket: primary.bucket, Prefix: "manifests/x" }));
        assert.strictEqual(listing.KeyCount, 0);
    });

    it("records the SHA-256 S3 stored with the version, after checking it against the bytes read", async () => {
        const body = randomBytes(4096);
        const stored = createHash("sha256").update(body).digest("base64");
        await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/sum/ok", Body: body, ChecksumAlgorithm: "SHA256", ChecksumSHA256: stored }));
        assert.strictEqual((await handlers.ingest(s3Event(primary.bucket, "objects/sum/ok"), lambdaContext())).records[0].outcome, "written");
        const { manifest } = (await manifestOf("sum/ok"))!;
        assert.strictEqual(manifest.checksumSha256, stored);
        assert.strictEqual(Buffer.from(manifest.checksumSha256!, "base64").toString("hex"), manifest.sha256);
    });

    it("fails a version whose bytes do not match the SHA-256 stored with it, writing no manifest", async () => {
        // moto keeps a wrong x-amz-checksum-sha256 (real S3 refuses the PUT): a stand-in for a corrupted read.
        const wrong = createHash("sha256").update("something else").digest("base64");
        await s3.send(new s3sdk.PutObjectCommand({ Bucket: primary.bucket, Key: "objects/sum/bad", Body: "these bytes", ChecksumAlgorithm: "SHA256", ChecksumSHA256: wrong }));
        await assert.rejects(handlers.ingest(s3Event(primary.bucket, "objects/sum/bad"), lambdaContext()), (error: Error) => error.name === "IngestError");
        assert.strictEqual(await manifestOf("sum/bad"), undefined);
    });

    it("skips an object version that no longer exists", async () => {
        const result = await handlers.ingest(s3Event(primary.bucket, "objects/never/created"), lambdaContext());
        assert.strictEqual(result.records[0].outcome, "gone");
        assert.strictEqual(await manifestOf("never/created"), undefined);
    });

    it("lets failures propagate (so Lambda retries, then the failure destination), after the other records", async () => {
        await putObject("batch/ok", Buffer.from("fine"));
        const longKey = "k".repeat(1016); // objects/<key> fits S3's 1024 bytes, manifests/<key> does not
        await putObject(longKey, Buffer.from("too long for a manifest"));
        const event: S3Event = {
            Records: [
                ...s3Event(primary.bucket, "objects/%E0%A4%A").Records.map((r) => ({ ...r, s3: { ...r.s3, object: { ...r.s3.object, key: "objects/%E0%A4%A" } } })),
                ...s3Event(primary.bucket, PREFIX.objects + longKey).Records,
                ...s3Event(primary.bucket, "objects/batch/ok").Records,
            ],
        };
        await assert.rejects(handlers.ingest(event, lambdaContext()), (error: Error & { results?: Array<{ outcome: string }> }) => {
            assert.strictEqual(error.name, "IngestError");
            assert.match(error.message, /2 of 3 record/);
            assert.match(error.message, /not valid URL-encoded UTF-8/);
            assert.match(error.message, /longer than S3's 1024 bytes/);
            assert.deepStrictEqual(error.results!.map((r) => r.outcome), ["failed", "failed", "written"]);
            return true;
        });
        assert.ok(await manifestOf("batch/ok"), "the good record was still processed");
    });

    it("decides again when another writer changes the manifest first (conditional write)", async () => {
        const v1 = await putObject("race/doc", Buffer.from("first"));
        const v2 = await putObject("race/doc", Buffer.from("second"));
        // Two concurrent invocations for two versions: exactly one manifest per decision, never a mix.
        const [a, b] = await Promise.all([
            handlers.ingest(s3Event(primary.bucket, "objects/race/doc", { versionId: v1, sequencer: "00A1" }), lambdaContext()),
            handlers.ingest(s3Event(primary.bucket, "objects/race/doc", { versionId: v2, sequencer: "00A2" }), lambdaContext()),
        ]);
        const { manifest } = (await manifestOf("race/doc"))!;
        assert.strictEqual(manifest.versionId, v2, `outcomes ${a.records[0].outcome} / ${b.records[0].outcome}`);
        assert.strictEqual(manifest.sha256, sha256(Buffer.from("second")));
    });
});
