// Small resource lists for per-rule fixtures, written the way a program declares resources: inputs
// that may reference another resource's attribute (`ref("api-role", "arn")`), string templates over
// references (`fmt`), JSON documents embedding references (`json`), and `U` for a value unknown until
// deployment. Building them yields what the engine would hold: wire-form inputs and state,
// propertyDependencies (each top-level input → the resources its references point at), dependencies
// and the provider. In a preview, every attribute a resource lists under `outputs` is unknown, as on
// a first `pulumi preview`; attributes that are also inputs (a name given explicitly) stay known.
import { EngineResource, UNKNOWN } from "./engine";
import { TYPES } from "../../../tools/engine/resourceTypes";

export type Props = Record<string, unknown>;

/** A resource of a fixture. Names are unique within a fixture. */
export interface Res {
    type: string;
    name: string;
    inputs?: Props;
    /** Attributes the provider computes (ARNs, ids): unknown in a preview. */
    outputs?: Props;
    /** The provider resource's name; by default the fixture's `home` provider, if it has one. */
    provider?: string;
    parent?: string;
    dependsOn?: string[];
}

/** The value the engine sends for anything not known yet. */
export const U = UNKNOWN;

class Ref {
    constructor(readonly name: string, readonly attr: string) {}
}
class Fmt {
    constructor(readonly strings: readonly string[], readonly parts: unknown[]) {}
}
class Json {
    constructor(readonly doc: unknown) {}
}

/** Another resource's attribute (its output, or its input of that name). */
export function ref(name: string, attr: string): unknown {
    return new Ref(name, attr);
}

/** A string built from literals and references (pulumi.interpolate). */
export function fmt(strings: TemplateStringsArray, ...parts: unknown[]): unknown {
    return new Fmt([...strings], parts);
}

/** A JSON document built from values that may embed references (pulumi.jsonStringify). */
export function json(doc: unknown): unknown {
    return new Json(doc);
}

export const PROVIDER_TYPE = TYPES.provider;

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:fixture::tandem::${type}::${name}`;
}

function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsUnknown);
    }
    return v !== null && typeof v === "object" && Object.values(v).some(containsUnknown);
}

/** Builds the engine's view of a fixture. */
export function build(resources: Res[], options: { preview?: boolean } = {}): EngineResource[] {
    const preview = options.preview ?? false;
    const byName = new Map<string, Res>();
    for (const r of resources) {
        if (byName.has(r.name)) {
            throw new Error(`fixture resource name ${r.name} is used twice`);
        }
        byName.set(r.name, r);
    }
    const states = new Map<string, Props>();
    const resolving = new Set<string>();

    const resolve = (value: unknown, deps: Set<string>): unknown => {
        if (value instanceof Ref) {
            const target = byName.get(value.name);
            if (!target) {
                // A resource outside the fixture (dropped from it, or another stack's): a plain value.
                return `${value.name}.${value.attr}`;
            }
            deps.add(urnOf(target.type, target.name));
            const state = stateOf(target);
            return state[value.attr] === undefined ? UNKNOWN : state[value.attr];
        }
        if (value instanceof Fmt) {
            const parts = value.parts.map((p) => resolve(p, deps));
            return parts.some((p) => p === UNKNOWN) ? UNKNOWN : value.strings.map((s, i) => s + (i < parts.length ? String(parts[i]) : "")).join("");
        }
        if (value instanceof Json) {
            const doc = resolve(value.doc, deps);
            return containsUnknown(doc) ? UNKNOWN : JSON.stringify(doc);
        }
        if (Array.isArray(value)) {
            return value.map((v) => resolve(v, deps));
        }
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, resolve(v, deps)]));
        }
        return value;
    };

    const resolveInputs = (r: Res): { inputs: Props; propertyDependencies: Record<string, string[]> } => {
        const inputs: Props = {};
        const propertyDependencies: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(r.inputs ?? {})) {
            if (v === undefined) {
                continue;
            }
            const deps = new Set<string>();
            inputs[k] = resolve(v, deps);
            if (deps.size > 0) {
                propertyDependencies[k] = [...deps];
            }
        }
        return { inputs, propertyDependencies };
    };

    function stateOf(r: Res): Props {
        const cached = states.get(r.name);
        if (cached) {
            return cached;
        }
        if (resolving.has(r.name)) {
            throw new Error(`fixture references form a cycle through ${r.name}`);
        }
        resolving.add(r.name);
        const { inputs } = resolveInputs(r);
        const outputs = Object.fromEntries(Object.entries(r.outputs ?? {}).map(([k, v]) => [k, preview && !(k in inputs) ? UNKNOWN : resolve(v, new Set())]));
        const state = { ...outputs, ...inputs };
        resolving.delete(r.name);
        states.set(r.name, state);
        return state;
    }

    const home = resources.find((r) => r.type === PROVIDER_TYPE && r.name === "home");
    return resources.map((r) => {
        const { inputs, propertyDependencies } = resolveInputs(r);
        const providerName = r.type === PROVIDER_TYPE ? undefined : (r.provider ?? home?.name);
        const provider = providerName ? byName.get(providerName) : undefined;
        const dependencies = new Set<string>(Object.values(propertyDependencies).flat());
        for (const d of r.dependsOn ?? []) {
            const target = byName.get(d);
            if (target) {
                dependencies.add(urnOf(target.type, target.name));
            }
        }
        const parent = r.parent ? byName.get(r.parent) : undefined;
        return {
            type: r.type,
            name: r.name,
            urn: urnOf(r.type, r.name),
            inputs,
            state: stateOf(r),
            provider: provider ? urnOf(provider.type, provider.name) : undefined,
            parent: parent ? urnOf(parent.type, parent.name) : undefined,
            dependencies: [...dependencies],
            propertyDependencies,
        };
    });
}

/** A copy of the fixture with `name`'s inputs changed. */
export function edit(resources: Res[], name: string, change: (inputs: Props) => Props): Res[] {
    let found = false;
    const out = resources.map((r) => {
        if (r.name !== name) {
            return r;
        }
        found = true;
        return { ...r, inputs: change({ ...(r.inputs ?? {}) }) };
    });
    if (!found) {
        throw new Error(`edit: the fixture has no resource ${name}`);
    }
    return out;
}

/** A copy of the fixture with `name`'s outputs changed. */
export function editOutputs(resources: Res[], name: string, change: (outputs: Props) => Props): Res[] {
    return resources.map((r) => (r.name === name ? { ...r, outputs: change({ ...(r.outputs ?? {}) }) } : r));
}

/** A copy of the fixture without the named resources. */
export function drop(resources: Res[], ...names: string[]): Res[] {
    const missing = names.filter((n) => !resources.some((r) => r.name === n));
    if (missing.length > 0) {
        throw new Error(`drop: the fixture has no resource ${missing.join(", ")}`);
    }
    return resources.filter((r) => !names.includes(r.name));
}

/** A copy of a resource with another type (the deprecated `V2` aliases). */
export function retype(resources: Res[], name: string, type: string): Res[] {
    return resources.map((r) => (r.name === name ? { ...r, type } : r));
}

/** Removes keys from an object. */
export function without<T extends Props>(obj: T, ...keys: string[]): T {
    return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k))) as T;
}

/** A copy of the fixture with the JSON document in `name`'s input `prop` changed (the document may hold references). */
export function editJson(resources: Res[], name: string, prop: string, change: (doc: any) => any): Res[] {
    return edit(resources, name, (inputs) => {
        const current = inputs[prop];
        if (!(current instanceof Json)) {
            throw new Error(`editJson: ${name}.${prop} is not a json(...) document`);
        }
        return { ...inputs, [prop]: json(change(structuredCloneRefs(current.doc))) };
    });
}

/** A deep copy that keeps reference markers as they are. */
function structuredCloneRefs(v: any): any {
    if (v instanceof Ref || v instanceof Fmt || v instanceof Json) {
        return v;
    }
    if (Array.isArray(v)) {
        return v.map(structuredCloneRefs);
    }
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structuredCloneRefs(x)]));
    }
    return v;
}
