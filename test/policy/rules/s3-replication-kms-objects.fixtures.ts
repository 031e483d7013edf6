import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { arnOf, program, provider, TY } from "../harness/scaffold";

const setRule = (change: (r: any) => any) => edit(program(), "replication", (p) => ({ ...p, rules: (p.rules as any[]).map(change) }));

export const fixtures: RuleFixtures = {
    rule: "s3-replication-kms-objects",
    cases: [
        pass("SSE-KMS objects selected, replica key named", program()),
        fail("sseKmsEncryptedObjects Disabled", "replication", setRule((r) => ({ ...r, sourceSelectionCriteria: { ...r.sourceSelectionCriteria, sseKmsEncryptedObjects: { status: "Disabled" } } }))),
        fail("no replica key", "replication", setRule((r) => ({ ...r, destination: { bucket: r.destination.bucket, metrics: r.destination.metrics } }))),
        fail("the deprecated inline form without sseKmsEncryptedObjects", "legacy", [provider(), {
            type: TY.bucketV2, name: "legacy",
            inputs: {
                bucket: "legacy",
                serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: arnOf.key("us-east-1", "k") }, bucketKeyEnabled: true } },
                replicationConfiguration: { role: "arn:aws:iam::123456789012:role/r", rules: [{ id: "r", status: "Enabled", destination: { bucket: "arn:aws:s3:::legacy-copy-us-west-2", replicaKmsKeyId: arnOf.key("us-west-2", "k") } }] },
            },
        }]),
    ],
};
