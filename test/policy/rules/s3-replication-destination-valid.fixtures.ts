import { edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { arnOf, PEER_BUCKET, program } from "../harness/scaffold";

const setDestination = (change: (d: any) => any) => edit(program(), "replication", (p) => ({ ...p, rules: (p.rules as any[]).map((r) => ({ ...r, destination: change(r.destination) })) }));

export const fixtures: RuleFixtures = {
    rule: "s3-replication-destination-valid",
    cases: [
        pass("the peer bucket with the peer key", program()),
        pass("a preview", program(), { preview: true }),
        fail("the destination is the source bucket itself", "replication", setDestination((d) => ({ ...d, bucket: ref("data", "arn") }))),
        fail("the destination is the source bucket in a preview", "replication", setDestination((d) => ({ ...d, bucket: ref("data", "arn") })), { preview: true }),
        fail("a destination in us-west-2 with a replica key in eu-west-1", "replication", setDestination((d) => ({ ...d, encryptionConfiguration: { replicaKmsKeyId: arnOf.key("eu-west-1", "4444") } }))),
        fail("the destination bucket's name where its ARN belongs", "replication", setDestination((d) => ({ ...d, bucket: PEER_BUCKET }))),
        fail("the replica key by alias name (S3 takes a key ARN)", "replication", setDestination((d) => ({ ...d, encryptionConfiguration: { replicaKmsKeyId: "alias/tandem" } }))),
        fail("the replica key is the home key, the bucket the peer's", "replication", setDestination((d) => ({ ...d, encryptionConfiguration: { replicaKmsKeyId: ref("key", "arn") } }))),
    ],
};
