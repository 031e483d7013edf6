import { drop, edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "sqs-failure-queue-alarm",
    cases: [
        pass("each failure queue watched by name", program()),
        pass("a dead-letter queue watched by name", edit(drop(program(), "api-invoke"), "api", (p) => ({ ...p, deadLetterConfig: { targetArn: ref("api-failures", "arn") } }))),
        fail("the queue's URL in the QueueName dimension", "api-failures", edit(program(), "api-failed-events", (p) => ({ ...p, dimensions: { QueueName: ref("api-failures", "url") } }))),
        fail("the queue alarm removed", "ingest-failures", drop(program(), "ingest-failed-events")),
        fail("a dead-letter queue nobody watches", "api-failures", edit(drop(program(), "api-invoke", "api-failed-events"), "api", (p) => ({ ...p, deadLetterConfig: { targetArn: ref("api-failures", "arn") } }))),
        fail("the alarm watches the queue's age in the wrong namespace", "canary-failures", edit(program(), "canary-failed-events", (p) => ({ ...p, namespace: "AWS/SNS" }))),
    ],
};
