// The mock evaluation's own shortcuts leave what the engine receives unchanged: evaluations that share
// the serialized callbacks and their bundled packages (tools/engine/codeCache.ts) register exactly
// what evaluations that compute them afresh register, Lambda code archives included; the inputs and
// state it records from the JSON of their Structs are what the SDK's own deserializeProperties reads.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { evaluateStack } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";
import { assertSameRegistrations } from "../support/inventory";

describe("mock evaluation", function () {
    this.timeout(120_000);

    it("registers the same resources, code archives included, whether or not it shares the callbacks' code", async () => {
        // One stack: both bundle the same callbacks (their settings reach them as environment, not code).
        const fresh = await evaluateStack("prod", { shareCallbackCode: false });
        // The run's shared evaluation, which other suites read too; sharedAgain reuses the code it shared.
        const shared = await evaluatedStack("prod");
        const sharedAgain = await evaluateStack("prod");
        assertSameRegistrations(shared, fresh);
        assertSameRegistrations(sharedAgain, fresh, "second shared evaluation");
        const functions = fresh.resources.filter((r) => r.type === "aws:lambda/function:Function");
        assert.ok(functions.length > 0, "the comparison covers the serialized callbacks");
        for (const f of functions) {
            assert.ok(JSON.stringify(f.serializedInputs.code).includes("__index.js"), f.name);
        }
    });

    it("records inputs and state as the SDK deserializes the Structs they were sent in, deployed and in a first preview", async () => {
        const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
        const asTheSdkReads = (json: Record<string, unknown>) => JSON.stringify(pulumi.runtime.deserializeProperties(Struct.fromJavaScript(json)));
        for (const preview of [false, true]) {
            // Compared right after the evaluation: the SDK reads the runtime's settings (a preview's unknowns).
            const inventory = await evaluateStack("prod", { world: { preview } });
            const differing = inventory.resources.filter((r) => JSON.stringify(r.inputs) !== asTheSdkReads(r.serializedInputs) || JSON.stringify(r.state) !== asTheSdkReads(r.serializedState));
            assert.deepEqual(differing.map((r) => r.urn), [], preview ? "first preview" : "deployed");
            assert.ok(inventory.resources.some((r) => JSON.stringify(r.serializedInputs).includes(pulumi.runtime.specialSigKey)), "assets or secrets are compared");
        }
    });
});
