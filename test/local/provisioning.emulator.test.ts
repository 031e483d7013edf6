// The local run is the program by construction: on the moto `startLocalApp` (npm start) provisions,
// every setting the program registers for both regions reads back as registered through the AWS
// APIs (./programOnMoto.ts), and a provisioning that drifts from the program fails that comparison.
import { strict as assert } from "assert";
import type * as KMS from "@aws-sdk/client-kms";
import type * as S3 from "@aws-sdk/client-s3";
import type * as SQS from "@aws-sdk/client-sqs";
import { captureFunctionOutput } from "../support/lambda";
import { deployOrder } from "../../tools/deploy/order";
import { clientConfig, useMoto } from "../../tools/local/emulator";
import { GAPS } from "../../tools/local/gaps";
import { LocalApp, startLocalApp } from "../../tools/local/localApp";
import { loadProgram, Program, resourcesOf } from "../../tools/local/program";
import { provisionProgram } from "../../tools/local/provision";
import { TREATMENT, TYPE } from "../../tools/local/resourceTypes";
import { differences, READERS, unstoredReadBacks } from "./programOnMoto";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;
const sqssdk = require("@aws-sdk/client-sqs") as typeof SQS;
const kmssdk = require("@aws-sdk/client-kms") as typeof KMS;

describe("local run: moto provisioned from the program", function () {
    this.timeout(240_000);
    captureFunctionOutput();
    let program: Program;
    let app: LocalApp;

    before(async () => {
        program = await loadProgram();
        app = await startLocalApp({ port: 0, standbyPort: 0, replicationDelayMs: 0, log: () => undefined });
    });
    after(async () => app?.stop());

    for (const step of deployOrder()) {
        it(`${step.stack} (${step.role}, ${step.region}): every registered setting reads back from moto as registered`, async () => {
            const stack = program.stacks.find((s) => s.stack === step.stack)!;
            assert.deepEqual(await differences(app.motoEndpoint, program, stack), []);
        });
    }

    it("compares every type the local run provisions on moto", () => {
        const provisioned = [...TREATMENT].filter(([, t]) => t.by === "moto").map(([type]) => type);
        assert.deepEqual(provisioned.filter((type) => READERS[type] === undefined), []);
    });

    it("knows every type the program registers (none is skipped unnoticed)", () => {
        const registered = new Set(program.stacks.flatMap((s) => s.inventory.resources.filter((r) => r.custom).map((r) => r.type)));
        assert.deepEqual([...registered].filter((type) => !TREATMENT.has(type)), []);
    });

    it("the settings docs/local.md says moto does not store are still not stored (else the gap is stale)", async () => {
        const readBacks = await unstoredReadBacks(app.motoEndpoint, program);
        assert.ok(readBacks.length > 0, "the program registers none of the unstored settings: the gaps list names settings it does not use");
        for (const { where, registered, held } of readBacks) {
            assert.notDeepEqual(held, registered, `${where}: moto now stores it; remove it from tools/local/gaps.ts`);
        }
        assert.ok(GAPS.every((g) => (g.unstored ?? []).every((u) => READERS[u.type] !== undefined)));
    });

    it("leaves out the deny-non-TLS statements, which moto would apply to every request, and says why", () => {
        const denies = program.stacks.flatMap((s) => resourcesOf(s, TYPE.bucketPolicy)).length;
        const said = app.notes.filter((n) => /policy statement DenyInsecureTransport left out: a Deny conditioned on aws:SecureTransport/.test(n));
        assert.equal(said.length, denies);
    });
});

describe("local run: the comparison catches a provisioning that drifts from the program", function () {
    this.timeout(240_000);
    const moto = useMoto();
    let program: Program;
    let s3: S3.S3Client;

    before(async () => {
        program = await loadProgram();
        await provisionProgram(moto.endpoint, program);
        s3 = new s3sdk.S3Client(clientConfig(moto.endpoint, program.primary.region));
    });
    after(() => s3?.destroy());

    it("finds the hand-typed lifecycle the old harness provisioned (issue 10), another key, a widened notification", async () => {
        const [data] = resourcesOf(program.primary, TYPE.notification).map((n) => String(n.inputs.bucket));
        const before = await differences(moto.endpoint, program, program.primary);
        assert.deepEqual(before, []);

        await s3.send(
            new s3sdk.PutBucketLifecycleConfigurationCommand({
                Bucket: data,
                LifecycleConfiguration: {
                    Rules: [
                        { ID: "abort-incomplete-uploads", Status: "Enabled", Filter: { Prefix: "" }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
                        { ID: "expire-noncurrent", Status: "Enabled", Filter: { Prefix: "" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
                        { ID: "expire-probes", Status: "Enabled", Filter: { Prefix: "canary/probes/" }, Expiration: { Days: 1 } },
                    ],
                },
            }),
        );
        await s3.send(new s3sdk.PutBucketEncryptionCommand({ Bucket: data, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] } }));
        const notification = resourcesOf(program.primary, TYPE.notification)[0];
        const registered = notification.inputs.lambdaFunctions[0];
        const [queue] = (await s3.send(new s3sdk.GetBucketNotificationConfigurationCommand({ Bucket: data }))).QueueConfigurations ?? [];
        await s3.send(new s3sdk.PutBucketNotificationConfigurationCommand({ Bucket: data, NotificationConfiguration: { QueueConfigurations: [{ ...queue, Filter: undefined }] } }));

        const found = (await differences(moto.endpoint, program, program.primary)).join("\n");
        for (const id of ["abort-incomplete-multipart-uploads", "expire-noncurrent-versions", "expire-canary-probes"]) {
            assert.match(found, new RegExp(`BucketLifecycleConfiguration documents-data.*${id}`), found);
        }
        assert.match(found, /BucketServerSideEncryptionConfiguration documents-data\.Rules\[0\]\.ApplyServerSideEncryptionByDefault\.SSEAlgorithm: moto has "AES256", the program registers "aws:kms"/);
        assert.match(found, new RegExp(`BucketNotification ${notification.name}\\.QueueConfigurations\\[0\\]\\.Filter: moto has undefined.*${registered.filterPrefix}`));
    });

    it("finds a queue, a key and a bucket policy that differ from the program", async () => {
        const stack = program.standby;
        const config = clientConfig(moto.endpoint, stack.region);
        const sqs = new sqssdk.SQSClient(config);
        const kms = new kmssdk.KMSClient(config);
        const s3w = new s3sdk.S3Client(config);
        try {
            const [queue] = resourcesOf(stack, TYPE.queue);
            const { QueueUrl } = await sqs.send(new sqssdk.GetQueueUrlCommand({ QueueName: queue.state.name }));
            await sqs.send(new sqssdk.SetQueueAttributesCommand({ QueueUrl, Attributes: { MessageRetentionPeriod: "60" } }));
            const [alias] = resourcesOf(stack, TYPE.alias);
            const held = (await kms.send(new kmssdk.ListAliasesCommand({}))).Aliases?.find((a) => a.AliasName === alias.inputs.name);
            await kms.send(new kmssdk.DisableKeyRotationCommand({ KeyId: held?.TargetKeyId }));
            // The registered policy as is: its conditional Deny would refuse every request on moto.
            const [policy] = resourcesOf(stack, TYPE.bucketPolicy);
            const asRegistered = JSON.parse(policy.inputs.policy);
            asRegistered.Statement = asRegistered.Statement.map((s: any) => (s.Principal === "*" ? { ...s, Principal: { AWS: "*" } } : s));
            await s3w.send(new s3sdk.PutBucketPolicyCommand({ Bucket: policy.inputs.bucket, Policy: JSON.stringify(asRegistered) }));

            const found = (await differences(moto.endpoint, program, stack)).join("\n");
            assert.match(found, new RegExp(`Queue ${queue.name}\\.MessageRetentionPeriod: moto has "60", the program registers ${JSON.stringify(queue.inputs.messageRetentionSeconds)}`), found);
            assert.match(found, new RegExp(`Key ${resourcesOf(stack, TYPE.key)[0].name}\\.EnableKeyRotation: moto has false, the program registers true`), found);
            assert.match(found, new RegExp(`BucketPolicy ${policy.name}\\.DenyInsecureTransport: moto has \\{.*"Effect":"Deny".*, the program registers "\\(left out\\)"`), found);
        } finally {
            sqs.destroy();
            kms.destroy();
            s3w.destroy();
        }
    });
});
