// Reading resource properties the way the engine hands them to a policy pack: wrapped by
// `unknownCheckingProxy`, with values that are not known yet (during a preview) as sentinel strings.
// Reading an unknown value through the proxy throws UnknownValueError, which the policy server turns
// into an advisory "can't run during preview" diagnostic. These helpers let a rule ask whether a
// property is set, unknown or absent without tripping that, and parse JSON-encoded properties.

/**
 * The wire protocol's sentinels for values that are not known yet, one per type (the engine's
 * `resource/plugin` marshalling and @pulumi/policy's proxy use the same strings; a test checks them).
 */
export const UNKNOWN_SENTINELS = {
    boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    asset: "030794c1-ac77-496b-92df-f27374a8bd58",
    archive: "e48ece36-62e2-4504-bad9-02848725956a",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

const UNKNOWN = new Set<unknown>(Object.values(UNKNOWN_SENTINELS));

export function isUnknown(value: unknown): boolean {
    return UNKNOWN.has(value);
}

// The error class the policy server recognises; only `instanceof` against the very same class works,
// and its type declarations are not published, hence the require.
const { UnknownValueError } = require("@pulumi/policy") as { UnknownValueError: new (sentinel: string, path: string[]) => Error };

export function isUnknownValueError(e: unknown): e is Error {
    return e instanceof UnknownValueError;
}

/** An own property read without the proxy's get trap: unknown sentinels come back as they are. */
export function rawGet(obj: unknown, key: string): unknown {
    if (obj === null || typeof obj !== "object") {
        return undefined;
    }
    return Object.getOwnPropertyDescriptor(obj, key)?.value;
}

/** A nested property read without tripping over unknowns; stops (returning the sentinel) at the first unknown. */
export function rawPath(obj: unknown, ...path: (string | number)[]): unknown {
    let current: unknown = obj;
    for (const key of path) {
        if (isUnknown(current) || current === null || current === undefined) {
            return current === null ? undefined : current;
        }
        current = rawGet(current, String(key));
    }
    return current;
}

/**
 * Reads a value the verdict depends on. When it (or anything on the way to it) is not known yet, this
 * throws the engine's UnknownValueError, so the rule is reported as "can't run during preview"
 * instead of deciding on a guess.
 */
export function known(obj: unknown, ...path: (string | number)[]): unknown {
    let current: unknown = obj;
    if (isUnknown(current)) {
        throw new UnknownValueError(current as string, []);
    }
    for (let i = 0; i < path.length; i++) {
        if (current === null || current === undefined) {
            return undefined;
        }
        current = rawGet(current, String(path[i]));
        if (isUnknown(current)) {
            throw new UnknownValueError(current as string, path.slice(0, i + 1).map(String));
        }
    }
    return current === null ? undefined : current;
}

/** `known`, as a list whose elements must be known too. */
export function knownList(obj: unknown, ...path: (string | number)[]): unknown[] {
    const list = asList(known(obj, ...path));
    list.forEach((element) => {
        if (isUnknown(element)) {
            throw new UnknownValueError(element as string, path.map(String));
        }
    });
    return list;
}

/** What is known about a property: absent (undefined or null), unknown until deployment, or known. */
export type Known<T> = { state: "absent" } | { state: "unknown" } | { state: "known"; value: T };

export function peek(obj: unknown, ...path: (string | number)[]): Known<unknown> {
    const value = rawPath(obj, ...path);
    if (value === undefined || value === null) {
        return { state: "absent" };
    }
    if (isUnknown(value)) {
        return { state: "unknown" };
    }
    return { state: "known", value };
}

/** True when the property is set to something (a known value or one computed during deployment). */
export function isSet(obj: unknown, ...path: (string | number)[]): boolean {
    const v = peek(obj, ...path);
    return v.state === "unknown" || (v.state === "known" && v.value !== "");
}

/** A known string, else undefined (absent, unknown or not a string). */
export function knownString(obj: unknown, ...path: (string | number)[]): string | undefined {
    const v = peek(obj, ...path);
    return v.state === "known" && typeof v.value === "string" ? v.value : undefined;
}

/** A copy of a value with every proxy removed (unknown sentinels stay), safe to spread or serialize. */
export function plain<T>(value: T): T {
    if (value === null || typeof value !== "object") {
        return value;
    }
    if (Array.isArray(value)) {
        return Array.from({ length: value.length }, (_, i) => plain(rawGet(value, String(i)))) as T;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        out[key] = plain(rawGet(value, key));
    }
    return out as T;
}

/**
 * Parses a property that AWS takes as a JSON document (IAM policies, redrive policies) or that the
 * engine JSON-encodes (provider configuration). Objects are returned as they are.
 */
export function parseJsonValue(value: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
    if (typeof value !== "string") {
        return { ok: true, value };
    }
    try {
        return { ok: true, value: JSON.parse(value) };
    } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
}

/** `x` or `[x, y]` as a list (an AWS document's single-or-list fields). */
export function asList(value: unknown): unknown[] {
    if (value === undefined || value === null) {
        return [];
    }
    return Array.isArray(value) ? value : [value];
}

/** Wire-protocol signatures of assets and archives (sdk/go/common/resource/sig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

const { Secret } = require("@pulumi/policy") as { Secret: new (value: unknown) => { value: unknown } };

async function wireForm(value: any): Promise<unknown> {
    if (value === null || typeof value !== "object") {
        return value;
    }
    if (value.__pulumiArchive === true) {
        if (value.assets !== undefined) {
            const assets: Record<string, unknown> = await value.assets;
            const wired: Record<string, unknown> = {};
            for (const [name, a] of Object.entries(assets)) {
                wired[name] = await wireForm(a);
            }
            return { [SIG_KEY]: ARCHIVE_SIG, assets: wired };
        }
        return value.path !== undefined ? { [SIG_KEY]: ARCHIVE_SIG, path: await value.path } : { [SIG_KEY]: ARCHIVE_SIG, uri: await value.uri };
    }
    if (value.__pulumiAsset === true) {
        if (value.text !== undefined) {
            return { [SIG_KEY]: ASSET_SIG, text: await value.text };
        }
        return value.path !== undefined ? { [SIG_KEY]: ASSET_SIG, path: await value.path } : { [SIG_KEY]: ASSET_SIG, uri: await value.uri };
    }
    if (value instanceof Secret) {
        value.value = await wireForm(value.value);
        return value;
    }
    for (const key of Object.keys(value)) {
        value[key] = await wireForm(value[key]);
    }
    return value;
}

/**
 * Replaces assets and archives in a remediation's result by their wire form. @pulumi/policy 1.21
 * serializes an AssetArchive returned by a remediation as the list of its names, which would replace a
 * Lambda function's code with garbage; in wire form it passes through unchanged.
 */
export async function keepAssetsIntact(props: Record<string, any>): Promise<void> {
    for (const key of Object.keys(props)) {
        const value = rawGet(props, key);
        const wired = await wireForm(value);
        if (wired !== value) {
            props[key] = wired;
        }
    }
}
