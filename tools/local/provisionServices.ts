// A stack's KMS keys and aliases, SQS queues, SNS topics and subscriptions on moto, from the inputs
// the program registered. moto chooses key ids and queue URLs itself: each is recorded in the IdMap,
// so everything provisioned after it (bucket encryption, queue and topic keys, replication, function
// environments) refers to moto's.
import { knownInputs } from "./apiShape";
import { kmssdk, MotoClients, sqssdk } from "./clients";
import type { IdMap } from "./ids";
import { ProgramStack, regionOf, resourcesOf } from "./program";
import { TYPE } from "./resourceTypes";
import { snsCall } from "./snsQuery";
import { xmlElement } from "./xml";
import type { RecordedResource } from "../engine/evaluate";

const tagsOf = (r: RecordedResource) => Object.entries((r.state.tagsAll ?? r.inputs.tags ?? {}) as Record<string, string>);

async function provisionKeys(stack: ProgramStack, clients: MotoClients, ids: IdMap): Promise<void> {
    for (const key of resourcesOf(stack, TYPE.key)) {
        const i = ids.translate(
            knownInputs(`${key.type} ${key.name}`, key.inputs, [
                "description",
                "keyUsage",
                "customerMasterKeySpec",
                "policy",
                "bypassPolicyLockoutSafetyCheck",
                "enableKeyRotation",
                "rotationPeriodInDays",
                "isEnabled",
                "multiRegion",
                "tags",
                // Applies when the key is scheduled for deletion, which the local run never does.
                "deletionWindowInDays",
            ]),
        );
        const kms = clients.kms(regionOf(stack, key));
        const created = await kms.send(
            new kmssdk.CreateKeyCommand({
                Description: i.description,
                KeyUsage: i.keyUsage,
                KeySpec: i.customerMasterKeySpec,
                Policy: i.policy,
                BypassPolicyLockoutSafetyCheck: i.bypassPolicyLockoutSafetyCheck,
                MultiRegion: i.multiRegion,
                Tags: tagsOf(key).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
            }),
        );
        const keyId = created.KeyMetadata!.KeyId!;
        // The key id is part of the key's ARN, so mapping it maps the ARN too.
        ids.add(String(key.state.keyId ?? key.id), keyId);
        if (i.enableKeyRotation === true) await kms.send(new kmssdk.EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: i.rotationPeriodInDays }));
        if (i.isEnabled === false) await kms.send(new kmssdk.DisableKeyCommand({ KeyId: keyId }));
    }
    for (const alias of resourcesOf(stack, TYPE.alias)) {
        const i = ids.translate(knownInputs(`${alias.type} ${alias.name}`, alias.inputs, ["name", "targetKeyId"]));
        await clients.kms(regionOf(stack, alias)).send(new kmssdk.CreateAliasCommand({ AliasName: i.name, TargetKeyId: i.targetKeyId }));
    }
}

/** SQS attribute names of the queue inputs (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html). */
export const QUEUE_ATTRIBUTES: Readonly<Record<string, string>> = {
    delaySeconds: "DelaySeconds",
    maxMessageSize: "MaximumMessageSize",
    messageRetentionSeconds: "MessageRetentionPeriod",
    receiveWaitTimeSeconds: "ReceiveMessageWaitTimeSeconds",
    visibilityTimeoutSeconds: "VisibilityTimeout",
    policy: "Policy",
    redrivePolicy: "RedrivePolicy",
    redriveAllowPolicy: "RedriveAllowPolicy",
    fifoQueue: "FifoQueue",
    contentBasedDeduplication: "ContentBasedDeduplication",
    deduplicationScope: "DeduplicationScope",
    fifoThroughputLimit: "FifoThroughputLimit",
    kmsMasterKeyId: "KmsMasterKeyId",
    kmsDataKeyReusePeriodSeconds: "KmsDataKeyReusePeriodSeconds",
    sqsManagedSseEnabled: "SqsManagedSseEnabled",
};

async function provisionQueues(stack: ProgramStack, clients: MotoClients, ids: IdMap): Promise<void> {
    for (const queue of resourcesOf(stack, TYPE.queue)) {
        const i = ids.translate(knownInputs(`${queue.type} ${queue.name}`, queue.inputs, ["name", "namePrefix", "tags", ...Object.keys(QUEUE_ATTRIBUTES)]));
        const attributes = Object.fromEntries(Object.entries(QUEUE_ATTRIBUTES).filter(([input]) => i[input] !== undefined).map(([input, name]) => [name, String(i[input])]));
        const created = await clients.sqs(regionOf(stack, queue)).send(
            new sqssdk.CreateQueueCommand({ QueueName: String(queue.state.name ?? i.name), Attributes: attributes, tags: Object.fromEntries(tagsOf(queue)) }),
        );
        ids.add(String(queue.state.url ?? queue.id), created.QueueUrl!);
    }
}

/** SNS attribute names of the topic inputs (https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html). */
export const TOPIC_ATTRIBUTES: Readonly<Record<string, string>> = {
    displayName: "DisplayName",
    policy: "Policy",
    deliveryPolicy: "DeliveryPolicy",
    kmsMasterKeyId: "KmsMasterKeyId",
    signatureVersion: "SignatureVersion",
    tracingConfig: "TracingConfig",
    fifoTopic: "FifoTopic",
    contentBasedDeduplication: "ContentBasedDeduplication",
    archivePolicy: "ArchivePolicy",
};

async function provisionTopics(stack: ProgramStack, clients: MotoClients, ids: IdMap): Promise<void> {
    for (const topic of resourcesOf(stack, TYPE.topic)) {
        const i = ids.translate(knownInputs(`${topic.type} ${topic.name}`, topic.inputs, ["name", "namePrefix", "tags", ...Object.keys(TOPIC_ATTRIBUTES)]));
        const params: Record<string, string> = { Name: String(topic.state.name ?? i.name) };
        Object.entries(TOPIC_ATTRIBUTES)
            .filter(([input]) => i[input] !== undefined)
            .forEach(([input, name], n) => Object.assign(params, { [`Attributes.entry.${n + 1}.key`]: name, [`Attributes.entry.${n + 1}.value`]: String(i[input]) }));
        tagsOf(topic).forEach(([key, value], n) => Object.assign(params, { [`Tags.member.${n + 1}.Key`]: key, [`Tags.member.${n + 1}.Value`]: value }));
        const arn = xmlElement(await snsCall(clients.endpoint, regionOf(stack, topic), "CreateTopic", params), "TopicArn");
        if (arn !== topic.state.arn) throw new Error(`moto created topic ${arn}, the program registered ${topic.state.arn}`);
    }
    for (const subscription of resourcesOf(stack, TYPE.topicSubscription)) {
        const i = ids.translate(knownInputs(`${subscription.type} ${subscription.name}`, subscription.inputs, ["topic", "protocol", "endpoint"]));
        await snsCall(clients.endpoint, regionOf(stack, subscription), "Subscribe", { TopicArn: i.topic, Protocol: i.protocol, Endpoint: i.endpoint });
    }
}

export async function provisionServices(stack: ProgramStack, clients: MotoClients, ids: IdMap): Promise<void> {
    await provisionKeys(stack, clients, ids);
    await provisionQueues(stack, clients, ids);
    await provisionTopics(stack, clients, ids);
}
