// s3-replication-delete-markers: deletes reach the replica.
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { BUCKET, replicationRules } from "../../lib/s3";

export const policy = stackRule({
    name: "s3-replication-delete-markers",
    pillar: "reliability",
    description: "Replication rules replicate delete markers, so the replica does not serve deleted documents after a failover.",
    rationale: "In the filter-based (V2) schema delete markers are not replicated by default: a document deleted in the primary stays readable in the standby, and reappears after a failover.",
    anchors: ["AWS S3 docs: Replicating delete markers between buckets", "Well-Architected REL09-BP01"],
    satisfy: "Set deleteMarkerReplication.status \"Enabled\" on every Enabled rule (it needs a prefix filter, not a tag filter); Replication does.",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        for (const rule of replicationRules(graph, bucket).filter((r) => r.enabled)) {
            if (rule.deleteMarkers !== true) {
                report(rule.source, `Rule ${rule.id} of ${label(rule.source)} does not replicate delete markers: documents deleted in the primary stay readable in the replica.`);
            }
        }
    }),
});
