import { editJson, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program, TY } from "../harness/scaffold";

const addApi = (role: "primary" | "standby", s: unknown) => editJson(program(role), "api-policy", "policy", (d) => ({ ...d, Statement: [...d.Statement, s] }));

export const fixtures: RuleFixtures = {
    rule: "iam-standby-api-read-only",
    cases: [
        pass("a standby's api reads only", program("standby")),
        pass("a primary's api writes", program("primary")),
        pass("the ingest function may write manifests on a standby (it answers no client)", program("standby")),
        fail("a standby's api may PutObject", "api-policy", addApi("standby", { Sid: "WriteDocuments", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/objects/*" })),
        fail("a standby's api with s3:*Object", "api-policy", addApi("standby", { Sid: "Objects", Effect: "Allow", Action: "s3:*Object", Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/objects/*" })),
        fail("a standby's api may tag objects", "api-policy", addApi("standby", { Sid: "Tag", Effect: "Allow", Action: "s3:PutObjectTagging", Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/objects/*" })),
        fail("a standby's api role with AmazonS3FullAccess attached", "api-role", [...program("standby"), { type: TY.rolePolicyAttachment, name: "s3-full", inputs: { role: ref("api-role", "id"), policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" } }]),
    ],
};
