import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { key, topic } from "../harness/scaffold";

const topics = () => [...key(), topic()];

export const fixtures: RuleFixtures = {
    rule: "sns-topic-kms",
    cases: [
        pass("the alarm topic with the region key", topics()),
        pass("the AWS managed key when configured to accept it", edit(topics(), "alarms", (p) => ({ ...p, kmsMasterKeyId: "alias/aws/sns" })), { config: { "sns-topic-kms": { allowAwsManagedKey: true } } }),
        fail("unencrypted", "alarms", edit(topics(), "alarms", (p) => ({ ...p, kmsMasterKeyId: undefined }))),
        fail("the AWS managed key", "alarms", edit(topics(), "alarms", (p) => ({ ...p, kmsMasterKeyId: "alias/aws/sns" }))),
        fail("a queue's ARN where the key belongs", "alarms", edit(topics(), "alarms", (p) => ({ ...p, kmsMasterKeyId: "arn:aws:sqs:us-east-1:123456789012:tandem-api-failures" }))),
    ],
};
