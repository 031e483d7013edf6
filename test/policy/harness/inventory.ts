// An evaluated stack (tools/engine's Inventory) as the engine would hand it to an analyzer, for the
// in-process run: inputs marshalled as the engine marshals them for Analyze (the policy host's
// engineProperties), state = outputs with the inputs over them, as the engine's AnalyzeStack sends
// after the Analyze pass.
import type { Inventory, RecordedResource } from "../../../tools/engine/evaluate";
import { engineProperties, goDurationSeconds } from "../../../tools/engine/policyHost";
import { EngineResource } from "./engine";

function engineResource(r: RecordedResource): EngineResource {
    const inputs = engineProperties(r.serializedInputs);
    const outputs = engineProperties(r.serializedState);
    const t = r.options?.customTimeouts;
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        inputs,
        state: { ...outputs, ...inputs },
        provider: r.provider ? r.provider.split("::").slice(0, -1).join("::") : undefined,
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        options: r.options && {
            protect: r.options.protect, ignoreChanges: r.options.ignoreChanges, aliases: r.options.aliases,
            additionalSecretOutputs: r.options.additionalSecretOutputs, deleteBeforeReplace: r.options.deleteBeforeReplace,
            customTimeouts: { createSeconds: goDurationSeconds(t?.create ?? ""), updateSeconds: goDurationSeconds(t?.update ?? ""), deleteSeconds: goDurationSeconds(t?.delete ?? "") },
        },
    };
}

/**
 * Each recorded resource converted once: the mutation suite judges ~100 edits of a few evaluated stacks,
 * and an edit copies only the resources it changes (so the rest keep their conversion, and the wire form
 * the harness decodes once per object). Neither the recorded resources nor the results are modified.
 */
const converted = new WeakMap<RecordedResource, EngineResource>();

export function engineResources(inv: Inventory): EngineResource[] {
    return inv.resources.map((r) => converted.get(r) ?? converted.set(r, engineResource(r)).get(r)!);
}

/** The stack tags a local backend gives a stack (as tools/engine's host sends them). */
export const STACK_TAGS = { "pulumi:project": "tandem", "pulumi:runtime": "nodejs" };
