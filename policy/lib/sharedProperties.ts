// @pulumi/policy's server deserializes a resource's properties anew for every policy that reads them
// (server.js calls `deserializeProperties(…getProperties(), false)` inside its loop over policies): in
// Analyze, once for each rule not limited to one type and once for the provider of each; in
// AnalyzeStack, every resource once per stack rule, i.e. 41 × 2,000 deserializations for a
// 2,000-resource stack. What it returns depends only on the message, one google.protobuf.Struct
// object for the whole request, so the served pack keeps it per Struct and the rules read one copy.
// Rules only read their props: the test harness's withPropertiesUnchanged compares what each read with
// a fresh deserialization, on both stacks (test/policy/sharedProperties.test.ts) and around every
// fixture case (test/policy/rules.test.ts). Remediate's deserialization is left alone: it keeps secrets
// behind a proxy and a remediation may change the props it is given.
type Deserialize = (struct: object, proxySecrets: boolean) => Record<string, unknown>;

const SHARING = Symbol("tandem.sharedProperties");

/** `original`, answering again from what it returned for the same Struct (and `onFirst` told once per Struct). */
export function sharingDeserializer(original: Deserialize, onFirst?: (struct: object, props: Record<string, unknown>) => void): Deserialize {
    const kept = new WeakMap<object, Record<string, unknown>>();
    const sharing: Deserialize = (struct, proxySecrets) => {
        if (proxySecrets) {
            return original(struct, proxySecrets);
        }
        let props = kept.get(struct);
        if (props === undefined) {
            props = original(struct, false);
            kept.set(struct, props);
            onFirst?.(struct, props);
        }
        return props;
    };
    return Object.assign(sharing, { [SHARING]: original });
}

/** The deserializer without sharing, whether or not it is installed. */
export function unshared(deserialize: Deserialize): Deserialize {
    return (deserialize as Deserialize & { [SHARING]?: Deserialize })[SHARING] ?? deserialize;
}

/** The module the server reads `deserializeProperties` from at each call. */
export function deserializeModule(): { deserializeProperties: Deserialize } {
    return require("@pulumi/policy/deserialize");
}

/**
 * Makes the server share each request's deserialized properties between the rules (once per process).
 * The module is @pulumi/policy's internal: if a release moves it, the pack still serves, only without
 * the sharing (test/policy/sharedProperties.test.ts then fails, which is the signal to look).
 */
export function shareDeserializedProperties(): void {
    let module: ReturnType<typeof deserializeModule>;
    try {
        module = deserializeModule();
    } catch {
        return;
    }
    if (typeof module.deserializeProperties === "function") {
        module.deserializeProperties = sharingDeserializer(unshared(module.deserializeProperties));
    }
}
