// Edits of an evaluated stack, written the way a one-line change of the program would register it:
// the resource's inputs and its recorded state change together, and an input that now comes from
// another resource depends on it (propertyDependencies), as the SDK would record. Evaluating the
// program once per stack configuration and editing the recorded inventory keeps the whole-program
// negative suite fast; a few cases still go through the program itself (transformations, config).
import * as pulumi from "@pulumi/pulumi";
import type { Inventory, RecordedResource } from "../../tools/engine/evaluate";
import { TYPES } from "../../tools/engine/resourceTypes";

export type Props = Record<string, any>;
export type Edit = (inv: Inventory) => Inventory;

/** Type tokens as @pulumi/aws registers them, under the names the cases use. */
export const T = {
    ...TYPES,
    sse: TYPES.encryption,
    pab: TYPES.publicAccessBlock,
    fn: TYPES.function,
    url: TYPES.functionUrl,
    attachment: TYPES.rolePolicyAttachment,
} as const;

const plain = (props: Props | undefined): Props => structuredClone(props ?? {});

export function find(inv: Inventory, type: string, name: string): RecordedResource {
    const r = inv.resources.find((x) => x.type === type && x.name === name);
    if (!r) {
        throw new Error(`the stack has no ${type} named ${name}`);
    }
    return r;
}

/** A recorded attribute of a resource (its output, or its input). */
export function attr(inv: Inventory, type: string, name: string, key: string): any {
    const r = find(inv, type, name);
    return plain(r.serializedState)[key] ?? plain(r.serializedInputs)[key];
}

/** The resource's inputs (and its state) go through `fn`. */
export function change(type: string, name: string, fn: (props: Props, inv: Inventory) => Props): Edit {
    return (inv) => {
        find(inv, type, name);
        return {
            ...inv,
            resources: inv.resources.map((r) => (r.type === type && r.name === name
                ? { ...r, serializedInputs: fn(plain(r.serializedInputs), inv), serializedState: fn(plain(r.serializedState), inv) }
                : r)),
        };
    };
}

/** Input `prop` of the resource now comes from these resources (replacing what it came from). */
export function dependsOn(type: string, name: string, prop: string, sources: [string, string][]): Edit {
    return (inv) => {
        const urns = sources.map(([t, n]) => find(inv, t, n).urn);
        return {
            ...inv,
            resources: inv.resources.map((r) => (r.type === type && r.name === name
                ? { ...r, propertyDependencies: { ...r.propertyDependencies, [prop]: urns }, dependencies: [...new Set([...r.dependencies, ...urns])] }
                : r)),
        };
    };
}

/** The JSON document in input `prop` goes through `fn`. */
export function doc(type: string, name: string, prop: string, fn: (doc: any, inv: Inventory) => any): Edit {
    return change(type, name, (p, inv) => (typeof p[prop] === "string" ? { ...p, [prop]: JSON.stringify(fn(JSON.parse(p[prop]), inv)) } : p));
}

/** The statement with `sid` of the resource's `policy` document goes through `fn`. */
export function stmt(type: string, name: string, sid: string, fn: (s: any, inv: Inventory) => any, prop = "policy"): Edit {
    return doc(type, name, prop, (d, inv) => {
        if (!d.Statement.some((s: any) => s.Sid === sid)) {
            throw new Error(`${name}.${prop} has no statement ${sid}`);
        }
        return { ...d, Statement: d.Statement.map((s: any) => (s.Sid === sid ? fn(s, inv) : s)) };
    });
}

/** Appends a statement to the resource's `policy` document. */
export function addStmt(type: string, name: string, s: any): Edit {
    return doc(type, name, "policy", (d) => ({ ...d, Statement: [...d.Statement, s] }));
}

/** The program no longer declares these resources. */
export function remove(type: string, ...names: string[]): Edit {
    return (inv) => {
        const missing = names.filter((n) => !inv.resources.some((r) => r.type === type && r.name === n));
        if (missing.length > 0) {
            throw new Error(`the stack has no ${type} named ${missing.join(", ")}`);
        }
        return { ...inv, resources: inv.resources.filter((r) => !(r.type === type && names.includes(r.name))) };
    };
}

/** A resource the program now also declares (a copy of `like`, renamed, with other inputs). */
export function addLike(type: string, like: string, name: string, fn: (props: Props, inv: Inventory) => Props): Edit {
    return (inv) => {
        const base = find(inv, type, like);
        const urn = base.urn.replace(new RegExp(`::${like}$`), `::${name}`);
        const copy: RecordedResource = { ...base, name, urn, serializedInputs: fn(plain(base.serializedInputs), inv), serializedState: fn(plain(base.serializedState), inv) };
        return { ...inv, resources: [...inv.resources, copy] };
    };
}

export function chain(...edits: Edit[]): Edit {
    return (inv) => edits.reduce((acc, e) => e(acc), inv);
}

export const without = (obj: Props, ...keys: string[]): Props => Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));

/** A resource transformation (the program's own code path), for the cases that go through it. */
export function transform(type: string, name: string | undefined, fn: (props: Props) => Props): pulumi.ResourceTransformation {
    return (args) => (args.type === type && (name === undefined || args.name === name) ? { props: fn({ ...args.props }), opts: args.opts } : undefined);
}

/** A transformation rewriting a JSON policy document input (an Output<string> in the program). */
export function transformDoc(type: string, name: string, prop: string, fn: (doc: any) => any): pulumi.ResourceTransformation {
    return transform(type, name, (p) => ({ ...p, [prop]: pulumi.output(p[prop]).apply((json: string) => JSON.stringify(fn(JSON.parse(json)))) }));
}
