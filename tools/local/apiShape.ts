// Registered inputs (the provider's camelCase schema) in the S3 API's shape: PascalCase members, the
// few acronyms the API spells in capitals, and tag maps as Tag lists. The provider's S3 configuration
// resources mirror the API member for member (terraform-provider-aws, internal/service/s3), which is
// what makes a mechanical translation faithful.

const RENAMED: Record<string, string> = {
    id: "ID",
    sseAlgorithm: "SSEAlgorithm",
    kmsMasterKeyId: "KMSMasterKeyID",
    replicaKmsKeyId: "ReplicaKmsKeyID",
    mfaDelete: "MFADelete",
    uri: "URI",
};

const member = (name: string) => RENAMED[name] ?? name.charAt(0).toUpperCase() + name.slice(1);

export function apiShape(value: unknown): any {
    if (Array.isArray(value)) return value.map(apiShape);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value)) {
        if (v === undefined) continue;
        // The provider takes filter tags as a map; the API as [{Key, Value}].
        if (name === "tags" && v !== null && typeof v === "object" && !Array.isArray(v)) {
            out.Tags = Object.entries(v).map(([Key, Value]) => ({ Key, Value }));
        } else {
            out[member(name)] = apiShape(v);
        }
    }
    return out;
}

/** The registered inputs a request is built from; throws on any other input, so a new setting in the program cannot be dropped silently. */
export function knownInputs(what: string, inputs: Record<string, any>, shaping: readonly string[]): Record<string, any> {
    // Inputs that decide where a resource lives or how it is destroyed, not what it is.
    const placement = ["bucket", "region", "forceDestroy", "skipDestroy"];
    const unknown = Object.keys(inputs).filter((k) => inputs[k] !== undefined && !shaping.includes(k) && !placement.includes(k));
    if (unknown.length > 0) {
        throw new Error(`${what}: the local run does not provision ${unknown.join(", ")} (tools/local/provision*.ts)`);
    }
    return Object.fromEntries(shaping.filter((k) => inputs[k] !== undefined).map((k) => [k, inputs[k]]));
}
