// Relations between the resources of a stack, decided from what the engine knows even during a
// preview: `propertyDependencies` (input name → the resources that input was computed from) and
// `dependencies`. IDs and ARNs are unknown in a first preview, so they are never compared; a known
// literal (a bucket name written as a plain string) is used only as a fallback.
import { PolicyResource } from "@pulumi/policy";
import { isTaggable } from "./tags";
import { isUnknown, rawGet } from "./values";

export class StackGraph {
    private readonly byType = new Map<string, PolicyResource[]>();

    constructor(readonly resources: PolicyResource[]) {
        for (const r of resources) {
            this.byType.set(r.type, [...(this.byType.get(r.type) ?? []), r]);
        }
    }

    ofType(...types: string[]): PolicyResource[] {
        return types.flatMap((t) => this.byType.get(t) ?? []);
    }

    /** The resources `r`'s input `prop` was computed from, optionally only those of `types`. */
    inputSources(r: PolicyResource, prop: string, types?: string[]): PolicyResource[] {
        const sources = r.propertyDependencies[prop] ?? [];
        return types ? sources.filter((s) => types.includes(s.type)) : sources;
    }

    /**
     * Resources of `types` whose input `prop` refers to `target`: through propertyDependencies, or,
     * when `literal` names the target's property that such an input would hold, by equal known strings
     * (e.g. a side resource's `bucket: "name"` against the bucket's `bucket`).
     */
    referencing(target: PolicyResource, types: string[], prop: string, literal?: string[]): PolicyResource[] {
        const targetValues = (literal ?? [])
            .map((k) => rawGet(target.props, k))
            .filter((v): v is string => typeof v === "string" && v !== "" && !isUnknown(v));
        return this.ofType(...types).filter((r) => {
            if ((r.propertyDependencies[prop] ?? []).some((d) => d.urn === target.urn)) {
                return true;
            }
            const v = rawGet(r.props, prop);
            return typeof v === "string" && targetValues.includes(v);
        });
    }

    /**
     * The resource whose tags carry exemptions for a violation reported against `r`: `r` itself when
     * it takes tags, else the taggable resource it belongs to (a bucket's policy → the bucket, a role
     * policy → the role, a permission or URL → the function).
     */
    exemptionHolder(r: PolicyResource): PolicyResource | undefined {
        if (isTaggable(r.type)) {
            return r;
        }
        for (const prop of OWNER_INPUTS) {
            const owner = (r.propertyDependencies[prop] ?? []).find((d) => isTaggable(d.type));
            if (owner) {
                return owner;
            }
        }
        return undefined;
    }
}

/** Inputs through which a non-taggable resource names the resource it configures. */
const OWNER_INPUTS = ["bucket", "role", "function", "functionName", "keyId", "targetKeyId", "user", "group", "topic", "queueUrl"];

/** The region a resource is deployed to: its own `region` input (v7), else its provider's. */
export function regionOf(r: { props: unknown; provider?: { props: unknown } }): string | undefined {
    for (const v of [rawGet(r.props, "region"), rawGet(r.provider?.props, "region")]) {
        if (typeof v === "string" && v !== "" && !isUnknown(v)) {
            return v;
        }
    }
    return undefined;
}

/** The region named by an ARN (`arn:partition:service:region:account:...`), if it names one. */
export function arnRegion(arn: unknown): string | undefined {
    if (typeof arn !== "string" || isUnknown(arn)) {
        return undefined;
    }
    const parts = arn.split(":");
    return parts.length >= 6 && parts[0] === "arn" && parts[3] !== "" ? parts[3] : undefined;
}

/** A short label for messages: `type name`. */
export function label(r: { type: string; name: string }): string {
    const short = r.type.split(":").pop();
    return `${short} "${r.name}"`;
}
