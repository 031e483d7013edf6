// s3-cross-region-replication: a primary's buckets replicate to another region.
import { PolicyResource } from "@pulumi/policy";
import { label, regionOf } from "../../lib/graph";
import { destinationFacts } from "../../lib/replication";
import { stackRule } from "../../lib/rule";
import { BUCKET, hasReplicationConfiguration, replicationRules } from "../../lib/s3";
import { isStandby, ROLE_SCHEMA, RoleSettings, stackRoleOf } from "../../lib/stackRole";

interface Settings extends RoleSettings {
    regionFromBucketName: boolean;
}

export const policy = stackRule<Settings>({
    name: "s3-cross-region-replication",
    pillar: "reliability",
    description: "On a primary stack, every bucket replicates all of its objects (an Enabled rule without a narrowing filter) to a bucket in another region.",
    rationale: "The store must survive the loss of its region: only a copy in another region, kept current by replication, gives the standby something to serve after a failover.",
    anchors: ["Checkov CKV_AWS_144", "Security Hub S3.7", "AWS Config s3-bucket-replication-enabled", "Well-Architected REL10-BP01"],
    satisfy: "Create a BucketReplicationConfig for the bucket with an Enabled rule whose destination is the peer region's bucket ARN, and name the replica key (in the peer region) by its ARN. Standby stacks (role tag \"standby\") are not required to replicate; a promoted standby whose peer is down runs with this rule set to advisory (policy/failover.policy-config.json).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            ...ROLE_SCHEMA,
            regionFromBucketName: { type: "boolean", default: true, description: "Read a destination bucket's region from a region code in its name when the bucket is not in this stack." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(...BUCKET).filter((b: PolicyResource) => !isStandby(b, config)), (bucket) => {
        if (!hasReplicationConfiguration(graph, bucket)) {
            report(bucket, `${label(bucket)} is not replicated to another region (no BucketReplicationConfig naming it); this stack's ${config.roleTag} is ${JSON.stringify(stackRoleOf(bucket, config.roleTag) ?? "not tagged")}.`);
            return;
        }
        const rules = replicationRules(graph, bucket);
        const active = rules.filter((r) => r.enabled);
        if (active.length === 0) {
            report(rules[0]?.source ?? bucket, `${label(bucket)}'s replication has no Enabled rule: nothing is replicated.`);
        }
        if (active.length > 0 && !active.some((r) => r.allObjects)) {
            report(active[0].source, `${label(bucket)}'s Enabled replication rules all filter (${active.map((r) => `${r.id}: ${JSON.stringify(r.filter)}`).join(", ")}): objects outside the filter (manifests, the canary's probes) are never copied to the other region.`);
        }
        const from = regionOf(bucket);
        for (const rule of active) {
            const facts = destinationFacts(graph, rule, config);
            const to = facts.bucketRegion?.region ?? facts.keyRegion?.region;
            if (!from || !to) {
                report(rule.source, `Rule ${rule.id} of ${label(rule.source)}: cannot tell ${from ? "which region it replicates to" : "which region the bucket is in"}; name the replica key (in the destination region) by its ARN.`);
            } else if (from === to) {
                report(rule.source, `Rule ${rule.id} of ${label(rule.source)} replicates within ${from} (from ${facts.bucketRegion?.from ?? facts.keyRegion?.from}): losing the region loses both copies.`);
            }
        }
    }),
});
