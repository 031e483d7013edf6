// Policy pack configuration the way the Pulumi CLI handles it: the `--policy-pack-config` file format,
// and the reconciliation the CLI performs before calling Configure (pkg/resource/analyzer/config.go):
// schema defaults first, then the pack's initial config, then the given config (`all` first, then each
// policy), then validation of every policy's settings against its JSON schema.
import * as fs from "fs";

export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

/** One policy's configuration: a level and/or settings. */
export interface PolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** What `--policy-pack-config` holds: `{ "all": "advisory", "rule": "disabled", "rule2": { "enforcementLevel": ..., "setting": ... } }`. */
export type PolicyConfigFile = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface PolicySchema {
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
}

export interface PolicyMetadata {
    name: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: PolicySchema;
}

const isLevel = (v: unknown): v is EnforcementLevel => typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);

/** Parses the file format of `pulumi preview --policy-pack-config` (and of a pack's initial config). */
export function parsePolicyConfig(json: unknown, source = "policy config"): Record<string, PolicyConfig> {
    if (json === null || json === undefined || (typeof json === "string" && json.trim() === "")) {
        return {};
    }
    if (typeof json !== "object" || Array.isArray(json)) {
        throw new Error(`${source}: expected a JSON object of policy names`);
    }
    const result: Record<string, PolicyConfig> = {};
    for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
        if (typeof value === "string") {
            if (!isLevel(value)) {
                throw new Error(`${source}: parsing enforcement level for "${name}": "${value}" is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
            }
            result[name] = { enforcementLevel: value };
        } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
                throw new Error(`${source}: parsing enforcement level for "${name}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`);
            }
            const config: PolicyConfig = {};
            if (enforcementLevel !== undefined) {
                config.enforcementLevel = enforcementLevel;
            }
            if (Object.keys(properties).length > 0) {
                config.properties = properties;
            }
            if (config.enforcementLevel !== undefined || config.properties !== undefined) {
                result[name] = config;
            }
        } else {
            throw new Error(`${source}: parsing "${name}": ${JSON.stringify(value)} is not a valid value; must be a string or object`);
        }
    }
    return result;
}

/** Reads a `--policy-pack-config` file: its JSON as written, after checking it parses as policy config. */
export function readPolicyConfigFile(file: string): Record<string, unknown> {
    const text = fs.readFileSync(file, "utf8");
    let json: unknown;
    try {
        json = text.trim() === "" ? {} : JSON.parse(text);
    } catch (e) {
        throw new Error(`${file} is not valid JSON: ${e instanceof Error ? e.message : e}`);
    }
    parsePolicyConfig(json, file);
    return json as Record<string, unknown>;
}

function applyConfig(result: Record<string, PolicyConfig>, given: Record<string, PolicyConfig>): void {
    const all = given.all?.enforcementLevel;
    if (all !== undefined) {
        for (const name of Object.keys(result)) {
            result[name] = { enforcementLevel: all, properties: result[name].properties };
        }
    }
    for (const [name, config] of Object.entries(given)) {
        const current = result[name] ?? {};
        const properties = config.properties ? { ...(current.properties ?? {}), ...config.properties } : current.properties;
        result[name] = { enforcementLevel: config.enforcementLevel ?? current.enforcementLevel, properties };
    }
}

/** Each policy's final level and settings, or the validation errors the CLI would print. */
export function reconcilePolicyConfig(
    policies: PolicyMetadata[], initialConfig: Record<string, PolicyConfig>, config: Record<string, PolicyConfig>,
): { config: Record<string, PolicyConfig>; errors: string[] } {
    const result: Record<string, PolicyConfig> = {};
    for (const p of policies) {
        let properties: Record<string, unknown> | undefined;
        for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if ("default" in schema) {
                properties = { ...(properties ?? {}), [key]: schema.default };
            }
        }
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties };
    }
    applyConfig(result, initialConfig);
    applyConfig(result, config);

    const errors: string[] = [];
    for (const p of policies) {
        if (!p.configSchema) {
            continue;
        }
        const schema = { type: "object", properties: p.configSchema.properties, required: p.configSchema.required };
        for (const e of validateJsonSchema(schema, result[p.name]?.properties ?? {}, "")) {
            errors.push(`${p.name}: ${e}`);
        }
    }
    // Stricter than the CLI, which ignores both: a misspelt policy or setting name is an error here.
    const byName = new Map(policies.map((p) => [p.name, p]));
    for (const [name, given] of Object.entries(config)) {
        const policy = byName.get(name);
        if (!policy) {
            if (name !== "all") {
                errors.push(`${name}: the pack has no policy of this name`);
            }
            continue;
        }
        const settings = Object.keys(policy.configSchema?.properties ?? {});
        for (const key of Object.keys(given.properties ?? {})) {
            if (!settings.includes(key)) {
                errors.push(`${name}: ${key} is not a setting of this policy (${settings.length > 0 ? `settings: ${settings.join(", ")}` : "it has none"})`);
            }
        }
    }
    return { config: result, errors };
}

function typeOf(v: unknown): string {
    if (v === null) {
        return "null";
    }
    if (Array.isArray(v)) {
        return "array";
    }
    if (typeof v === "number") {
        return Number.isInteger(v) ? "integer" : "number";
    }
    return typeof v;
}

/** The JSON Schema keywords policy config schemas use (draft-07 subset), with gojsonschema-like messages. */
export function validateJsonSchema(schema: Record<string, any>, value: unknown, path: string): string[] {
    const at = path === "" ? "(root)" : path;
    const errors: string[] = [];
    if (schema.type !== undefined) {
        const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
        const actual = typeOf(value);
        const ok = types.some((t) => t === actual || (t === "number" && actual === "integer"));
        if (!ok) {
            return [`${at}: Invalid type. Expected: ${types.join(" or ")}, given: ${actual}`];
        }
    }
    if (schema.enum !== undefined && !(schema.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        errors.push(`${at}: must be one of the following: ${(schema.enum as unknown[]).map((e) => JSON.stringify(e)).join(", ")}`);
    }
    if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value)) {
        errors.push(`${at}: Does not match: ${JSON.stringify(schema.const)}`);
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) {
            errors.push(`${at}: Must be greater than or equal to ${schema.minimum}`);
        }
        if (schema.maximum !== undefined && value > schema.maximum) {
            errors.push(`${at}: Must be less than or equal to ${schema.maximum}`);
        }
        if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
            errors.push(`${at}: Must be greater than ${schema.exclusiveMinimum}`);
        }
        if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
            errors.push(`${at}: Must be less than ${schema.exclusiveMaximum}`);
        }
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength) {
            errors.push(`${at}: String length must be greater than or equal to ${schema.minLength}`);
        }
        if (schema.maxLength !== undefined && value.length > schema.maxLength) {
            errors.push(`${at}: String length must be less than or equal to ${schema.maxLength}`);
        }
        if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
            errors.push(`${at}: Does not match pattern '${schema.pattern}'`);
        }
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) {
            errors.push(`${at}: Array must have at least ${schema.minItems} items`);
        }
        if (schema.maxItems !== undefined && value.length > schema.maxItems) {
            errors.push(`${at}: Array must have at most ${schema.maxItems} items`);
        }
        if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
            errors.push(`${at}: array items must be unique`);
        }
        if (schema.items !== undefined && !Array.isArray(schema.items)) {
            value.forEach((v, i) => errors.push(...validateJsonSchema(schema.items, v, `${path === "" ? "" : path}.${i}`.replace(/^\./, ""))));
        }
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        const obj = value as Record<string, unknown>;
        for (const key of schema.required ?? []) {
            if (!(key in obj)) {
                errors.push(`${at}: ${key} is required`);
            }
        }
        for (const [key, v] of Object.entries(obj)) {
            const child = path === "" ? key : `${path}.${key}`;
            const own = schema.properties?.[key];
            if (own !== undefined) {
                errors.push(...validateJsonSchema(own, v, child));
            } else if (schema.additionalProperties === false) {
                errors.push(`${at}: Additional property ${key} is not allowed`);
            } else if (typeof schema.additionalProperties === "object") {
                errors.push(...validateJsonSchema(schema.additionalProperties, v, child));
            }
        }
    }
    return errors;
}
