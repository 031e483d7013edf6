// Relations between the resources of a stack, decided from what the engine knows, and by the exact
// attribute AWS uses: a resource refers to another when the input was computed from it
// (`propertyDependencies`, known even in a first preview) AND, whenever both values are known, the
// input equals the attribute AWS expects there (a function's `name` for an alarm's FunctionName
// dimension, a role's `arn` for a function's `role`, ...). A value computed from the right resource
// but holding the wrong attribute (its ARN where the name belongs) relates to nothing; a known literal
// equal to the attribute relates even without a dependency (a name written as a plain string).
//
// Every lookup goes through indexes built once per stack (by type, by URN, by the resources an input
// was computed from, by known top-level string values), so a rule over n resources costs O(n), not
// O(n²): the pack has to check a 2,000-resource stack in seconds.
import { PolicyResource } from "@pulumi/policy";
import { isTaggable } from "./tags";
import { asList, isUnknown, rawGet } from "./values";

interface Reference {
    r: PolicyResource;
    prop: string;
}

/** A value is known when it is neither absent nor the engine's unknown sentinel. */
export function knownValue(value: unknown): value is string | number | boolean | object {
    return value !== undefined && value !== null && !isUnknown(value);
}

/** The known string values of `attrs` on `target` (its name, ARN, id, ...). */
export function attributeValues(target: PolicyResource, attrs: readonly string[]): string[] {
    return attrs.map((a) => rawGet(target.props, a)).filter((v): v is string => typeof v === "string" && v !== "" && !isUnknown(v));
}

/**
 * Whether `value` (an input, or one element of a list input, whose input was computed from `deps`)
 * refers to `target` by one of `attrs`:
 * - a known string equal to one of the target's known attribute values: yes;
 * - a known string while the target's attributes are all unknown (a preview): yes if computed from it;
 * - any other known string: no, even when computed from the target (the wrong attribute);
 * - an unknown value: yes if computed from the target (decided at deployment).
 */
export function refersTo(value: unknown, deps: readonly PolicyResource[] | undefined, target: PolicyResource, attrs: readonly string[]): boolean {
    const computed = (deps ?? []).some((d) => d.urn === target.urn);
    if (typeof value === "string" && !isUnknown(value)) {
        const values = attributeValues(target, attrs);
        if (values.includes(value)) {
            return true;
        }
        return computed && values.length === 0;
    }
    return isUnknown(value) && computed;
}

export class StackGraph {
    private readonly typeIndex = new Map<string, PolicyResource[]>();
    private readonly urnIndex = new Map<string, PolicyResource>();
    private reverseIndex?: Map<string, Reference[]>;
    private literalIndex?: Map<string, Reference[]>;
    private readonly valueIndexes = new Map<string, Map<string, PolicyResource[]>>();

    constructor(readonly resources: PolicyResource[]) {
        for (const r of resources) {
            const list = this.typeIndex.get(r.type);
            if (list) {
                list.push(r);
            } else {
                this.typeIndex.set(r.type, [r]);
            }
            this.urnIndex.set(r.urn, r);
        }
    }

    ofType(...types: readonly string[]): PolicyResource[] {
        return types.length === 1 ? (this.typeIndex.get(types[0]) ?? []) : types.flatMap((t) => this.typeIndex.get(t) ?? []);
    }

    private readonly memo = new Map<string, unknown>();

    /**
     * A value derived from the whole stack, computed once per stack (e.g. every alarm's metrics). The
     * graph serves every stack rule of a request (stackGraphOf): the key names the value, and `build`
     * must not depend on the rule or its config.
     */
    cached<T>(key: string, build: () => T): T {
        if (!this.memo.has(key)) {
            this.memo.set(key, build());
        }
        return this.memo.get(key) as T;
    }

    byUrn(urn: string): PolicyResource | undefined {
        return this.urnIndex.get(urn);
    }

    /** The resources `r`'s input `prop` was computed from, optionally only those of `types`. */
    inputSources(r: PolicyResource, prop: string, types?: readonly string[]): PolicyResource[] {
        const sources = r.propertyDependencies[prop] ?? [];
        return types ? sources.filter((s) => types.includes(s.type)) : sources;
    }

    /** Whether `r`'s input `prop` refers to `target` by one of `attrs` (see refersTo). */
    refers(r: PolicyResource, prop: string, target: PolicyResource, attrs: readonly string[]): boolean {
        return refersTo(rawGet(r.props, prop), r.propertyDependencies[prop], target, attrs);
    }

    /** Resources of `types` whose input `prop` refers to `target` by one of `attrs`. */
    referencing(target: PolicyResource, types: readonly string[], prop: string, attrs: readonly string[]): PolicyResource[] {
        const candidates = new Set<PolicyResource>();
        for (const ref of this.reverse().get(target.urn) ?? []) {
            if (ref.prop === prop && types.includes(ref.r.type)) {
                candidates.add(ref.r);
            }
        }
        for (const v of attributeValues(target, attrs)) {
            for (const ref of this.literals().get(v) ?? []) {
                if (ref.prop === prop && types.includes(ref.r.type)) {
                    candidates.add(ref.r);
                }
            }
        }
        return [...candidates].filter((r) => this.refers(r, prop, target, attrs));
    }

    /**
     * The resources of `types` that `r`'s input `prop` refers to by one of `attrs`: for a list input,
     * each element is related on its own (the dependencies are those of the whole list).
     */
    referenced(r: PolicyResource, prop: string, types: readonly string[], attrs: readonly string[]): PolicyResource[] {
        const deps = r.propertyDependencies[prop] ?? [];
        const found = new Set<PolicyResource>();
        for (const element of asList(rawGet(r.props, prop))) {
            for (const target of this.candidatesFor(element, deps, types, attrs)) {
                found.add(target);
            }
        }
        return [...found];
    }

    /** The resources of `types` a single value (computed from `deps`) refers to by one of `attrs`. */
    candidatesFor(value: unknown, deps: readonly PolicyResource[], types: readonly string[], attrs: readonly string[]): PolicyResource[] {
        const candidates = new Set<PolicyResource>(deps.filter((d) => types.includes(d.type)));
        if (typeof value === "string" && !isUnknown(value)) {
            for (const t of this.ofTypeWithValue(types, attrs, value)) {
                candidates.add(t);
            }
        }
        return [...candidates].filter((t) => refersTo(value, deps, t, attrs));
    }

    private ofTypeWithValue(types: readonly string[], attrs: readonly string[], value: string): PolicyResource[] {
        const key = `${types.join(",")}|${attrs.join(",")}`;
        let index = this.valueIndexes.get(key);
        if (!index) {
            index = new Map();
            for (const t of this.ofType(...types)) {
                for (const v of attributeValues(t, attrs)) {
                    const list = index.get(v);
                    if (list) {
                        list.push(t);
                    } else {
                        index.set(v, [t]);
                    }
                }
            }
            this.valueIndexes.set(key, index);
        }
        return index.get(value) ?? [];
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

    // The indexes below are kept only once complete: a graph serves several rules (stackGraphOf).
    private reverse(): Map<string, Reference[]> {
        if (!this.reverseIndex) {
            const index = new Map<string, Reference[]>();
            for (const r of this.resources) {
                for (const [prop, deps] of Object.entries(r.propertyDependencies)) {
                    for (const d of deps) {
                        const list = index.get(d.urn);
                        if (list) {
                            list.push({ r, prop });
                        } else {
                            index.set(d.urn, [{ r, prop }]);
                        }
                    }
                }
            }
            this.reverseIndex = index;
        }
        return this.reverseIndex;
    }

    private literals(): Map<string, Reference[]> {
        if (!this.literalIndex) {
            const index = new Map<string, Reference[]>();
            for (const r of this.resources) {
                const props = r.props as Record<string, unknown>;
                for (const prop of Object.keys(props)) {
                    const v = rawGet(props, prop);
                    if (typeof v === "string" && v !== "" && !isUnknown(v) && v.length < 2048) {
                        const list = index.get(v);
                        if (list) {
                            list.push({ r, prop });
                        } else {
                            index.set(v, [{ r, prop }]);
                        }
                    }
                }
            }
            this.literalIndex = index;
        }
        return this.literalIndex;
    }
}

/**
 * What @pulumi/policy's unknown-checking proxy answers with the object it wraps (proxy.js,
 * `getSpecialProxyTarget`); a plain object answers undefined.
 */
const PROXY_TARGET = "__getSpecialProxyTarget";

/** The deserialized properties behind the server's proxy; undefined for props that are not one. */
const served = (r: PolicyResource): unknown => (r.props as Record<string, unknown>)[PROXY_TARGET];

let latest: { resources: PolicyResource[]; graph: StackGraph } | undefined;

/**
 * The graph of `resources`, shared by the stack rules of one AnalyzeStack call. @pulumi/policy's server
 * builds the call's resources anew for every stack rule (server.js, inside its loop over the policies),
 * each behind a new proxy, but over the same deserialized properties (one copy per request:
 * ./sharedProperties.ts). So when every resource is the same URN over the same served properties, in
 * the same order, the graph the rule before built serves this one, with its indexes and memo. Rules
 * only read (withPropertiesUnchanged checks every fixture case and both stacks). Properties that are
 * not the server's (a test's hand-built resources, which a caller may change between calls) always
 * get a graph of their own. The last graph is kept until the next call: in a deployment the engine
 * calls AnalyzeStack once, at the end.
 */
export function stackGraphOf(resources: PolicyResource[]): StackGraph {
    const previous = latest?.resources;
    const same = previous !== undefined && previous.length === resources.length &&
        resources.every((r, i) => r.urn === previous[i].urn && served(r) !== undefined && served(r) === served(previous[i]));
    if (!same) {
        latest = { resources, graph: new StackGraph(resources) };
    }
    return latest!.graph;
}

/** Inputs through which a non-taggable resource names the resource it configures. */
const OWNER_INPUTS = ["bucket", "role", "function", "functionName", "keyId", "targetKeyId", "user", "group", "topic", "queueUrl"];

/** Region codes as AWS writes them (us-east-1, ap-southeast-4, eu-central-2, us-gov-west-1, ...). */
export const REGION_CODE = /\b((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d)\b/;

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
