// Identity policies and the roles they belong to. A role's permissions are the union of its inline
// RolePolicies, its `inlinePolicies`, the customer managed Policies attached to it (RolePolicyAttachment,
// PolicyAttachment, RolePolicyAttachmentsExclusive, the deprecated managedPolicyArns) and AWS managed
// policies, whose content the pack cannot read offline. A RolePolicy belongs to a role when its
// `role` input is the role's name (`name`/`id`, as the IAM API takes it); an attachment's policyArn
// must be the policy's ARN.
import { PolicyResource } from "@pulumi/policy";
import { label, StackGraph } from "./graph";
import { parsePolicyDocument, Statement, statementCovers } from "./iam";
import { T } from "./types";
import { known, knownList, rawGet } from "./values";

/** An identity policy document, where it comes from and how to name it in messages. */
export interface IdentityDocument {
    source: PolicyResource;
    where: string;
    document: unknown;
}

export const IDENTITY_POLICY_TYPES = [T.rolePolicy, T.userPolicy, T.groupPolicy, T.policy, T.role];
const ROLE_NAME_ATTRS = ["name", "id"];
const POLICY_ARN_ATTRS = ["arn", "id"];

/** The documents a resource holds: its `policy`, or for a role its `inlinePolicies` (throws while unknown). */
export function documentsOf(r: PolicyResource): IdentityDocument[] {
    if (r.type === T.role) {
        return knownList(r.props, "inlinePolicies").map((p, i) => ({
            source: r, where: `inline policy ${JSON.stringify(rawGet(p, "name") ?? i)} of ${label(r)}`, document: known(p, "policy"),
        })).filter((d) => d.document !== undefined);
    }
    return [{ source: r, where: label(r), document: known(r.props, "policy") }];
}

/** Each statement of a document, or the reason it cannot be read. */
export function statementsOf(d: IdentityDocument): { statements: Statement[]; error?: string } {
    const doc = parsePolicyDocument(d.document);
    return doc.ok ? { statements: doc.statements } : { statements: [], error: `${d.where}: ${doc.error}` };
}

/** What a role is granted, as far as the stack says. */
export interface RoleGrants {
    documents: IdentityDocument[];
    /** Managed policies attached by ARN that are not in the stack (AWS managed ones, or another stack's). */
    externalPolicyArns: string[];
}

/** The documents and attachments granting `role` its permissions. */
export function roleGrants(graph: StackGraph, role: PolicyResource): RoleGrants {
    const documents: IdentityDocument[] = [...documentsOf(role)];
    for (const rp of graph.referencing(role, [T.rolePolicy], "role", ROLE_NAME_ATTRS)) {
        documents.push(...documentsOf(rp));
    }
    const attachedArns: { value: unknown; deps: PolicyResource[] }[] = [];
    for (const a of graph.referencing(role, [T.rolePolicyAttachment], "role", ROLE_NAME_ATTRS)) {
        attachedArns.push({ value: rawGet(a.props, "policyArn"), deps: graph.inputSources(a, "policyArn") });
    }
    for (const a of graph.referencing(role, [T.rolePolicyAttachmentsExclusive], "roleName", ROLE_NAME_ATTRS)) {
        knownList(a.props, "policyArns").forEach((v) => attachedArns.push({ value: v, deps: graph.inputSources(a, "policyArns") }));
    }
    for (const a of graph.ofType(T.policyAttachment)) {
        const roles = graph.referenced(a, "roles", [T.role], ROLE_NAME_ATTRS);
        if (roles.some((r) => r.urn === role.urn)) {
            attachedArns.push({ value: rawGet(a.props, "policyArn"), deps: graph.inputSources(a, "policyArn") });
        }
    }
    knownList(role.props, "managedPolicyArns").forEach((v) => attachedArns.push({ value: v, deps: graph.inputSources(role, "managedPolicyArns") }));
    const externalPolicyArns: string[] = [];
    for (const { value, deps } of attachedArns) {
        const policies = graph.candidatesFor(value, deps, [T.policy], POLICY_ARN_ATTRS);
        if (policies.length > 0) {
            policies.forEach((p) => documents.push(...documentsOf(p)));
        } else if (typeof value === "string") {
            externalPolicyArns.push(value);
        }
    }
    return { documents, externalPolicyArns };
}

/** The role a resource's input (a function's `role`, a replication configuration's `role`) names by its ARN. */
export function roleOf(graph: StackGraph, r: PolicyResource, prop: string): PolicyResource[] {
    return graph.referenced(r, prop, [T.role], ["arn"]);
}

/** The actions that let a principal take a role's credentials. */
export const ASSUME_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"];

/** The services allowed to assume a role (its trust policy's Allow statements for sts:AssumeRole*), and the other principals. */
export function trustedPrincipals(role: PolicyResource): { services: string[]; others: string[]; error?: string } {
    const doc = parsePolicyDocument(known(role.props, "assumeRolePolicy"));
    if (!doc.ok) {
        return { services: [], others: [], error: doc.error };
    }
    const services = new Set<string>();
    const others = new Set<string>();
    for (const s of doc.statements) {
        const assumes = ASSUME_ACTIONS.some((a) => statementCovers(s, a));
        if (s.effect !== "Allow" || !assumes) {
            continue;
        }
        if (s.notPrincipals) {
            others.add("NotPrincipal (everyone else)");
        }
        const p = s.principals;
        if (!p) {
            continue;
        }
        p.service.forEach((x) => services.add(x));
        if (p.anyone) {
            others.add("*");
        }
        [...p.aws.filter((a) => a !== "*"), ...p.federated, ...p.canonicalUser].forEach((x) => others.add(x));
    }
    return { services: [...services], others: [...others] };
}

/** Calls `visit` for each Allow statement of each identity policy of the stack (each resource judged on its own). */
export function eachAllowStatement(
    ctx: { graph: StackGraph; each(subjects: PolicyResource[], fn: (r: PolicyResource) => void): void; report(r: PolicyResource, m: string): void },
    visit: (d: IdentityDocument, s: Statement) => void,
): void {
    ctx.each(ctx.graph.ofType(...IDENTITY_POLICY_TYPES), (r) => {
        for (const d of documentsOf(r)) {
            const { statements, error } = statementsOf(d);
            if (error) {
                ctx.report(d.source, `${error}.`);
            }
            statements.filter((s) => s.effect === "Allow").forEach((s) => visit(d, s));
        }
    });
}

/** Calls `visit` for each Allow statement granted to a function through its role. */
export function eachAllowStatementOf(graph: StackGraph, fn: PolicyResource, visit: (d: IdentityDocument, s: Statement) => void): void {
    for (const role of roleOf(graph, fn, "role")) {
        for (const d of roleGrants(graph, role).documents) {
            statementsOf(d).statements.filter((s) => s.effect === "Allow").forEach((s) => visit(d, s));
        }
    }
}
