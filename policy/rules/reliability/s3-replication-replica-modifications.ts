// s3-replication-replica-modifications: replica metadata changes sync back, ready for failback.
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, replicationRules } from "../../lib/s3";

export const policy = stackRule({
    name: "s3-replication-replica-modifications",
    pillar: "reliability",
    description: "Enabled replication rules sync replica modifications (sourceSelectionCriteria.replicaModifications Enabled).",
    rationale: "After a failover the standby's bucket takes writes and replication runs the other way; without replica modification sync, metadata changes made on replicas (tags, ACL, Object Lock) are not carried back and the two copies drift apart at failback.",
    anchors: ["AWS S3 docs: Replicating metadata changes with replica modification sync", "Well-Architected REL10-BP01"],
    satisfy: "Set sourceSelectionCriteria.replicaModifications.status \"Enabled\" on every Enabled rule of the BucketReplicationConfig (Replication does; the deprecated inline form cannot express it and is not checked).",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        for (const rule of replicationRules(graph, bucket).filter((r) => r.enabled)) {
            if (rule.replicaModifications === false) {
                report(rule.source, `Rule ${rule.id} of ${label(rule.source)} does not sync replica modifications: after a failover, changes made on replicas are not carried back to ${label(bucket)}.`);
            }
        }
    }),
});
