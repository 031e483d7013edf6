import { drop, edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program, TY } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "s3-access-logging",
    cases: [
        pass("the program (the log bucket is exempt with its reason)", program()),
        pass("a data bucket exempt with a written reason", edit(drop(program(), "data-logging"), "data", (p) => ({ ...p, tags: { "tandem:policy-exempt:s3-access-logging": "logs are shipped by the organisation trail instead" } }))),
        pass("a BucketV2 with the deprecated inline logging", [
            { type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", logging: { targetBucket: "legacy-logs", targetPrefix: "x/" } } },
            { type: TY.bucketV2, name: "legacy-logs", inputs: { bucket: "legacy-logs", tags: { "tandem:policy-exempt:s3-access-logging": "this bucket is the access log target itself" } } },
        ]),
        fail("logging removed", "data", drop(program(), "data-logging")),
        fail("the bucket logs to itself", "data-logging", edit(program(), "data-logging", (p) => ({ ...p, targetBucket: ref("data", "bucket") }))),
        fail("the logging resource names the bucket by its ARN", "data", edit(program(), "data-logging", (p) => ({ ...p, bucket: ref("data", "arn") }))),
        fail("an exemption with a placeholder reason exempts nothing", "data", edit(drop(program(), "data-logging"), "data", (p) => ({ ...p, tags: { "tandem:policy-exempt:s3-access-logging": "n/a" } }))),
    ],
};
