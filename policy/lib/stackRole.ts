// The stack's role (primary or standby), read from the `role` tag every resource carries through the
// provider's default tags (index.ts sets them from tandem:role).
import { PolicyResource } from "@pulumi/policy";
import { effectiveTags } from "./tags";

export interface RoleSettings {
    roleTag: string;
    standbyRoles: string[];
}

export const ROLE_SCHEMA = {
    roleTag: { type: "string" as const, default: "role", description: "Tag (usually a provider default tag) naming the stack's role." },
    standbyRoles: {
        type: "array" as const, items: { type: "string" as const }, default: ["standby"],
        description: "Values of the role tag that mark a standby stack: its buckets are replicas, its api serves reads only.",
    },
};

/** The role tag of the resource (its own tags over its provider's default tags), if it has one. */
export function stackRoleOf(r: PolicyResource, roleTag: string): string | undefined {
    return effectiveTags(r.props, r.provider?.props)?.[roleTag];
}

export function isStandby(r: PolicyResource, settings: RoleSettings): boolean {
    const role = stackRoleOf(r, settings.roleTag);
    return role !== undefined && settings.standbyRoles.includes(role);
}
