// The mock evaluation's own shortcuts leave what the engine receives unchanged: evaluations that share
// the serialized callbacks and their bundled packages (tools/engine/codeCache.ts) register exactly
// what evaluations that compute them afresh register, Lambda code archives included.
import { strict as assert } from "assert";
import { evaluateStack, Inventory } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";

/** Every registration as the engine receives it: inputs, dependencies, provider, parent, options. */
function registrations(inventory: Inventory): Map<string, string> {
    return new Map(inventory.resources.map((r) => [r.urn, JSON.stringify([
        r.serializedInputs.toJavaScript(), r.propertyDependencies, [...r.dependencies].sort(), r.provider, r.parent, r.options,
    ])]));
}

describe("mock evaluation", function () {
    this.timeout(120_000);

    it("registers the same resources, code archives included, whether or not it shares the callbacks' code", async () => {
        for (const stack of ["prod", "dr"]) {
            const fresh = await evaluateStack(stack, { shareCallbackCode: false });
            // The run's shared evaluation, which other suites read too; sharedAgain reuses the code it shared.
            const shared = await evaluatedStack(stack);
            const sharedAgain = await evaluateStack(stack);
            assert.deepEqual(registrations(shared), registrations(fresh), stack);
            assert.deepEqual(registrations(sharedAgain), registrations(fresh), `${stack}, second shared evaluation`);
            const code = fresh.resources.find((r) => r.type === "aws:lambda/function:Function")!.serializedInputs.toJavaScript().code;
            assert.ok(JSON.stringify(code).includes("__index.js"), "the comparison covers the serialized callback");
        }
    });
});
