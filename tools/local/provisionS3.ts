// A stack's buckets on moto, each with the split resources the program registered for it, in the
// order that avoids S3's "conflicting conditional operation" (REFERENCE.md: bucket → public access
// block → policy → ownership; lifecycle after versioning), logging once every target bucket has its
// policy. Notifications and replication are provisioned by ./provisionEvents.ts and ./provision.ts.
import type * as S3 from "@aws-sdk/client-s3";
import type { RecordedResource } from "../engine/evaluate";
import { apiShape, knownInputs } from "./apiShape";
import { localBucketPolicy } from "./bucketPolicy";
import { MotoClients, s3sdk } from "./clients";
import type { IdMap } from "./ids";
import { bucketName, ProgramStack, regionOf, resourcesOf } from "./program";
import { TYPE } from "./resourceTypes";

/** Something the local run provisioned differently from the program, and why. */
export interface ProvisioningNote {
    stack: string;
    resource: string;
    note: string;
}

interface Setting {
    type: string;
    /** The inputs that shape the request (any other input is refused, see knownInputs). */
    inputs: readonly string[];
    put(s3: S3.S3Client, bucket: string, inputs: Record<string, any>): Promise<string[] | void>;
}

const sent = async (p: Promise<unknown>) => void (await p);

const SETTINGS: readonly Setting[] = [
    {
        type: TYPE.publicAccessBlock,
        inputs: ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"],
        put: (s3, Bucket, i) => sent(s3.send(new s3sdk.PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: apiShape(i) }))),
    },
    {
        type: TYPE.bucketPolicy,
        inputs: ["policy"],
        async put(s3, Bucket, i) {
            const local = localBucketPolicy(i.policy);
            if (local.policy !== undefined) await s3.send(new s3sdk.PutBucketPolicyCommand({ Bucket, Policy: local.policy }));
            return local.skipped.map((s) => `policy statement ${s.sid ?? "(no Sid)"} left out: ${s.reason}`);
        },
    },
    {
        type: TYPE.ownership,
        inputs: ["rule"],
        put: (s3, Bucket, i) => sent(s3.send(new s3sdk.PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [apiShape(i.rule)] } }))),
    },
    {
        type: TYPE.versioning,
        inputs: ["versioningConfiguration", "mfa", "expectedBucketOwner"],
        put: (s3, Bucket, i) =>
            sent(s3.send(new s3sdk.PutBucketVersioningCommand({ Bucket, VersioningConfiguration: apiShape(i.versioningConfiguration), MFA: i.mfa, ExpectedBucketOwner: i.expectedBucketOwner }))),
    },
    {
        type: TYPE.encryption,
        inputs: ["rules", "expectedBucketOwner"],
        put: (s3, Bucket, i) =>
            sent(s3.send(new s3sdk.PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: apiShape(i.rules) }, ExpectedBucketOwner: i.expectedBucketOwner }))),
    },
    {
        type: TYPE.lifecycle,
        inputs: ["rules", "expectedBucketOwner", "transitionDefaultMinimumObjectSize"],
        put: (s3, Bucket, i) =>
            sent(
                s3.send(
                    new s3sdk.PutBucketLifecycleConfigurationCommand({
                        Bucket,
                        LifecycleConfiguration: { Rules: apiShape(i.rules) },
                        ExpectedBucketOwner: i.expectedBucketOwner,
                        TransitionDefaultMinimumObjectSize: i.transitionDefaultMinimumObjectSize,
                    }),
                ),
            ),
    },
    {
        type: TYPE.logging,
        inputs: ["targetBucket", "targetPrefix", "targetGrants", "targetObjectKeyFormat", "expectedBucketOwner"],
        put: (s3, Bucket, { expectedBucketOwner, ...logging }) =>
            sent(s3.send(new s3sdk.PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: { LoggingEnabled: apiShape(logging) }, ExpectedBucketOwner: expectedBucketOwner }))),
    },
];

async function createBucket(s3: S3.S3Client, bucket: RecordedResource, region: string): Promise<void> {
    const inputs = knownInputs(`${bucket.type} ${bucket.name}`, bucket.inputs, ["bucket", "bucketPrefix", "objectLockEnabled", "tags"]);
    const Bucket = bucketName(bucket);
    await s3.send(
        new s3sdk.CreateBucketCommand({
            Bucket,
            ObjectLockEnabledForBucket: inputs.objectLockEnabled,
            // us-east-1 is the one region S3 refuses as a LocationConstraint.
            ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as S3.BucketLocationConstraint } }),
        }),
    );
    // tagsAll: the resource's tags merged with the provider's default tags, as AWS would hold them.
    const tags = Object.entries((bucket.state.tagsAll ?? bucket.inputs.tags ?? {}) as Record<string, string>);
    if (tags.length > 0) {
        await s3.send(new s3sdk.PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tags.map(([Key, Value]) => ({ Key, Value })) } }));
    }
}

/** Creates every bucket of the stack with its settings; returns what was provisioned differently. */
export async function provisionBuckets(stack: ProgramStack, clients: MotoClients, ids: IdMap): Promise<ProvisioningNote[]> {
    const notes: ProvisioningNote[] = [];
    for (const bucket of resourcesOf(stack, TYPE.bucket)) {
        await createBucket(clients.s3(regionOf(stack, bucket)), bucket, regionOf(stack, bucket));
    }
    for (const setting of SETTINGS) {
        for (const resource of resourcesOf(stack, setting.type)) {
            const inputs = ids.translate(knownInputs(`${resource.type} ${resource.name}`, resource.inputs, setting.inputs));
            const bucket = String(resource.inputs.bucket);
            const said = await setting.put(clients.s3(regionOf(stack, resource)), bucket, inputs).catch((error: Error) => {
                throw new Error(`provisioning ${resource.type} ${resource.name} (${bucket}) on moto failed: ${error.message}`);
            });
            for (const note of said ?? []) notes.push({ stack: stack.stack, resource: `${bucket} (${resource.name})`, note });
        }
    }
    return notes;
}
