// Pulumi.yaml as the CLI reads it: the project schema, the project's own validation of its config
// declarations, the Node.js runtime's options, and `main`. The project's config declarations are
// what the CLI merges into each stack (./stack.ts).
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { Problem } from "./rules";

export type ConfigType = "string" | "integer" | "boolean" | "array" | "object";

export interface ItemsType {
    type: ConfigType | ItemsType;
    items?: ItemsType;
}

/** One `config:` entry, after the CLI's shorthand rewrite (a bare value is a default or a value). */
export interface ConfigDeclaration {
    type?: ConfigType;
    items?: ItemsType;
    description?: string;
    secret?: boolean;
    default?: unknown;
    value?: unknown;
}

export interface Project {
    name: string;
    runtime: { name: string; options: Record<string, unknown> };
    main?: string;
    config: Record<string, ConfigDeclaration>;
}

export const PROJECT_FILE = "Pulumi.yaml";

const SIMPLE_TYPES: readonly string[] = ["string", "integer", "boolean", "array", "object"];
const DECLARATION_KEYS = ["type", "items", "description", "secret", "default", "value"];
/** tokens.IsName: letters, digits, `_`, `.`, `-`. */
const NAME = /^[A-Za-z0-9_.-]+$/;

/** The options the Node.js language host parses, with the type it insists on (parseOptions). */
const NODEJS_OPTIONS: Record<string, { type: "boolean" | "string"; allowed?: readonly string[] }> = {
    typescript: { type: "boolean" },
    tsconfig: { type: "string" },
    nodeargs: { type: "string" },
    production: { type: "boolean" },
    packagemanager: { type: "string", allowed: ["auto", "npm", "yarn", "pnpm", "bun"] },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isPrimitive = (v: unknown) => ["string", "number", "boolean"].includes(typeof v);
/** Go decodes `default:` with nothing after it as nil: not a default. */
export const present = (v: unknown) => v !== undefined && v !== null;

/** `key` belongs to the project's namespace (configKeyIsNamespacedByProject). */
export function isProjectKey(projectName: string, key: string): boolean {
    return !key.includes(":") || key.startsWith(`${projectName}:`);
}

/** The full `<namespace>:<name>` form of a project config key (parseConfigKey). */
export function fullKey(projectName: string, key: string): string {
    return key.includes(":") ? key : `${projectName}:${key}`;
}

/** ValidateConfigValue: whether `value` (as YAML or JSON decoded it) has the declared type. */
export function hasConfigType(type: ConfigType | ItemsType, items: ItemsType | undefined, value: unknown): boolean {
    if (typeof type === "object") {
        return false;
    }
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return isObject(value);
        case "array":
            return Array.isArray(value) && items !== undefined && value.every((v) => hasConfigType(items.type, items.items, v));
    }
}

/** InferFullTypeName: `array<string>` for an array of strings. */
export function typeName(type: ConfigType | ItemsType, items: ItemsType | undefined): string {
    const base = typeof type === "string" ? type : "object";
    return items ? `array<${typeName(items.type, items.items)}>` : base;
}

function itemsProblem(items: unknown, where: string): string | undefined {
    if (!isObject(items) || items.type === undefined) {
        return `${where} must be an object with a 'type'`;
    }
    if (typeof items.type === "string" && !SIMPLE_TYPES.includes(items.type)) {
        return `${where}.type is ${JSON.stringify(items.type)}; allowed: ${SIMPLE_TYPES.join(", ")}`;
    }
    if (items.type === "array" && items.items === undefined) {
        return `${where} is an array and must say the type of its items ('items')`;
    }
    return items.items === undefined ? undefined : itemsProblem(items.items, `${where}.items`);
}

/** Reads and checks Pulumi.yaml in `root`; the project is undefined when it cannot be used at all. */
export function loadProject(root: string): { project?: Project; problems: Problem[] } {
    const file = PROJECT_FILE;
    const problems: Problem[] = [];
    const problem = (rule: Problem["rule"], message: string) => problems.push({ rule, file, message });
    const location = path.join(root, file);
    if (!fs.existsSync(location)) {
        problem("project-file", `no ${file} in ${root}: this is not a Pulumi project`);
        return { problems };
    }
    let raw: unknown;
    try {
        raw = yaml.load(fs.readFileSync(location, "utf8"), { schema: yaml.CORE_SCHEMA });
    } catch (e) {
        problem("project-file", `${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
        return { problems };
    }
    if (!isObject(raw)) {
        problem("project-file", `${file} must be a mapping of project attributes`);
        return { problems };
    }

    const name = raw.name;
    if (name === undefined) {
        problem("project-name", "project is missing a 'name' attribute");
    } else if (typeof name !== "string" || name === "") {
        problem("project-name", "project is missing a non-empty string 'name' attribute");
    } else if (name.length > 100) {
        problem("project-name", "project names are limited to 100 characters");
    } else if (!NAME.test(name)) {
        problem("project-name", "project names may only contain alphanumerics, hyphens, underscores, and periods");
    }
    const projectName = typeof name === "string" ? name : "";

    const runtime = runtimeOf(raw.runtime, (m) => problem("project-runtime", m));

    let main: string | undefined;
    if (raw.main !== undefined && raw.main !== null) {
        if (typeof raw.main !== "string") {
            problem("project-main", "'main' must be a string (a path relative to Pulumi.yaml)");
        } else {
            main = raw.main;
            if (!fs.existsSync(path.resolve(root, main))) {
                problem("project-main", `project 'main' could not be read: ${main} does not exist`);
            }
        }
    }

    const config = configOf(projectName, raw.config, problem);
    if (problems.length > 0 && (name === undefined || runtime === undefined)) {
        return { problems };
    }
    return { project: { name: projectName, runtime: runtime ?? { name: "", options: {} }, main, config }, problems };
}

function runtimeOf(raw: unknown, problem: (message: string) => void): Project["runtime"] | undefined {
    if (raw === undefined || raw === null) {
        problem("project is missing a 'runtime' attribute; this program needs runtime: nodejs");
        return undefined;
    }
    let name: unknown = raw;
    let options: Record<string, unknown> = {};
    if (isObject(raw)) {
        const extra = Object.keys(raw).filter((k) => k !== "name" && k !== "options");
        if (extra.length > 0) {
            problem(`runtime: '${extra[0]}' not allowed; the allowed attributes are 'name' and 'options'`);
        }
        name = raw.name;
        if (raw.options !== undefined) {
            if (!isObject(raw.options)) {
                problem("runtime.options must be a mapping");
            } else {
                options = raw.options;
            }
        }
    }
    if (typeof name !== "string" || name === "") {
        problem("runtime must be a non-empty name (nodejs) or {name, options}");
        return undefined;
    }
    if (name !== "nodejs") {
        problem(`runtime is ${JSON.stringify(name)}; this program is TypeScript on Node.js: runtime nodejs`);
    }
    for (const [option, value] of Object.entries(options)) {
        const spec = NODEJS_OPTIONS[option];
        if (spec === undefined) {
            continue; // The language host ignores options it does not know.
        }
        if (typeof value !== spec.type) {
            problem(`${option} option must be a ${spec.type}`);
        } else if (spec.allowed && !spec.allowed.includes(value as string)) {
            problem(`${option} option must be one of ${spec.allowed.join(", ")}, got ${JSON.stringify(value)}`);
        }
    }
    return { name, options };
}

function configOf(projectName: string, raw: unknown, problem: (rule: Problem["rule"], message: string) => void): Record<string, ConfigDeclaration> {
    const config: Record<string, ConfigDeclaration> = {};
    if (raw === undefined || raw === null || typeof raw === "string") {
        return config; // a string is the deprecated stack-config folder (stackConfigDir)
    }
    if (!isObject(raw)) {
        problem("project-config-schema", "'config' must be a mapping of configuration keys");
        return config;
    }
    for (const [key, entry] of Object.entries(raw)) {
        const projectKey = isProjectKey(projectName, key);
        // RewriteShorthandConfigValues: a bare value is the default of a project key, the value of another.
        if (isPrimitive(entry) || Array.isArray(entry)) {
            config[key] = projectKey ? { default: entry } : { value: entry };
            continue;
        }
        if (!isObject(entry)) {
            problem("project-config-schema", `config.${key} must be a value or a declaration (type, description, default, ...)`);
            continue;
        }
        const unknown = Object.keys(entry).filter((k) => !DECLARATION_KEYS.includes(k));
        if (unknown.length > 0) {
            problem("project-config-schema", `config.${key}: '${unknown[0]}' not allowed; the allowed attributes are ${DECLARATION_KEYS.map((k) => `'${k}'`).join(", ")}`);
            continue;
        }
        const declaration = entry as ConfigDeclaration;
        if (declaration.type !== undefined && !SIMPLE_TYPES.includes(declaration.type)) {
            problem("project-config-schema", `config.${key}.type is ${JSON.stringify(declaration.type)}; allowed: ${SIMPLE_TYPES.join(", ")}`);
            continue;
        }
        if (declaration.description !== undefined && typeof declaration.description !== "string") {
            problem("project-config-schema", `config.${key}.description must be a string`);
        }
        if (declaration.secret !== undefined && typeof declaration.secret !== "boolean") {
            problem("project-config-schema", `config.${key}.secret must be true or false`);
        }
        if (declaration.items !== undefined) {
            const itemProblem = itemsProblem(declaration.items, `config.${key}.items`);
            if (itemProblem) {
                problem("project-config-schema", itemProblem);
                continue;
            }
        }
        if (present(declaration.default) && present(declaration.value)) {
            problem("project-config-default", `project config '${key}' cannot have both a 'default' and 'value' attribute`);
        }
        if (projectKey) {
            if (declaration.type === "array" && declaration.items === undefined) {
                problem("project-config-schema", `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`);
            } else if (declaration.type !== undefined && present(declaration.default)
                && !hasConfigType(declaration.type, declaration.items, declaration.default)) {
                problem("project-config-default", `The default value specified for configuration key '${key}' is not of the expected type '${typeName(declaration.type, declaration.items)}'`);
            }
        } else if (declaration.type !== undefined) {
            problem("project-config-namespaced", `Configuration key '${key}' is not namespaced by the project and should not define a type`);
        } else if (present(declaration.default)) {
            problem("project-config-namespaced", `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`);
        } else if (!present(declaration.value)) {
            problem("project-config-namespaced", `Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
        }
        config[key] = declaration;
    }
    return config;
}

/** The file the Node.js runtime starts: `main` (a file, or a folder's index), else the package's main, else index. */
export function entryPoint(root: string, project: Project): string {
    const main = project.main ? path.resolve(root, project.main) : root;
    if (fs.existsSync(main) && fs.statSync(main).isFile()) {
        return main;
    }
    const pkg = path.join(main, "package.json");
    const pkgMain = fs.existsSync(pkg) ? (JSON.parse(fs.readFileSync(pkg, "utf8")) as { main?: string }).main : undefined;
    const candidates = [pkgMain && path.resolve(main, pkgMain), path.join(main, "index.ts"), path.join(main, "index.js")];
    return candidates.find((c): c is string => typeof c === "string" && fs.existsSync(c)) ?? path.join(main, "index.ts");
}
