// Tags as AWS applies them: the provider's default tags merged with the resource's own `tags`
// (v7's `tags` no longer includes the defaults; `tagsAll` does, but only after deployment).
import taggableTypes from "../taggableTypes.json";
import { isUnknown, parseJsonValue, rawGet } from "./values";

const TAGGABLE = new Set<string>(taggableTypes);

/** Whether the resource type's arguments take `tags` (from the installed @pulumi/aws; see taggableTypes.json). */
export function isTaggable(type: string): boolean {
    return TAGGABLE.has(type);
}

export type Tags = Record<string, string>;

/** Only string-valued, known entries; an unknown map yields undefined. */
function knownTags(value: unknown): Tags | undefined {
    if (value === undefined || value === null) {
        return {};
    }
    if (isUnknown(value) || typeof value !== "object") {
        return undefined;
    }
    const tags: Tags = {};
    for (const key of Object.keys(value)) {
        const v = rawGet(value, key);
        if (typeof v === "string" && !isUnknown(v)) {
            tags[key] = v;
        }
    }
    return tags;
}

/** The resource's own tags (undefined while the whole map is unknown). */
export function ownTags(props: unknown): Tags | undefined {
    return knownTags(rawGet(props, "tags"));
}

/**
 * The provider's default tags. Provider configuration reaches the engine JSON-encoded, so
 * `defaultTags` is usually the string `{"tags":{...}}`; an object is accepted too.
 */
export function providerDefaultTags(providerProps: unknown): Tags {
    const raw = rawGet(providerProps, "defaultTags");
    if (raw === undefined || raw === null || isUnknown(raw)) {
        return {};
    }
    const parsed = parseJsonValue(raw);
    if (!parsed.ok) {
        return {};
    }
    return knownTags(rawGet(parsed.value, "tags")) ?? {};
}

/** Tags the resource will carry in AWS: provider defaults overridden by its own. */
export function effectiveTags(props: unknown, providerProps: unknown): Tags | undefined {
    const own = ownTags(props);
    return own && { ...providerDefaultTags(providerProps), ...own };
}

/** Names of the keys whose value is not known yet (they may well be set). */
export function unknownTagKeys(props: unknown): string[] {
    const tags = rawGet(props, "tags");
    if (tags === null || typeof tags !== "object") {
        return [];
    }
    return Object.keys(tags).filter((k) => isUnknown(rawGet(tags, k)));
}
