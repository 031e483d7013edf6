import { edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program, TY } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "iam-no-admin-managed-policy",
    cases: [
        pass("no managed policies", program()),
        pass("a read-only managed policy", [...program(), { type: TY.rolePolicyAttachment, name: "xray", inputs: { role: ref("api-role", "id"), policyArn: "arn:aws:iam::aws:policy/AWSXrayReadOnlyAccess" } }]),
        fail("AmazonS3FullAccess attached", "s3-full", [...program(), { type: TY.rolePolicyAttachment, name: "s3-full", inputs: { role: ref("api-role", "id"), policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" } }]),
        fail("AdministratorAccess through the role's managedPolicyArns", "api-role", edit(program(), "api-role", (p) => ({ ...p, managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }))),
        fail("AWSLambda_FullAccess (what CallbackFunction attaches without a role)", "lambda-full", [...program(), { type: TY.rolePolicyAttachment, name: "lambda-full", inputs: { role: ref("ingest-role", "id"), policyArn: "arn:aws:iam::aws:policy/AWSLambda_FullAccess" } }]),
    ],
};
