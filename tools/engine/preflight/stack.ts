// Pulumi.<stack>.yaml as the CLI reads it, and the configuration the CLI hands the program: the stack's
// values merged with the project's defaults and values, after the same validation `pulumi up` runs
// first (ValidateStackConfigAndApplyProjectConfig). The result is what `pulumi.runtime.allConfig()`
// returns under the CLI: full keys, string values, objects and lists as JSON.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { fullKey, hasConfigType, isProjectKey, present, Project, typeName } from "./project";
import { Problem } from "./rules";

/** One stack config value as the CLI stores it (config.Value): its text, and whether secure / JSON. */
export interface StackValue {
    text: string;
    secure: boolean;
    object: boolean;
}

export interface StackFile {
    name: string;
    file: string;
    secretsProvider?: string;
    encryptionSalt?: string;
    encryptedKey?: string;
    config: Record<string, StackValue>;
}

const STACK_KEYS = ["secretsprovider", "encryptedkey", "encryptionsalt", "config", "environment"];
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export function stackFileName(stack: string): string {
    return `Pulumi.${stack}.yaml`;
}

/** The stacks a project folder has files for (Pulumi.<stack>.yaml), by name. */
export function stackNames(root: string): string[] {
    return fs.readdirSync(root).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** isSecureValue: a mapping whose only key is `secure`, with a string. */
const isSecure = (v: unknown): v is { secure: string } => isObject(v) && Object.keys(v).length === 1 && typeof v.secure === "string";

function containsSecure(v: unknown): boolean {
    return isSecure(v) || (Array.isArray(v) ? v.some(containsSecure) : isObject(v) && Object.values(v).some(containsSecure));
}

/** object.MarshalString: scalars as their text (numbers and booleans as JSON), anything else as JSON. */
export function configText(value: unknown): StackValue {
    if (isSecure(value)) {
        return { text: value.secure, secure: true, object: false };
    }
    if (typeof value === "string") {
        return { text: value, secure: false, object: false };
    }
    if (typeof value === "number" || typeof value === "boolean") {
        return { text: JSON.stringify(value), secure: false, object: false };
    }
    return { text: JSON.stringify(value ?? null), secure: containsSecure(value), object: true };
}

/** Reads and checks the stack file; bare keys are namespaced with the project (as the CLI does). */
export function loadStack(root: string, project: Project, stack: string): { stack?: StackFile; problems: Problem[]; warnings: string[] } {
    const file = stackFileName(stack);
    const problems: Problem[] = [];
    const warnings: string[] = [];
    const problem = (rule: Problem["rule"], message: string) => problems.push({ rule, file, message });
    if (!STACK_NAME.test(stack)) {
        problem("stack-file", `${JSON.stringify(stack)} is not a stack name: up to 100 letters, digits, hyphens, underscores and periods`);
        return { problems, warnings };
    }
    const location = path.join(root, file);
    if (!fs.existsSync(location)) {
        // The CLI starts such a stack with empty config; required keys are then reported as missing.
        warnings.push(`${file} does not exist: the stack has no configuration of its own`);
        return { stack: { name: stack, file, config: {} }, problems, warnings };
    }
    let raw: unknown;
    try {
        raw = yaml.load(fs.readFileSync(location, "utf8"), { schema: yaml.CORE_SCHEMA });
    } catch (e) {
        problem("stack-file", `${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
        return { problems, warnings };
    }
    if (raw === undefined || raw === null) {
        return { stack: { name: stack, file, config: {} }, problems, warnings };
    }
    if (!isObject(raw)) {
        problem("stack-file", `${file} must be a mapping (secretsprovider, encryptionsalt, config, ...)`);
        return { problems, warnings };
    }
    for (const key of Object.keys(raw).filter((k) => !STACK_KEYS.includes(k))) {
        // The CLI ignores attributes it does not know: a misspelt `config` silently drops every value.
        warnings.push(`${file}: '${key}' is not a stack attribute and is ignored (attributes: ${STACK_KEYS.join(", ")})`);
    }
    const text = (key: string) => {
        const v = raw[key];
        if (v !== undefined && v !== null && typeof v !== "string") {
            problem("stack-file", `${file}: '${key}' must be a string`);
            return undefined;
        }
        return v ?? undefined;
    };
    const result: StackFile = { name: stack, file, secretsProvider: text("secretsprovider"), encryptionSalt: text("encryptionsalt"), encryptedKey: text("encryptedkey"), config: {} };

    const config = raw.config ?? {};
    if (!isObject(config)) {
        problem("stack-file", `${file}: 'config' must be a mapping of <namespace>:<name> keys`);
        return { problems, warnings };
    }
    const empty: string[] = [];
    for (const [key, value] of Object.entries(config)) {
        const colons = key.split(":").length - 1;
        // ParseKey accepts `ns:name` and the legacy `ns:config:name`; a bare key is the project's.
        if (colons > 2 || (colons === 2 && key.split(":")[1] !== "config") || key.startsWith(":") || key.endsWith(":")) {
            problem("stack-config-key", `could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`);
            continue;
        }
        const full = colons === 2 ? key.split(":").filter((_, i) => i !== 1).join(":") : fullKey(project.name, key);
        if (value === null) {
            empty.push(full);
        }
        if (isObject(value) && "secure" in value && !isSecure(value)) {
            problem("stack-secure-value", `${full}: a secure value is exactly {secure: <ciphertext>} (maps with the single key "secure" are reserved)`);
            continue;
        }
        result.config[full] = configText(value);
    }
    if (empty.length > 0) {
        warnings.push(`${file}: no value for ${empty.map((k) => `"${k}"`).join(", ")}; the CLI passes null`);
    }
    const secure = Object.entries(result.config).filter(([, v]) => v.secure).map(([k]) => k);
    if (secure.length > 0) {
        const provider = result.secretsProvider ?? "";
        if (provider === "passphrase" && !result.encryptionSalt) {
            problem("stack-secure-value", `${secure.join(", ")} ${secure.length > 1 ? "are" : "is"} secure, but ${file} has no encryptionsalt: the passphrase provider cannot decrypt ${secure.length > 1 ? "them" : "it"} (set secrets again with \`pulumi config set --secret\`)`);
        }
        if (/^(awskms|azurekeyvault|gcpkms|hashivault):\/\//.test(provider) && !result.encryptedKey) {
            problem("stack-secure-value", `${secure.join(", ")} ${secure.length > 1 ? "are" : "is"} secure, but ${file} has no encryptedkey for ${provider}`);
        }
    }
    return { stack: result, problems, warnings };
}

/**
 * The configuration the CLI gives the program: stack values, then the project's defaults and values
 * for keys the stack does not set, with the CLI's refusals (missing required keys, wrong types,
 * secrets not secure) as problems. Secure values cannot be decrypted offline: the program gets the
 * ciphertext's placeholder `[secret]`.
 */
export function mergeConfig(project: Project, stack: StackFile): { config: Record<string, string>; secretKeys: string[]; problems: Problem[] } {
    const problems: Problem[] = [];
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(stack.config)) {
        config[key] = value.secure && !value.object ? "[secret]" : value.text;
        if (value.secure) {
            secretKeys.push(key);
        }
    }
    const missing: string[] = [];
    const merged: Record<string, StackValue> = { ...stack.config };
    for (const key of Object.keys(project.config).sort()) {
        const declaration = project.config[key];
        const full = fullKey(project.name, key);
        if (merged[full] !== undefined) {
            continue;
        }
        if (present(declaration.value) || present(declaration.default)) {
            merged[full] = configText(present(declaration.default) ? declaration.default : declaration.value);
            config[full] = merged[full].text;
        } else if (isProjectKey(project.name, key)) {
            missing.push(key);
        }
    }
    // validateStackConfigValues: typed keys only, on the merged values (defaults included).
    for (const key of Object.keys(project.config).sort()) {
        const declaration = project.config[key];
        const value = merged[fullKey(project.name, key)];
        if (declaration.type === undefined || value === undefined) {
            continue;
        }
        if (declaration.secret && !value.secure) {
            problems.push({ rule: "stack-config-type", file: stack.file, message: `Stack '${stack.name}' with configuration key '${key}' must be encrypted as it's secret` });
        } else if (!value.secure && !hasConfigType(declaration.type, declaration.items, value.object ? JSON.parse(value.text) : value.text)) {
            problems.push({ rule: "stack-config-type", file: stack.file, message: `Stack '${stack.name}' with configuration key '${key}' must be of type '${typeName(declaration.type, declaration.items)}'` });
        }
    }
    if (missing.length > 0) {
        problems.unshift({ rule: "stack-config-required", file: stack.file, message: missingKeysMessage(stack.name, missing) });
    }
    return { config, secretKeys, problems };
}

/** missingStackConfigurationKeysError, word for word. */
export function missingKeysMessage(stack: string, keys: string[]): string {
    const sorted = [...keys].sort();
    const quoted = sorted.map((k) => `'${k}'`);
    const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -2).map((q) => `${q}, `).join("")}${quoted[quoted.length - 2]} and ${quoted[quoted.length - 1]}`;
    return `Stack '${stack}' is missing configuration ${keys.length > 1 ? "values" : "value"} ${list}`;
}
