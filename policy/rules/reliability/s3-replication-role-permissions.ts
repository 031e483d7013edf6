// s3-replication-role-permissions: the replication role can do what S3 replication does, on the buckets
// and keys the rule names.
import { label } from "../../lib/graph";
import { Statement, statementCovers } from "../../lib/iam";
import { globRegExp } from "../../lib/iamActions";
import { roleGrants, statementsOf } from "../../lib/identity";
import { stackRule } from "../../lib/rule";
import { BUCKET, bucketArn, encryptionRules, replicationRules } from "../../lib/s3";
import { T } from "../../lib/types";
import { isUnknown } from "../../lib/values";

/** A sample key: replication acts on every object, so a grant must reach any key. */
const ANY_KEY = "objects/any-document";

function grants(statements: Statement[], action: string, arn: string): boolean {
    return statements.some((s) => s.effect === "Allow" && statementCovers(s, action)
        && (s.notResources ? !s.notResources.some((r) => globRegExp(r, false).test(arn)) : (s.resources ?? []).some((r) => globRegExp(r, false).test(arn))));
}

const known = (v: unknown): v is string => typeof v === "string" && v !== "" && !isUnknown(v);

export const policy = stackRule({
    name: "s3-replication-role-permissions",
    pillar: "reliability",
    description: "The role of each Enabled replication rule is granted what S3 replication needs, on the very buckets and keys the rule names: read the configuration and versions of the source, replicate into the destination, decrypt with the source key and encrypt with the replica key.",
    rationale: "S3 accepts a replication configuration whose role lacks a permission and then fails every object (OperationsFailedReplication); a grant computed from the right kind of thing but naming the source bucket where the destination belongs, or the home key where the replica key belongs, looks least-privilege and replicates nothing.",
    anchors: ["AWS S3 docs: Setting up permissions for live replication", "AWS S3 docs: Granting additional permissions for SSE-KMS replication", "Well-Architected REL09-BP02"],
    satisfy: "Give the replication role (Replication does) s3:GetReplicationConfiguration and s3:ListBucket on the source bucket, s3:GetObjectVersionForReplication / GetObjectVersionAcl / GetObjectVersionTagging on its objects, s3:ReplicateObject / ReplicateDelete / ReplicateTags on the destination's objects, kms:Decrypt on the source bucket's key and kms:Encrypt on the replica key.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const source = bucketArn(bucket);
        const sourceKeys = encryptionRules(graph, bucket).map((r) => r.kmsKeyId).filter(known).filter((k) => /^arn:aws[a-z-]*:kms:[^:]*:[^:]*:key\//.test(k));
        for (const rule of replicationRules(graph, bucket).filter((r) => r.enabled)) {
            for (const role of graph.candidatesFor(rule.role, rule.roleSources, [T.role], ["arn"])) {
                const statements = roleGrants(graph, role).documents.flatMap((d) => statementsOf(d).statements);
                const needed: [string, string][] = [];
                if (source) {
                    needed.push(["s3:GetReplicationConfiguration", source], ["s3:ListBucket", source],
                        ["s3:GetObjectVersionForReplication", `${source}/${ANY_KEY}`], ["s3:GetObjectVersionAcl", `${source}/${ANY_KEY}`], ["s3:GetObjectVersionTagging", `${source}/${ANY_KEY}`]);
                }
                if (known(rule.destination)) {
                    needed.push(["s3:ReplicateObject", `${rule.destination}/${ANY_KEY}`], ["s3:ReplicateTags", `${rule.destination}/${ANY_KEY}`]);
                    if (rule.deleteMarkers === true) {
                        needed.push(["s3:ReplicateDelete", `${rule.destination}/${ANY_KEY}`]);
                    }
                }
                if (rule.kmsObjects === true) {
                    sourceKeys.forEach((k) => needed.push(["kms:Decrypt", k]));
                    // An alias ARN is authorized on the key it points to, which the pack cannot resolve offline.
                    if (known(rule.replicaKmsKeyId) && /^arn:aws[a-z-]*:kms:[^:]*:[^:]*:key\//.test(rule.replicaKmsKeyId)) {
                        needed.push(["kms:Encrypt", rule.replicaKmsKeyId]);
                    }
                }
                const missing = needed.filter(([action, arn]) => !grants(statements, action, arn));
                if (missing.length > 0) {
                    report(role, `${label(role)} replicates ${label(bucket)} (rule ${rule.id}) but is not allowed ${missing.map(([a, r]) => `${a} on ${r}`).join("; ")}: S3 would fail every replication.`);
                }
            }
        }
    }),
});
