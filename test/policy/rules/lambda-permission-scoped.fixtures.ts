import { edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { ACCOUNT, program, TY } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "lambda-permission-scoped",
    cases: [
        pass("the program: S3 → ingest and EventBridge → canary, each naming its source", program()),
        pass("a preview: the sources' ARNs are unknown but computed from them", program(), { preview: true }),
        pass("the edge's CloudFront permission (any distribution of this account, by design)", [...program(), {
            type: TY.permission, name: "edge-invoke",
            inputs: { function: ref("api", "name"), action: "lambda:InvokeFunctionUrl", principal: "cloudfront.amazonaws.com", sourceArn: `arn:aws:cloudfront::${ACCOUNT}:distribution/*`, sourceAccount: ACCOUNT, functionUrlAuthType: "AWS_IAM" },
        }]),
        fail("S3 without sourceAccount", "ingest-permission", edit(program(), "ingest-permission", (p) => ({ ...p, sourceAccount: undefined }))),
        fail("no sourceArn", "canary-permission", edit(program(), "canary-permission", (p) => ({ ...p, sourceArn: undefined }))),
        fail("a sourceArn that matches every bucket", "ingest-permission", edit(program(), "ingest-permission", (p) => ({ ...p, sourceArn: "arn:aws:s3:::*" }))),
        fail("a sourceArn naming the log bucket while the data bucket notifies", "ingest-permission", edit(program(), "ingest-permission", (p) => ({ ...p, sourceArn: ref("logs", "arn") }))),
        fail("EventBridge with the function's own ARN as sourceArn", "canary-permission", edit(program(), "canary-permission", (p) => ({ ...p, sourceArn: ref("canary", "arn") }))),
        fail("a rule name where its ARN belongs", "canary-permission", edit(program(), "canary-permission", (p) => ({ ...p, sourceArn: ref("canary-schedule", "name") }))),
        fail("every rule of the account", "canary-permission", edit(program(), "canary-permission", (p) => ({ ...p, sourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/*` }))),
        fail("a wildcard action", "canary-permission", edit(program(), "canary-permission", (p) => ({ ...p, action: "lambda:*" }))),
        fail("principal \"*\"", "open", [...program(), { type: TY.permission, name: "open", inputs: { function: ref("api", "name"), action: "lambda:InvokeFunction", principal: "*" } }]),
    ],
};
