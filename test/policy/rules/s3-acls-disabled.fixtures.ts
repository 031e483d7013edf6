import { drop, edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program, TY } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "s3-acls-disabled",
    cases: [
        pass("the program", program()),
        fail("ownership ObjectWriter", "data-ownership", edit(program(), "data-ownership", (p) => ({ ...p, rule: { objectOwnership: "ObjectWriter" } }))),
        fail("ownership controls removed", "data", drop(program(), "data-ownership")),
        fail("a BucketAcl granting public-read", "data-acl", [...program(), { type: TY.acl, name: "data-acl", inputs: { bucket: ref("data", "id"), acl: "public-read" } }]),
        fail("a BucketV2 with the deprecated inline acl", "legacy", [{ type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", acl: "public-read" } }]),
    ],
};
