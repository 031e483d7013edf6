import { drop, edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { arnOf, HOME, PEER_BUCKET, program, provider, TY } from "../harness/scaffold";

const setRule = (change: (r: any) => any) => edit(program(), "replication", (p) => ({ ...p, rules: (p.rules as any[]).map(change) }));
const primaryWithoutReplication = () => drop(program(), "replication", "replication-role", "replication-policy", "replication-failed", "replication-latency");

export const fixtures: RuleFixtures = {
    rule: "s3-cross-region-replication",
    cases: [
        pass("a primary replicating to us-west-2", program()),
        pass("a standby (its bucket is the replica)", program("standby")),
        pass("a preview", program(), { preview: true }),
        fail("replication removed on the primary", "data", primaryWithoutReplication()),
        fail("the rule disabled", "replication", setRule((r) => ({ ...r, status: "Disabled" }))),
        fail("destination and replica key both in the home region", "replication", setRule((r) => ({ ...r, destination: { ...r.destination, bucket: `arn:aws:s3:::tandem-copy-123456789012-${HOME}`, encryptionConfiguration: { replicaKmsKeyId: arnOf.key(HOME, "1111") } } }))),
        fail("a BucketV2 with the deprecated inline replication to its own region", "legacy", [provider(), {
            type: TY.bucketV2, name: "legacy",
            inputs: { bucket: "legacy", replicationConfiguration: { role: "arn:aws:iam::123456789012:role/r", rules: [{ id: "r", status: "Enabled", destination: { bucket: "arn:aws:s3:::legacy-copy", replicaKmsKeyId: arnOf.key(HOME, "2222") } }] } },
        }]),
        fail("the rule replicates documents only (the canary's probes and manifests stay behind)", "replication", setRule((r) => ({ ...r, filter: { prefix: "objects/" } }))),
        fail("nothing names the destination's region", "replication", setRule((r) => ({ ...r, destination: { bucket: "arn:aws:s3:::some-copy", encryptionConfiguration: { replicaKmsKeyId: "alias/peer" } } }))),
        fail("a preview: the peer provider points at the home region", "replication", setRule((r) => ({ ...r, destination: { ...r.destination, bucket: `arn:aws:s3:::${PEER_BUCKET.replace("us-west-2", HOME)}`, encryptionConfiguration: { replicaKmsKeyId: arnOf.key(HOME, "3333") } } })), { preview: true }),
    ],
};
