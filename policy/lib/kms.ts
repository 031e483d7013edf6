// What a `kmsKeyId` / `kmsMasterKeyId` / `kmsKeyArn` input names: a KMS key (by ARN, id or alias)
// or something else. A value computed from another kind of resource (a bucket's ARN, a topic) is the
// wrong attribute, even though it was computed "from the stack".
import { PolicyResource } from "@pulumi/policy";
import { label } from "./graph";
import { KMS_KEYS, T } from "./types";
import { isUnknown } from "./values";

const KEY_REFERENCE = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/.+)$/i;
const KEY_SOURCES = [...KMS_KEYS, T.alias];

/** Why `value` (computed from `deps`) does not name a KMS key, or undefined when it does (or may: unknown). */
export function keyReferenceProblem(value: unknown, deps: readonly PolicyResource[], options: { arnOnly?: boolean } = {}): string | undefined {
    const others = deps.filter((d) => !KEY_SOURCES.includes(d.type));
    if (typeof value === "string" && !isUnknown(value)) {
        if (!KEY_REFERENCE.test(value)) {
            return `${JSON.stringify(value)} is not a KMS key ARN, id or alias${others.length > 0 ? ` (it is computed from ${others.map(label).join(", ")})` : ""}`;
        }
        if (options.arnOnly && !value.startsWith("arn:")) {
            return `${JSON.stringify(value)} is not a key ARN (this input takes the key's ARN)`;
        }
        return undefined;
    }
    if (isUnknown(value) && deps.length > 0 && others.length === deps.length) {
        return `it is computed from ${others.map(label).join(", ")}, not from a KMS key`;
    }
    return undefined;
}
