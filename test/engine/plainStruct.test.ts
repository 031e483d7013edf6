// Properties encoded straight from JSON (tools/engine/plainStruct.ts) against google-protobuf's own
// Struct.fromJavaScript + serializeBinary, which the policy host used before: the same bytes for every
// resource of both stacks, for the corners of JSON, and inside the messages the host sends; the same
// refusal of what is not JSON.
import { strict as assert } from "assert";
import { evaluatedStack } from "../support/evaluatedStacks";
import { plainStruct } from "../../tools/engine/plainStruct";
import { engineProperties } from "../../tools/engine/policyHost";

const proto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

const jspbBytes = (json: Record<string, unknown>) => Buffer.from(Struct.fromJavaScript(json).serializeBinary());
const plainBytes = (json: Record<string, unknown>) => Buffer.from(plainStruct(json).serializeBinary());
const refusal = (encode: () => unknown) => {
    try {
        encode();
        return "encoded";
    } catch (e) {
        return (e as Error).message;
    }
};

describe("engine: properties encoded straight from JSON", function () {
    this.timeout(120_000);

    for (const stack of ["prod", "dr"] as const) {
        it(`are google-protobuf's own bytes for every resource's inputs and outputs: ${stack}`, async () => {
            const inventory = await evaluatedStack(stack);
            const differing: string[] = [];
            for (const r of inventory.resources) {
                for (const [what, serialized] of [["inputs", r.serializedInputs], ["outputs", r.serializedState]] as const) {
                    const json = engineProperties(serialized);
                    if (!plainBytes(json).equals(jspbBytes(json))) differing.push(`${r.urn} ${what}`);
                }
            }
            assert.ok(inventory.resources.length > 50);
            assert.deepEqual(differing, []);
        });
    }

    const corners: Record<string, Record<string, unknown>> = {
        "an empty object": {},
        "empty and null members, in objects and lists": { a: null, b: [], c: {}, d: [null, [], {}, [[]], ""] },
        "numbers a double holds": { n: [0, -0, 1.5, -1e-300, 1.7976931348623157e308, NaN, Infinity, -Infinity, 2 ** 53 + 1] },
        "booleans": { t: true, f: false, l: [false, true] },
        // jspb.Map sorts keys as strings (UTF-16 code units): upper before lower, "é" and emoji last.
        "keys in jspb's order": { "é": 1, Z: 2, a: 3, "a b": 4, "": 5, "\u{1F600}": 6, "10": 7, "9": 8 },
        "long strings (written as one block) and short ones, non-ASCII": { long: "x".repeat(70_000) + "é\u{1F600}", short: "ü", key: { ["k".repeat(100)]: "v" } },
        "deep nesting": { a: { b: { c: { d: [{ e: [{ f: "g" }] }] } } } },
    };
    for (const [what, json] of Object.entries(corners)) {
        it(`are google-protobuf's own bytes: ${what}`, () => {
            assert.deepEqual(plainBytes(json), jspbBytes(json));
        });
    }

    it("refuse what is not JSON with Struct.fromJavaScript's error", () => {
        for (const json of [{ u: undefined }, { f: () => 1 }, { l: [1, undefined] }, { s: Symbol("s") }, { b: 1n }] as Record<string, unknown>[]) {
            assert.equal(refusal(() => plainStruct(json).serializeBinary()), refusal(() => Struct.fromJavaScript(json).serializeBinary()));
            assert.equal(refusal(() => plainStruct(json).serializeBinary()), "Unexpected struct type.");
        }
    });

    it("are the same bytes inside the messages the host sends (a request, a stack resource with a provider)", () => {
        const json = { name: "tandem-api", tags: { app: "tandem" }, code: "c".repeat(300) };
        const build = (struct: (j: Record<string, unknown>) => unknown) => {
            const provider = new proto.AnalyzerProviderResource();
            provider.setType("pulumi:providers:aws");
            provider.setProperties(struct({ region: "us-east-1" }));
            const request = new proto.AnalyzeRequest();
            request.setType("aws:lambda/function:Function");
            request.setProperties(struct(json));
            request.setProvider(provider);
            const resource = new proto.AnalyzerResource();
            resource.setProperties(struct(json));
            resource.setProvider(provider);
            resource.setDependenciesList(["urn:a"]);
            return [request, resource].map((m) => Buffer.from(m.serializeBinary()));
        };
        assert.deepEqual(build(plainStruct), build((j) => Struct.fromJavaScript(j)));
        const decoded = proto.AnalyzeRequest.deserializeBinary(build(plainStruct)[0]);
        assert.deepEqual(decoded.getProperties().toJavaScript(), json);
    });
});
