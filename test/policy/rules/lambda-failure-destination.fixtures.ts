import { drop, edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const setDestination = (fn: string, destination: unknown) => edit(program(), `${fn}-invoke`, (p) => ({ ...p, destinationConfig: { onFailure: { destination } } }));

export const fixtures: RuleFixtures = {
    rule: "lambda-failure-destination",
    cases: [
        pass("each function's invoke config sends failures to its queue", program()),
        pass("a dead-letter queue instead of an invoke config", edit(drop(program(), "api-invoke"), "api", (p) => ({ ...p, deadLetterConfig: { targetArn: ref("api-failures", "arn") } }))),
        pass("a preview", program(), { preview: true }),
        fail("the invoke config removed", "ingest", drop(program(), "ingest-invoke")),
        fail("the invoke config without a destination", "ingest", edit(program(), "ingest-invoke", (p) => ({ ...p, destinationConfig: undefined }))),
        fail("the queue's URL where its ARN belongs", "ingest-invoke", setDestination("ingest", ref("ingest-failures", "url"))),
        fail("the destination computed from the log group", "api-invoke", setDestination("api", ref("api-logs", "arn"))),
        fail("a DLQ pointing at a log group", "api", edit(drop(program(), "api-invoke"), "api", (p) => ({ ...p, deadLetterConfig: { targetArn: ref("api-logs", "arn") } }))),
        fail("the invoke config names another function", "canary", edit(program(), "canary-invoke", (p) => ({ ...p, functionName: ref("api", "name") }))),
        fail("the failure queue keeps events a minute", "ingest-invoke", edit(program(), "ingest-failures", (p) => ({ ...p, messageRetentionSeconds: 60 }))),
        fail("a preview: the invoke config removed", "canary", drop(program(), "canary-invoke"), { preview: true }),
    ],
};
