// The policy host encodes each resource for AnalyzeStack as soon as the pack has analyzed it, and joins
// them at the end (tools/engine/policyHost.ts analyzeStackRequest): the request must be, byte for byte,
// what google-protobuf encodes from the whole message, whatever the size of each resource.
import { strict as assert } from "assert";
import { analyzeStackRequest } from "../../tools/engine/policyHost";

const proto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

function resource(name: string, code: string): any {
    const r = new proto.AnalyzerResource();
    r.setType("aws:lambda/function:Function");
    r.setName(name);
    r.setUrn(`urn:pulumi:prod::tandem::aws:lambda/function:Function::${name}`);
    r.setProperties(Struct.fromJavaScript({ code, memorySize: 512, tags: { app: "tandem" } }));
    r.setDependenciesList([`urn:pulumi:prod::tandem::aws:iam/role:Role::${name}`]);
    return r;
}

describe("engine: AnalyzeStackRequest joined from encoded resources", () => {
    const cases: Record<string, any[]> = {
        "no resources": [],
        "one small resource": [resource("api", "x")],
        // Lengths of one, two and three varint bytes.
        "resources of every length size": [resource("a", ""), resource("b", "y".repeat(300)), resource("c", "z".repeat(70_000) + "é")],
    };
    for (const [what, resources] of Object.entries(cases)) {
        it(`is google-protobuf's own encoding: ${what}`, () => {
            const whole = new proto.AnalyzeStackRequest();
            whole.setResourcesList(resources);
            const joined = analyzeStackRequest(resources.map((r) => r.serializeBinary()));
            assert.deepEqual(Buffer.from(joined), Buffer.from(whole.serializeBinary()));
            assert.deepEqual(proto.AnalyzeStackRequest.deserializeBinary(joined).getResourcesList().map((r: any) => r.getName()), resources.map((r) => r.getName()));
        });
    }
});
