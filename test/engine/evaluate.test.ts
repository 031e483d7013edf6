// The mock evaluation's own shortcuts leave what the engine receives unchanged: evaluations that share
// the serialized callbacks and their bundled packages (tools/engine/codeCache.ts) register exactly
// what evaluations that compute them afresh register, Lambda code archives included.
import { strict as assert } from "assert";
import { evaluateStack, Inventory } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";

/** Every registration as the engine receives it: inputs, dependencies, provider, parent, options. */
function registrations(inventory: Inventory): Map<string, string> {
    return new Map(inventory.resources.map((r) => [r.urn, JSON.stringify([
        r.serializedInputs, r.propertyDependencies, [...r.dependencies].sort(), r.provider, r.parent, r.options,
    ])]));
}

describe("mock evaluation", function () {
    this.timeout(120_000);

    it("registers the same resources, code archives included, whether or not it shares the callbacks' code", async () => {
        // One stack: both bundle the same callbacks (their settings reach them as environment, not code).
        const fresh = await evaluateStack("prod", { shareCallbackCode: false });
        // The run's shared evaluation, which other suites read too; sharedAgain reuses the code it shared.
        const shared = await evaluatedStack("prod");
        const sharedAgain = await evaluateStack("prod");
        assert.deepEqual(registrations(shared), registrations(fresh));
        assert.deepEqual(registrations(sharedAgain), registrations(fresh), "second shared evaluation");
        const functions = fresh.resources.filter((r) => r.type === "aws:lambda/function:Function");
        assert.ok(functions.length > 0, "the comparison covers the serialized callbacks");
        for (const f of functions) {
            assert.ok(JSON.stringify(f.serializedInputs.code).includes("__index.js"), f.name);
        }
    });
});
