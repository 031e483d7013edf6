// s3-replication-destination-valid: the destination is another bucket, named by its ARN, in the region
// of the replica key.
import { label } from "../../lib/graph";
import { keyReferenceProblem } from "../../lib/kms";
import { destinationFacts, replicatesToItself } from "../../lib/replication";
import { stackRule } from "../../lib/rule";
import { BUCKET, destinationBucketName, replicationRules } from "../../lib/s3";
import { isUnknown } from "../../lib/values";

export const policy = stackRule<{ regionFromBucketName: boolean }>({
    name: "s3-replication-destination-valid",
    pillar: "reliability",
    description: "Every Enabled replication rule names another bucket by its ARN as destination, and a replica key (by ARN) in that bucket's region.",
    rationale: "S3 accepts a replication configuration whose destination is the source itself, or whose replica key lives in another region than the destination bucket, and then fails every replication silently (S3 does not validate the key: REFERENCE.md); a value computed from the right bucket but holding its name instead of its ARN is rejected at deployment.",
    anchors: ["AWS S3 docs: Replicating objects encrypted with SSE-KMS (ReplicaKmsKeyID)", "AWS S3 API Reference: Destination (Bucket is the destination bucket's ARN)", "Well-Architected REL09-BP02"],
    satisfy: "Set destination.bucket to the peer bucket's ARN (findPeer's bucketArn) and destination.encryptionConfiguration.replicaKmsKeyId to the ARN of the peer region's key (findPeer's keyArn), never this stack's own bucket or key.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            regionFromBucketName: { type: "boolean", default: true, description: "Read a destination bucket's region from a region code in its name when the bucket is not in this stack." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(...BUCKET), (bucket) => {
        for (const rule of replicationRules(graph, bucket).filter((r) => r.enabled)) {
            const where = `Rule ${rule.id} of ${label(rule.source)}`;
            if (rule.destination === undefined || rule.destination === null || rule.destination === "") {
                report(rule.source, `${where} has no destination bucket.`);
                continue;
            }
            if (typeof rule.destination === "string" && !isUnknown(rule.destination) && destinationBucketName(rule) === undefined) {
                report(rule.source, `${where}'s destination ${JSON.stringify(rule.destination)} is not a bucket ARN (arn:aws:s3:::<name>).`);
                continue;
            }
            if (replicatesToItself(graph, rule, bucket)) {
                report(rule.source, `${where} replicates ${label(bucket)} into itself.`);
                continue;
            }
            if (rule.replicaKmsKeyId !== undefined && rule.replicaKmsKeyId !== null) {
                const problem = keyReferenceProblem(rule.replicaKmsKeyId, [], { arnOnly: true });
                if (problem) {
                    report(rule.source, `${where}'s replicaKmsKeyId: ${problem}.`);
                    continue;
                }
            }
            const facts = destinationFacts(graph, rule, config);
            if (facts.bucketRegion && facts.keyRegion && facts.bucketRegion.region !== facts.keyRegion.region) {
                report(rule.source, `${where} writes to a bucket in ${facts.bucketRegion.region} (${facts.bucketRegion.from}) with a replica key in ${facts.keyRegion.region} (${facts.keyRegion.from}): S3 accepts it, then fails every replication.`);
            }
        }
    }),
});
