import { editJson, fmt, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { PEER_BUCKET, PEER_KEY, program } from "../harness/scaffold";

const setStatement = (sid: string, change: (s: any) => any) => editJson(program(), "replication-policy", "policy", (d) => ({ ...d, Statement: d.Statement.map((s: any) => (s.Sid === sid ? change(s) : s)) }));

export const fixtures: RuleFixtures = {
    rule: "s3-replication-role-permissions",
    cases: [
        // S3 User Guide, "Setting up permissions for live replication" and "Granting additional permissions
        // for SSE-KMS replication": the scaffold's replication role is that documented policy.
        pass("AWS's documented SSE-KMS replication role", program()),
        pass("the same grants split differently (one statement per bucket)", editJson(program(), "replication-policy", "policy", (d) => ({
            ...d, Statement: [
                { Sid: "Source", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource: [ref("data", "arn"), fmt`${ref("data", "arn")}/*`] },
                { Sid: "Destination", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: `arn:aws:s3:::${PEER_BUCKET}/*` },
                { Sid: "Keys", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt"], Resource: [ref("key", "arn"), PEER_KEY] },
            ],
        }))),
        fail("replicas written to the source bucket's objects, not the destination's", "replication-role", setStatement("WriteReplicas", (s) => ({ ...s, Resource: fmt`${ref("data", "arn")}/*` }))),
        fail("kms:Encrypt on the home key instead of the replica key", "replication-role", setStatement("EncryptReplicas", (s) => ({ ...s, Resource: ref("key", "arn") }))),
        fail("no kms:Decrypt on the source key", "replication-role", editJson(program(), "replication-policy", "policy", (d) => ({ ...d, Statement: d.Statement.filter((s: any) => s.Sid !== "DecryptSourceObjects") }))),
        fail("the versions read on the bucket ARN instead of its objects", "replication-role", setStatement("ReadSourceVersions", (s) => ({ ...s, Resource: ref("data", "arn") }))),
        fail("ReplicateDelete dropped while delete markers replicate", "replication-role", setStatement("WriteReplicas", (s) => ({ ...s, Action: ["s3:ReplicateObject", "s3:ReplicateTags"] }))),
    ],
};
