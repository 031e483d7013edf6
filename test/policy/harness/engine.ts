// The policy pack run in-process, with exactly the arguments the Pulumi engine's analyzer gives it.
// This mirrors @pulumi/policy 1.21's own server (node_modules/@pulumi/policy/server.js:
// makeAnalyzeRpcFun, makeAnalyzeStackRpcFun, getResourceOptions, getProviderResource,
// makeGetConfigFun, throwNotApplicable): properties deserialized from a google.protobuf.Struct by the
// pack's own copy of @pulumi/policy (deserialize.js) and wrapped by its unknownCheckingProxy (so an
// unknown value throws the very UnknownValueError class the rules recognise), urn, name, opts,
// provider (its properties proxied too), isType/asType, getConfig (the policy's settings, schema
// defaults filled in as the CLI does), notApplicable (throws), stackTags; stack resources with
// dependencies, propertyDependencies and parent resolved to resource objects. An UnknownValueError
// becomes the engine's advisory "can't run policy ... during preview"; a not-applicable throw is
// counted, not reported.
//
// It is used for per-rule fixtures (seconds for hundreds of cases) and for whole-program cases; a test
// checks that its verdicts equal those of the pack served over gRPC (tools/engine/policyHost.ts).
import { strict as assert } from "assert";
import { createRequire } from "module";
import * as path from "path";
import type { TandemPolicy } from "../../../policy/lib/rule";
import { deserializeModule, shareDeserializedProperties, sharingDeserializer, unshared } from "../../../policy/lib/sharedProperties";

export const PACK_DIR = path.join(__dirname, "..", "..", "..", "policy");
/** Modules as the pack's own files resolve them (policy/node_modules first). */
const packRequire = createRequire(path.join(PACK_DIR, "index.ts"));
const proxy = packRequire("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T>(v: T): T;
    UnknownValueError: new (...args: any[]) => Error;
    unknownStringValue: string;
};
const deserialize = packRequire("@pulumi/policy/deserialize") as { deserializeProperties(struct: any, proxySecrets: boolean): Record<string, any> };
// As the served pack (policy/index.ts): one deserialization per Struct, read by every rule.
shareDeserializedProperties();
const { Struct } = packRequire("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: unknown): any } };

/** What the engine sends for a value not known yet. */
export const UNKNOWN = proxy.unknownStringValue;
/** The pack's own unknown-checking proxy, the one its server wraps every resource's properties in. */
export const { unknownCheckingProxy } = proxy;

export type Level = "advisory" | "mandatory" | "remediate" | "disabled";

/** One resource as the engine holds it: wire-form inputs (Analyze) and state (AnalyzeStack). */
export interface EngineResource {
    type: string;
    name: string;
    urn: string;
    inputs: Record<string, unknown>;
    state: Record<string, unknown>;
    /** URN of the provider resource (itself in the list). */
    provider?: string;
    parent?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    options?: {
        protect?: boolean; ignoreChanges?: string[]; aliases?: string[]; additionalSecretOutputs?: string[];
        deleteBeforeReplace?: boolean; customTimeouts?: { createSeconds: number; updateSeconds: number; deleteSeconds: number };
    };
}

export interface EngineViolation {
    policy: string;
    level: Level;
    urn: string;
    message: string;
}

export interface EngineReport {
    violations: EngineViolation[];
    notApplicable: Record<string, number>;
}

export interface RunOptions {
    /** Policy pack config in the `--policy-pack-config` format. */
    config?: Record<string, unknown>;
    stackTags?: Record<string, string>;
    /** Run only these policies (per-rule fixtures). */
    only?: string[];
}

class NotApplicable extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicable(reason);
}

/** Schema defaults, then the configured level and settings (`all` first), as the CLI reconciles them. */
export function effectiveConfig(p: TandemPolicy, config: Record<string, unknown> = {}): { level: Level; properties: Record<string, unknown> } {
    const properties: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
        if (schema && typeof schema === "object" && "default" in schema) {
            properties[key] = structuredClone((schema as { default: unknown }).default);
        }
    }
    let level = (typeof config.all === "string" ? config.all : p.enforcementLevel ?? "advisory") as Level;
    const own = config[p.name];
    if (typeof own === "string") {
        level = own as Level;
    } else if (own && typeof own === "object") {
        const { enforcementLevel, properties: nested, ...flat } = own as Record<string, unknown>;
        if (typeof enforcementLevel === "string") {
            level = enforcementLevel as Level;
        }
        Object.assign(properties, flat, nested ?? {});
    }
    return { level, properties };
}

function freezeMap(map: Map<string, string>): ReadonlyMap<string, string> {
    return Object.freeze({
        entries: map.entries.bind(map), forEach: map.forEach.bind(map), get: map.get.bind(map), has: map.has.bind(map),
        keys: map.keys.bind(map), size: map.size, values: map.values.bind(map), [Symbol.iterator]: map[Symbol.iterator].bind(map),
    }) as unknown as ReadonlyMap<string, string>;
}

/** The google.protobuf.Struct the engine sends (decoded once per request, as gRPC does). */
const structs = new WeakMap<object, any>();
function structOf(wire: Record<string, unknown>): any {
    let struct = structs.get(wire);
    if (!struct) {
        struct = Struct.fromJavaScript(JSON.parse(JSON.stringify(wire)));
        structs.set(wire, struct);
    }
    return struct;
}

/** Properties as the server hands them to a policy: Struct → deserializeProperties (shared) → unknownCheckingProxy (anew for each policy, as the server does). */
function engineProps(wire: Record<string, unknown>): Record<string, any> {
    return proxy.unknownCheckingProxy(deserialize.deserializeProperties(structOf(wire), false));
}

function options(r: EngineResource): any {
    const o = r.options ?? {};
    const result: any = {
        protect: o.protect ?? false,
        ignoreChanges: o.ignoreChanges ?? [],
        aliases: o.aliases ?? [],
        customTimeouts: o.customTimeouts ?? { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: o.additionalSecretOutputs ?? [],
    };
    if (o.deleteBeforeReplace !== undefined) {
        result.deleteBeforeReplace = o.deleteBeforeReplace;
    }
    if (r.parent) {
        result.parent = r.parent;
    }
    return result;
}

function isTypeOf(type: string, resourceClass: any): boolean {
    const pulumiType = resourceClass?.__pulumiType;
    if (pulumiType) {
        return type === pulumiType;
    }
    return typeof resourceClass?.isInstance === "function" && resourceClass.isInstance({ __pulumiType: type }) === true;
}

/** Runs the policies on the resources as the engine's Analyze (per resource) and AnalyzeStack calls do. */
/**
 * Runs `run` (rules judging resources) and then checks that every properties object a rule was handed
 * is still what its Struct deserializes to: the served pack shares one copy between the rules of a
 * request (policy/lib/sharedProperties.ts), which is sound only while no rule writes to its props.
 * Reads are fresh for the duration, so properties deserialized earlier in the run are checked too.
 */
export async function withPropertiesUnchanged<T>(run: () => Promise<T>): Promise<T> {
    const module = deserializeModule();
    const installed = module.deserializeProperties;
    const fresh = unshared(installed);
    const read: [object, Record<string, unknown>][] = [];
    module.deserializeProperties = sharingDeserializer(fresh, (struct, props) => read.push([struct, props]));
    let result: T;
    try {
        result = await run();
    } finally {
        module.deserializeProperties = installed;
    }
    for (const [struct, props] of read) {
        assert.deepStrictEqual(props, fresh(struct, false), "a rule changed the properties it was given");
    }
    return result;
}

export async function runPolicies(policies: TandemPolicy[], resources: EngineResource[], opts: RunOptions = {}): Promise<EngineReport> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const stackTags = freezeMap(new Map(Object.entries(opts.stackTags ?? { "pulumi:project": "tandem", "pulumi:runtime": "nodejs" })));
    const violations: EngineViolation[] = [];
    const notApplicable: Record<string, number> = {};
    const providerOf = (r: EngineResource) => {
        const p = r.provider ? byUrn.get(r.provider) : undefined;
        return p ? { type: p.type, props: engineProps(p.inputs), urn: p.urn, name: p.name } : undefined;
    };
    const selected = policies.filter((p) => opts.only === undefined || opts.only.includes(p.name));
    const undecided = (p: TandemPolicy, e: Error, urn: string) => violations.push({
        policy: p.name, level: "advisory", urn, message: `can't run policy '${p.name}' from policy pack 'tandem@v1.0.0' during preview: ${e.message}`,
    });

    for (const r of resources) {
        for (const p of selected) {
            const { level, properties } = effectiveConfig(p, opts.config);
            if (level === "disabled" || !("validateResource" in p) || !p.validateResource) {
                continue;
            }
            const reportLevel: Level = level === "remediate" ? "mandatory" : level;
            // The server's fast check: a validation that names its type skips other types before deserializing.
            const pulumiType = (p.validateResource as any).__pulumiType;
            if (!Array.isArray(p.validateResource) && typeof pulumiType === "string" && pulumiType !== r.type) {
                notApplicable[p.name] = (notApplicable[p.name] ?? 0) + 1;
                continue;
            }
            const props = engineProps(r.inputs);
            const args: any = {
                type: r.type, props, urn: r.urn, name: r.name, opts: options(r), stackTags,
                isType: (c: any) => isTypeOf(r.type, c), asType: (c: any) => (isTypeOf(r.type, c) ? props : undefined),
                getConfig: () => structuredClone(properties), notApplicable: throwNotApplicable,
            };
            const provider = providerOf(r);
            if (provider) {
                args.provider = provider;
            }
            try {
                const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
                for (const v of validations) {
                    await Promise.resolve(v(args, (message: any, urn?: string) => violations.push({ policy: p.name, level: reportLevel, urn: urn ?? r.urn, message: String(message ?? p.description) })));
                }
            } catch (e) {
                if (e instanceof proxy.UnknownValueError) {
                    undecided(p, e, r.urn);
                } else if (e instanceof NotApplicable) {
                    notApplicable[p.name] = (notApplicable[p.name] ?? 0) + 1;
                } else {
                    throw e;
                }
            }
        }
    }

    for (const p of selected) {
        const { level, properties } = effectiveConfig(p, opts.config);
        if (level === "disabled" || !("validateStack" in p) || !p.validateStack) {
            continue;
        }
        const reportLevel: Level = level === "remediate" ? "mandatory" : level;
        // The server builds every resource anew for each stack policy (its properties are shared); so do we.
        const objects = new Map<string, any>();
        for (const r of resources) {
            const props = engineProps(r.state);
            const o: any = {
                type: r.type, props, urn: r.urn, name: r.name, opts: options(r), dependencies: [], propertyDependencies: {},
                isType: (c: any) => isTypeOf(r.type, c), asType: (c: any) => (isTypeOf(r.type, c) ? props : undefined),
            };
            const provider = providerOf(r);
            if (provider) {
                o.provider = provider;
            }
            objects.set(r.urn, o);
        }
        for (const r of resources) {
            const o = objects.get(r.urn);
            if (r.parent && objects.has(r.parent)) {
                o.parent = objects.get(r.parent);
            }
            o.dependencies = r.dependencies.map((d) => objects.get(d)).filter((d) => d);
            for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                o.propertyDependencies[k] = urns.map((d) => objects.get(d)).filter((d) => d);
            }
        }
        const args = { resources: [...objects.values()], getConfig: () => structuredClone(properties), stackTags, notApplicable: throwNotApplicable };
        try {
            await Promise.resolve(p.validateStack(args as any, (message: any, urn?: string) => violations.push({ policy: p.name, level: reportLevel, urn: urn ?? "", message: String(message ?? p.description) })));
        } catch (e) {
            if (e instanceof proxy.UnknownValueError) {
                undecided(p, e, "");
            } else if (e instanceof NotApplicable) {
                notApplicable[p.name] = (notApplicable[p.name] ?? 0) + 1;
            } else {
                throw e;
            }
        }
    }
    return { violations, notApplicable };
}
