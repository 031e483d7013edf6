// How the program's functions get invoked locally, besides their Function URLs: S3 notifications
// (polled from the queues standing in for Lambda targets, ./provisionEvents.ts) and EventBridge
// schedules (a timer per rule, at the rule's rate).
import { randomUUID } from "crypto";
import type * as SQS from "@aws-sdk/client-sqs";
import type { S3Event } from "aws-lambda";
import { MotoClients, sqssdk } from "./clients";
import type { EventQueue } from "./provisionEvents";
import { ProgramStack, regionOf, resourcesOf } from "./program";
import { TYPE } from "./resourceTypes";

export type Invoke = (functionArn: string, event: unknown) => Promise<void>;

export interface Trigger {
    stop(): Promise<void>;
}

/** Hands each S3 event a queue receives to the function it stands in for; skips moto's s3:TestEvent. */
export function pollNotifications(queues: EventQueue[], clients: MotoClients, invoke: Invoke): Trigger {
    let polling = true;
    const loops = queues.map(async (queue) => {
        const sqs = clients.sqs(queue.region);
        while (polling) {
            let messages: SQS.Message[];
            try {
                messages = (await sqs.send(new sqssdk.ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [];
            } catch {
                if (polling) await new Promise((r) => setTimeout(r, 500));
                continue;
            }
            for (const message of messages) {
                const event = JSON.parse(message.Body ?? "{}") as Partial<S3Event>;
                if (Array.isArray(event.Records)) await invoke(queue.functionArn, event);
                await sqs.send(new sqssdk.DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: message.ReceiptHandle! })).catch(() => undefined);
            }
        }
    });
    return {
        async stop() {
            polling = false;
            // A receive in flight ends within its 1 s wait.
            await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 2_000))]);
        },
    };
}

export interface Schedule {
    rule: string;
    ruleArn: string;
    region: string;
    everyMs: number;
    functionArn: string;
    /** The event a target without `input` gets. */
    event(): unknown;
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** `rate(value unit)`: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html */
export function rateMs(expression: string): number {
    const match = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression.trim());
    if (match === null) throw new Error(`the local run runs rate(...) schedules only, not ${expression}`);
    return Number(match[1]) * UNIT_MS[match[2]];
}

/** Every enabled schedule rule's Lambda targets in the stack. */
export function schedulesOf(stack: ProgramStack): Schedule[] {
    const rules = resourcesOf(stack, TYPE.eventRule).filter((r) => r.inputs.scheduleExpression !== undefined && (r.inputs.state ?? "ENABLED") === "ENABLED");
    return resourcesOf(stack, TYPE.eventTarget).flatMap((target) => {
        const rule = rules.find((r) => String(r.state.name ?? r.id) === target.inputs.rule);
        if (rule === undefined || !String(target.inputs.arn).includes(":lambda:")) return [];
        const region = regionOf(stack, rule);
        const ruleArn = String(rule.state.arn);
        // The Scheduled Event EventBridge sends (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-scheduled.html), or the target's constant input.
        const event = () =>
            target.inputs.input !== undefined
                ? JSON.parse(target.inputs.input)
                : {
                      version: "0",
                      id: randomUUID(),
                      "detail-type": "Scheduled Event",
                      source: "aws.events",
                      account: ruleArn.split(":")[4],
                      time: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
                      region,
                      resources: [ruleArn],
                      detail: {},
                  };
        return [{ rule: String(rule.state.name ?? rule.id), ruleArn, region, everyMs: rateMs(String(rule.inputs.scheduleExpression)), functionArn: String(target.inputs.arn), event }];
    });
}

/** Runs each schedule now and then every `everyMs` (or `overrideMs`). */
export function runSchedules(schedules: Schedule[], invoke: Invoke, overrideMs?: number): Trigger & { runAll(): Promise<void> } {
    // Each schedule is its own EventBridge rule: they fire independently, at once.
    const runAll = async () => {
        await Promise.all(schedules.map((schedule) => invoke(schedule.functionArn, schedule.event())));
    };
    const timers = schedules.map((schedule) => setInterval(() => void invoke(schedule.functionArn, schedule.event()), overrideMs ?? schedule.everyMs));
    void runAll();
    return {
        runAll,
        async stop() {
            timers.forEach((t) => clearInterval(t));
        },
    };
}
