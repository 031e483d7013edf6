// An evaluated stack (tools/engine's Inventory) as the engine would hand it to an analyzer, for the
// in-process run: inputs marshalled as the engine marshals them for Analyze (MarshalOptions with
// KeepUnknowns, KeepSecrets, SkipInternalKeys and no KeepResources: `__` keys dropped, resource
// references as their ID (a component's URN), output values as their value or the unknown sentinel,
// assets reduced to the fields the engine keeps), state = outputs with the inputs over them, as the
// engine's AnalyzeStack sends after the Analyze pass.
import type { Inventory, RecordedResource } from "../../../tools/engine/evaluate";
import { EngineResource, UNKNOWN } from "./engine";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG = {
    secret: "1b47061264138c4ac30d75fd1eb44270", resource: "5cf8f73096256a8f31e491e813e4eb8e", output: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
    asset: "c44067f5952c0a294b673a41bacd8c17", archive: "0def7320c3a5731c473e5ecbe6d01bc7",
};

const plainJs = (v: any): Record<string, unknown> => (v && typeof v.toJavaScript === "function" ? v.toJavaScript() : structuredClone(v ?? {}));

function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { [SIG_KEY]: obj[SIG_KEY] };
    keys.filter((k) => typeof obj[k] === "string").forEach((k) => (out[k] = obj[k]));
    return out;
}

export function marshal(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(marshal);
    }
    if (v === null || typeof v !== "object") {
        return v;
    }
    const obj = v as Record<string, unknown>;
    switch (obj[SIG_KEY]) {
        case SIG.resource:
            return typeof obj.id === "string" ? (obj.id === "" ? UNKNOWN : obj.id) : obj.urn;
        case SIG.output: {
            const value = "value" in obj ? marshal(obj.value) : UNKNOWN;
            return obj.secret === true ? { [SIG_KEY]: SIG.secret, value } : value;
        }
        case SIG.secret:
            return { [SIG_KEY]: SIG.secret, value: marshal(obj.value) };
        case SIG.asset:
            return pick(obj, ["hash", "text", "path", "uri"]);
        case SIG.archive:
            return obj.assets !== undefined
                ? { ...pick(obj, ["hash"]), assets: Object.fromEntries(Object.entries(obj.assets as object).map(([k, a]) => [k, marshal(a)])) }
                : pick(obj, ["hash", "path", "uri"]);
        case undefined:
            return Object.fromEntries(Object.entries(obj).filter(([k, x]) => !k.startsWith("__") && x !== undefined).map(([k, x]) => [k, marshal(x)]));
        default:
            return obj;
    }
}

function seconds(duration: string): number {
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
    let total = 0;
    for (const [, n, unit] of duration.matchAll(/([\d.]+)(ms|h|m|s)/g)) {
        total += Number(n) * units[unit];
    }
    return total;
}

export function engineResource(r: RecordedResource): EngineResource {
    const inputs = marshal(plainJs(r.serializedInputs)) as Record<string, unknown>;
    const outputs = marshal(plainJs(r.serializedState)) as Record<string, unknown>;
    const t = r.options?.customTimeouts;
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        inputs,
        state: { ...outputs, ...inputs },
        provider: r.provider ? r.provider.split("::").slice(0, -1).join("::") : undefined,
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        options: r.options && {
            protect: r.options.protect, ignoreChanges: r.options.ignoreChanges, aliases: r.options.aliases,
            additionalSecretOutputs: r.options.additionalSecretOutputs, deleteBeforeReplace: r.options.deleteBeforeReplace,
            customTimeouts: { createSeconds: seconds(t?.create ?? ""), updateSeconds: seconds(t?.update ?? ""), deleteSeconds: seconds(t?.delete ?? "") },
        },
    };
}

export function engineResources(inv: Inventory): EngineResource[] {
    return inv.resources.map(engineResource);
}

/** The stack tags a local backend gives a stack (as tools/engine's host sends them). */
export const STACK_TAGS = { "pulumi:project": "tandem", "pulumi:runtime": "nodejs" };
