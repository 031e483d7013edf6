import { editJson, json } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { ACCOUNT, key, TY } from "../harness/scaffold";

const withStatement = (s: unknown) => editJson(key(), "key", "policy", (d) => ({ ...d, Statement: [...d.Statement, s] }));
const anyone = (Condition?: unknown) => ({ Sid: "Anyone", Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*", ...(Condition ? { Condition } : {}) });

export const fixtures: RuleFixtures = {
    rule: "kms-key-policy-no-public-principal",
    cases: [
        pass("the region key", key()),
        // The key policy AWS gives its managed keys (aws/s3): "*" bound by kms:CallerAccount and kms:ViaService
        // (AWS KMS Developer Guide, "AWS managed keys": example key policy).
        pass("AWS's managed-key policy shape: \"*\" with kms:CallerAccount and kms:ViaService", withStatement(anyone({ StringEquals: { "kms:CallerAccount": ACCOUNT, "kms:ViaService": "s3.us-east-1.amazonaws.com" } }))),
        fail("\"*\" without a condition", "key", withStatement(anyone())),
        fail("\"*\" with kms:ViaService alone (any account's S3 requests come via S3)", "key", withStatement(anyone({ StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } }))),
        fail("a KeyPolicy resource with a wildcard kms:CallerAccount", "key-policy", [{ type: TY.keyPolicy, name: "key-policy", inputs: { keyId: "k", policy: json({ Statement: [anyone({ StringLike: { "kms:CallerAccount": "*" } })] }) } }]),
        fail("a ReplicaKey whose policy trusts \"*\"", "replica", [{ type: TY.replicaKey, name: "replica", inputs: { primaryKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-1", policy: json({ Statement: [{ ...anyone(), Principal: "*" }] }) } }]),
    ],
};
