// s3-replication-kms-objects: replication of an SSE-KMS bucket includes KMS-encrypted objects.
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, encryptionRules, replicationRules } from "../../lib/s3";

export const policy = stackRule({
    name: "s3-replication-kms-objects",
    pillar: "reliability",
    description: "Replication of an SSE-KMS bucket includes KMS-encrypted objects and names the replica key.",
    rationale: "By default S3 skips objects encrypted with SSE-KMS: without sseKmsEncryptedObjects and a replica key, a bucket whose every object uses the region key replicates nothing, silently.",
    anchors: ["Security Hub S3.7", "AWS S3 docs: Replicating objects encrypted with SSE-KMS"],
    satisfy: "On every Enabled rule set sourceSelectionCriteria.sseKmsEncryptedObjects.status \"Enabled\" and destination.encryptionConfiguration.replicaKmsKeyId to the peer region's key (Replication does).",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const kms = encryptionRules(graph, bucket).some((r) => typeof r.algorithm === "string" && r.algorithm.startsWith("aws:kms"));
        if (!kms) {
            return;
        }
        for (const rule of replicationRules(graph, bucket).filter((r) => r.enabled)) {
            if (rule.kmsObjects !== true) {
                report(rule.source, `Rule ${rule.id} of ${label(rule.source)} does not replicate SSE-KMS objects (sourceSelectionCriteria.sseKmsEncryptedObjects): ${label(bucket)} encrypts every object with KMS, so nothing would be replicated.`);
            }
            if (rule.replicaKmsKeyId === undefined || rule.replicaKmsKeyId === null || rule.replicaKmsKeyId === "") {
                report(rule.source, `Rule ${rule.id} of ${label(rule.source)} names no replica key (destination.encryptionConfiguration.replicaKmsKeyId).`);
            }
        }
    }),
});
