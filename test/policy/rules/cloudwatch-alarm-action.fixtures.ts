import { edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const FOUNDATION_TOPIC = "arn:aws:sns:us-east-1:123456789012:foundation-alarms";

export const fixtures: RuleFixtures = {
    rule: "cloudwatch-alarm-action",
    cases: [
        pass("every alarm notifies the alarm topic by its ARN", program()),
        pass("a preview", program(), { preview: true }),
        pass("a foundation's topic listed as external", edit(program(), "api-errors", (p) => ({ ...p, alarmActions: [FOUNDATION_TOPIC], okActions: [] })), { config: { "cloudwatch-alarm-action": { externalTopicArns: [FOUNDATION_TOPIC] } } }),
        fail("actions to the failure queue", "api-errors", edit(program(), "api-errors", (p) => ({ ...p, alarmActions: [ref("api-failures", "arn")] }))),
        fail("actions disabled", "canary-errors", edit(program(), "canary-errors", (p) => ({ ...p, actionsEnabled: false }))),
        fail("no alarm actions", "ingest-throttles", edit(program(), "ingest-throttles", (p) => ({ ...p, alarmActions: [] }))),
        fail("the topic's name instead of its ARN", "api-throttles", edit(program(), "api-throttles", (p) => ({ ...p, alarmActions: [ref("alarms", "name")] }))),
        fail("a topic in another region", "replication-lag", edit(program(), "replication-lag", (p) => ({ ...p, alarmActions: ["arn:aws:sns:us-west-2:123456789012:tandem-alarms"] }))),
        fail("a hard-coded topic that is not the stack's", "ingest-errors", edit(program(), "ingest-errors", (p) => ({ ...p, okActions: [FOUNDATION_TOPIC] }))),
        fail("a preview: actions computed from the function", "canary-throttles", edit(program(), "canary-throttles", (p) => ({ ...p, alarmActions: [ref("canary", "arn")] })), { preview: true }),
    ],
};
