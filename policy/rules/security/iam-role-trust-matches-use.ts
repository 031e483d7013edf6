// iam-role-trust-matches-use: a role is assumable by the service that uses it, and only by it.
import { PolicyResource } from "@pulumi/policy";
import { label, StackGraph } from "../../lib/graph";
import { roleOf, trustedPrincipals } from "../../lib/identity";
import { stackRule } from "../../lib/rule";
import { BUCKET, replicationRules } from "../../lib/s3";
import { T } from "../../lib/types";

interface Use {
    user: PolicyResource;
    prop: string;
    service: string;
}

/** Who uses each role of the stack, and which service principal must assume it for that use. */
function uses(graph: StackGraph): Map<string, Use[]> {
    const byRole = new Map<string, Use[]>();
    const add = (role: PolicyResource, use: Use) => byRole.set(role.urn, [...(byRole.get(role.urn) ?? []), use]);
    for (const fn of graph.ofType(T.function)) {
        roleOf(graph, fn, "role").forEach((r) => add(r, { user: fn, prop: "role", service: "lambda.amazonaws.com" }));
    }
    for (const c of graph.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")) {
        roleOf(graph, c, "role").forEach((r) => add(r, { user: c, prop: "role", service: "s3.amazonaws.com" }));
    }
    for (const bucket of graph.ofType(...BUCKET)) {
        for (const rule of replicationRules(graph, bucket).filter((x) => x.source.urn === bucket.urn)) {
            graph.candidatesFor(rule.role, rule.roleSources, [T.role], ["arn"]).forEach((r) => add(r, { user: bucket, prop: "replicationConfiguration", service: "s3.amazonaws.com" }));
        }
    }
    for (const t of graph.ofType(T.eventTarget)) {
        roleOf(graph, t, "roleArn").forEach((r) => add(r, { user: t, prop: "roleArn", service: "events.amazonaws.com" }));
    }
    return byRole;
}

export const policy = stackRule({
    name: "iam-role-trust-matches-use",
    pillar: "security",
    description: "Each role is trusted by exactly the service that uses it (a function's role by lambda.amazonaws.com, a replication configuration's by s3.amazonaws.com), is used for one purpose, and is referenced by its ARN.",
    rationale: "A role judged alone can look least-privilege and still be wrong: a replication role that Lambda may also assume hands the replication permissions to any function given it; a role used by two services carries the union of both needs. The service that must assume it is known from the resource that uses it.",
    anchors: ["IAM docs: Creating a role to delegate permissions to an AWS service", "Serverless Lens SEC 1 (one role per function)", "Well-Architected SEC03-BP02"],
    satisfy: "Give every function its own role trusted only by lambda.amazonaws.com (HardenedFunction does) and the replication configuration a role trusted only by s3.amazonaws.com (Replication does); pass role.arn, not its name or id.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => {
        const roleUses = uses(graph);
        each(graph.ofType(T.role), (role) => {
            const list = roleUses.get(role.urn) ?? [];
            if (list.length === 0) {
                return;
            }
            const needed = [...new Set(list.map((u) => u.service))];
            if (needed.length > 1) {
                report(role, `${label(role)} is used by ${list.map((u) => label(u.user)).join(", ")}, which need different services to assume it (${needed.join(", ")}): give each use its own role.`);
            }
            const functions = list.filter((u) => u.user.type === T.function);
            if (functions.length > 1) {
                report(role, `${label(role)} is shared by ${functions.map((u) => label(u.user)).join(", ")}: each function gets its own role, so it holds only its own permissions.`);
            }
            const trust = trustedPrincipals(role);
            if (trust.error) {
                return; // iam-trust-policy-scoped reports unreadable trust policies.
            }
            for (const service of needed) {
                if (!trust.services.includes(service)) {
                    report(role, `${label(role)} is used by ${list.filter((u) => u.service === service).map((u) => label(u.user)).join(", ")} but its trust policy does not let ${service} assume it (it trusts ${[...trust.services, ...trust.others].join(", ") || "nobody"}).`);
                }
            }
            const extra = [...trust.services.filter((s) => !needed.includes(s)), ...trust.others];
            if (extra.length > 0) {
                report(role, `${label(role)} is used by ${needed.join(", ")} only, but its trust policy also lets ${extra.join(", ")} assume it.`);
            }
        });
        // A user naming a role of the stack by another attribute (its name or id) is a broken reference.
        each([...graph.ofType(T.function), ...graph.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")], (user) => {
            const computedFrom = graph.inputSources(user, "role", [T.role]);
            const byArn = roleOf(graph, user, "role");
            for (const role of computedFrom.filter((r) => !byArn.some((x) => x.urn === r.urn))) {
                report(user, `${label(user)}'s role is computed from ${label(role)} but is not its ARN (the API takes the role's ARN).`);
            }
        });
    },
});
