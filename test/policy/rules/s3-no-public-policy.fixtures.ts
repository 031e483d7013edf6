import { editJson, ref, Res } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { ACCOUNT, program, TY } from "../harness/scaffold";

const addStatement = (statement: unknown): Res[] => editJson(program(), "data-policy", "policy", (d) => ({ ...d, Statement: [...d.Statement, statement] }));
const publicRead = (Condition?: unknown) => ({ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/*", ...(Condition ? { Condition } : {}) });

export const fixtures: RuleFixtures = {
    rule: "s3-no-public-policy",
    cases: [
        pass("the program", program()),
        // S3 User Guide, "Enabling Amazon S3 server access logging" (bucket policy for the logging service principal).
        pass("AWS's documented statement for the logging service, bound by aws:SourceArn and aws:SourceAccount", editJson(program(), "logs-policy", "policy", (d) => ({
            ...d, Statement: [...d.Statement, {
                Sid: "S3ServerAccessLogsPolicy", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: ["s3:PutObject"],
                Resource: "arn:aws:s3:::tandem-logs-123456789012-us-east-1/*",
                Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::tandem-data-123456789012-us-east-1" }, StringEquals: { "aws:SourceAccount": ACCOUNT } },
            }],
        }))),
        pass("everyone in the organization (aws:PrincipalOrgID)", addStatement(publicRead({ StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }))),
        fail("public read", "data-policy", addStatement(publicRead())),
        fail("\"*\" narrowed only by kms:ViaService (names a service, not an account)", "data-policy", addStatement(publicRead({ StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } }))),
        fail("a wildcard aws:SourceAccount", "data-policy", addStatement(publicRead({ StringLike: { "aws:SourceAccount": "*" } }))),
        fail("an IfExists operator (true when the key is absent)", "data-policy", addStatement(publicRead({ StringEqualsIfExists: { "aws:PrincipalAccount": ACCOUNT } }))),
        fail("a negated operator", "data-policy", addStatement(publicRead({ StringNotEquals: { "aws:PrincipalAccount": "999999999999" } }))),
        fail("Principal {AWS: \"*\"} with aws:SecureTransport only", "data-policy", addStatement({ ...publicRead({ Bool: { "aws:SecureTransport": "true" } }), Principal: { AWS: "*" } })),
        fail("a BucketV2's deprecated inline policy", "legacy", [{ type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", policy: JSON.stringify({ Statement: [publicRead()] }) } }]),
        fail("the logging service without a source condition (any account's buckets could log here)", "logs-policy", editJson(program(), "logs-policy", "policy", (d) => ({
            ...d, Statement: [...d.Statement, { Sid: "S3ServerAccessLogs", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::tandem-logs-123456789012-us-east-1/*" }],
        }))),
        fail("NotPrincipal (everyone but one role)", "data-policy", addStatement({ ...publicRead(), Principal: undefined, NotPrincipal: { AWS: ref("api-role", "arn") } })),
    ],
};
