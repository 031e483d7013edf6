// A stack's bucket notifications and replication configurations on moto. moto cannot invoke Lambda,
// so each Lambda target of a notification becomes a queue configuration — same id, events and key
// filters — to a queue the local run polls and hands to that function (./notifications.ts). Queue and
// topic targets are provisioned as registered. Replication is stored as registered (moto never
// performs it; ./replication.ts does).
import type * as S3 from "@aws-sdk/client-s3";
import { apiShape, knownInputs } from "./apiShape";
import { MotoClients, s3sdk, sqssdk } from "./clients";
import type { IdMap } from "./ids";
import { ProgramStack, regionOf, resourcesOf } from "./program";
import { TYPE } from "./resourceTypes";

/** A queue on moto standing in for a Lambda notification target. */
export interface EventQueue {
    region: string;
    bucket: string;
    queueUrl: string;
    functionArn: string;
}

interface Target {
    id?: string;
    events: string[];
    filterPrefix?: string;
    filterSuffix?: string;
}

/** A notification target's id, events and key filter, in the API's shape (FilterRule names are `prefix` and `suffix`: https://docs.aws.amazon.com/AmazonS3/latest/API/API_FilterRule.html). */
function configuration(target: Target) {
    const rules = [
        ...(target.filterPrefix !== undefined ? [{ Name: "prefix" as const, Value: target.filterPrefix }] : []),
        ...(target.filterSuffix !== undefined ? [{ Name: "suffix" as const, Value: target.filterSuffix }] : []),
    ];
    return { Id: target.id, Events: target.events as S3.Event[], ...(rules.length > 0 ? { Filter: { Key: { FilterRules: rules } } } : {}) };
}

/** The queue standing in for a function's S3 notifications (a local-run name, not the program's). */
export function eventQueueName(functionArn: string): string {
    return `${functionArn.split(":").pop()}-s3-events`;
}

async function eventQueue(clients: MotoClients, region: string, functionArn: string): Promise<{ url: string; arn: string }> {
    const sqs = clients.sqs(region);
    const url = (await sqs.send(new sqssdk.CreateQueueCommand({ QueueName: eventQueueName(functionArn) }))).QueueUrl!;
    const arn = (await sqs.send(new sqssdk.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    return { url, arn };
}

export async function provisionNotifications(stack: ProgramStack, clients: MotoClients, ids: IdMap): Promise<EventQueue[]> {
    const queues: EventQueue[] = [];
    for (const notification of resourcesOf(stack, TYPE.notification)) {
        const i = ids.translate(knownInputs(`${notification.type} ${notification.name}`, notification.inputs, ["lambdaFunctions", "queues", "topics", "eventbridge"]));
        const region = regionOf(stack, notification);
        const bucket = String(notification.inputs.bucket);
        const viaQueues = [];
        for (const target of (i.lambdaFunctions ?? []) as Array<Target & { lambdaFunctionArn: string }>) {
            const queue = await eventQueue(clients, region, target.lambdaFunctionArn);
            queues.push({ region, bucket, queueUrl: queue.url, functionArn: target.lambdaFunctionArn });
            viaQueues.push({ ...configuration(target), QueueArn: queue.arn });
        }
        await clients.s3(region).send(
            new s3sdk.PutBucketNotificationConfigurationCommand({
                Bucket: bucket,
                NotificationConfiguration: {
                    QueueConfigurations: [...viaQueues, ...((i.queues ?? []) as Array<Target & { queueArn: string }>).map((q) => ({ ...configuration(q), QueueArn: q.queueArn }))],
                    TopicConfigurations: ((i.topics ?? []) as Array<Target & { topicArn: string }>).map((t) => ({ ...configuration(t), TopicArn: t.topicArn })),
                    ...(i.eventbridge === true ? { EventBridgeConfiguration: {} } : {}),
                },
            }),
        );
    }
    return queues;
}

export async function provisionReplication(stack: ProgramStack, clients: MotoClients, ids: IdMap): Promise<void> {
    for (const replication of resourcesOf(stack, TYPE.replication)) {
        const i = ids.translate(knownInputs(`${replication.type} ${replication.name}`, replication.inputs, ["role", "rules", "token"]));
        await clients.s3(regionOf(stack, replication)).send(
            new s3sdk.PutBucketReplicationCommand({ Bucket: String(replication.inputs.bucket), ReplicationConfiguration: { Role: i.role, Rules: apiShape(i.rules) }, Token: i.token }),
        );
    }
}
