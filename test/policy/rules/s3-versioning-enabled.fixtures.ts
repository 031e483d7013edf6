import { drop, edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program, TY } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "s3-versioning-enabled",
    cases: [
        pass("the program", program()),
        pass("a BucketV2 with deprecated inline versioning, and a V2 side resource", [
            { type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", versioning: { enabled: true } } },
            { type: TY.bucketV2, name: "legacy2", inputs: { bucket: "legacy2" } },
            { type: "aws:s3/bucketVersioningV2:BucketVersioningV2", name: "legacy2-versioning", inputs: { bucket: "legacy2", versioningConfiguration: { status: "Enabled" } } },
        ]),
        fail("Suspended", "data-versioning", edit(program(), "data-versioning", (p) => ({ ...p, versioningConfiguration: { status: "Suspended" } }))),
        fail("removed", "data", drop(program(), "data-versioning")),
        fail("the versioning resource names the bucket by ARN", "logs", edit(program(), "logs-versioning", (p) => ({ ...p, bucket: ref("logs", "arn") }))),
        fail("inline versioning disabled on a BucketV2", "legacy", [{ type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", versioning: { enabled: false } } }]),
    ],
};
