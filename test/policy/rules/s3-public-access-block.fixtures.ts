import { drop, edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "s3-public-access-block",
    cases: [
        pass("the program", program()),
        pass("a preview: the block names the bucket by its (unknown) id", program(), { preview: true }),
        fail("the block removed", "data", drop(program(), "data-pab")),
        fail("blockPublicPolicy false", "data-pab", edit(program(), "data-pab", (p) => ({ ...p, blockPublicPolicy: false }))),
        fail("restrictPublicBuckets left out", "logs-pab", edit(program(), "logs-pab", (p) => ({ ...p, restrictPublicBuckets: undefined }))),
        fail("the block names the bucket by its ARN (the wrong attribute)", "data", edit(program(), "data-pab", (p) => ({ ...p, bucket: ref("data", "arn") }))),
        fail("the block names the other bucket", "data", edit(program(), "data-pab", (p) => ({ ...p, bucket: ref("logs", "id") }))),
        fail("a preview: the block removed", "data", drop(program(), "data-pab"), { preview: true }),
    ],
};
