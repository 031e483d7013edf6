import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const group = () => program();

export const fixtures: RuleFixtures = {
    rule: "cloudwatch-log-group-kms",
    cases: [
        pass("the function's log group with the region key", group()),
        pass("a preview: the key's ARN is unknown", group(), { preview: true }),
        fail("no kmsKeyId", "api-logs", edit(group(), "api-logs", (p) => ({ ...p, kmsKeyId: undefined }))),
        fail("the key's alias instead of its ARN (CloudWatch Logs takes an ARN)", "api-logs", edit(group(), "api-logs", (p) => ({ ...p, kmsKeyId: "alias/tandem" }))),
        fail("a bucket's ARN where the key belongs", "api-logs", edit(group(), "api-logs", (p) => ({ ...p, kmsKeyId: "arn:aws:s3:::tandem-data-123456789012-us-east-1" }))),
    ],
};
