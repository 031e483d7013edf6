import { drop, edit, editJson, json, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program, TY } from "../harness/scaffold";

const setDeny = (change: (s: any) => any) => (doc: any) => ({ ...doc, Statement: doc.Statement.map((s: any) => (s.Sid === "DenyInsecureTransport" ? change(s) : s)) });

export const fixtures: RuleFixtures = {
    rule: "s3-tls-only-policy",
    cases: [
        pass("the program", program()),
        // S3 User Guide, "Security best practices for Amazon S3: Enforce encryption of data in transit" (literal ARNs).
        pass("AWS's documented deny statement with literal ARNs", edit(program(), "data-policy", (p) => ({
            ...p, policy: json({
                Version: "2012-10-17", Statement: [{
                    Sid: "RestrictToTLSRequestsOnly", Action: "s3:*", Effect: "Deny", Principal: "*",
                    Resource: ["arn:aws:s3:::tandem-data-123456789012-us-east-1", "arn:aws:s3:::tandem-data-123456789012-us-east-1/*"],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                }],
            }),
        }))),
        pass("a preview: the policy embeds the unknown ARN, so the rule defers", program(), { preview: true, mayDefer: true }),
        fail("the deny statement removed", "data-policy", editJson(program(), "data-policy", "policy", (d) => ({ ...d, Statement: [{ Sid: "Read", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: "*" }] }))),
        fail("the deny covers the objects but not the bucket", "data-policy", editJson(program(), "data-policy", "policy", setDeny((s) => ({ ...s, Resource: [s.Resource[1]] })))),
        fail("the condition tests aws:SecureTransport true", "data-policy", editJson(program(), "data-policy", "policy", setDeny((s) => ({ ...s, Condition: { Bool: { "aws:SecureTransport": true } } })))),
        fail("the deny names the other bucket", "data-policy", editJson(program(), "data-policy", "policy", setDeny((s) => ({ ...s, Resource: [ref("logs", "arn"), `${"arn:aws:s3:::tandem-logs-123456789012-us-east-1"}/*`] })))),
        fail("the deny only covers s3:GetObject", "data-policy", editJson(program(), "data-policy", "policy", setDeny((s) => ({ ...s, Action: "s3:GetObject" })))),
        fail("no bucket policy at all", "data", drop(program(), "data-policy")),
        fail("a BucketV2 whose inline policy allows plain HTTP", "legacy", [{ type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:*", Resource: "arn:aws:s3:::legacy/*" }] }) } }]),
    ],
};
