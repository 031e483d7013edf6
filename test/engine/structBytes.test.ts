// The pack's process reads google.protobuf.Struct straight from its bytes (tools/engine/structBytes.ts,
// installed by tools/engine/packPreload.ts): what it returns against google-protobuf's own
// deserializeBinary + toJavaScript, which @pulumi/policy calls, for every resource of both stacks and
// for bytes the policy host never writes but a protobuf encoder may (duplicate keys, two kinds in one
// Value, unknown fields, text that is not UTF-8); and the pack's process as the host starts it.
import { strict as assert } from "assert";
import { BinaryWriter } from "google-protobuf";
import { plainStruct } from "../../tools/engine/plainStruct";
import { engineProperties, PACK_DIR, packProcessArgs, packProcessEnv } from "../../tools/engine/policyHost";
import { structJson } from "../../tools/engine/structBytes";
import { evaluatedStack } from "../support/evaluatedStacks";
import { runNode } from "../support/node";

const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

/** What each reading makes of `bytes`: the JSON text (keys in order; -0 and NaN spelled out), or the error. */
function reading(read: () => unknown): string {
    try {
        return JSON.stringify(read(), (_, v) => (typeof v === "number" && !Number.isFinite(v)) || Object.is(v, -0) ? `number ${Object.is(v, -0) ? "-0" : v}` : v);
    } catch (e) {
        return `error: ${(e as Error).message}`;
    }
}

function assertReadAlike(bytes: Uint8Array): string {
    const ours = reading(() => structJson(bytes));
    assert.equal(ours, reading(() => Struct.deserializeBinary(bytes).toJavaScript()));
    return ours;
}

type Write = (w: BinaryWriter) => void;
const message = (field: number, write: Write): Write => (w) => w.writeMessage(field, {}, (_: unknown, inner: BinaryWriter) => write(inner));
const entry = (key: string | undefined, value?: Write): Write => message(1, (w) => {
    if (key !== undefined) w.writeString(1, key);
    if (value) message(2, value)(w);
});
const bytesOf = (...writes: Write[]) => {
    const w = new BinaryWriter();
    writes.forEach((write) => write(w));
    return w.getResultBuffer();
};

describe("engine: the pack reads Structs straight from their bytes", function () {
    this.timeout(120_000);

    for (const stack of ["prod", "dr"] as const) {
        it(`as google-protobuf reads them, for every resource's inputs and outputs: ${stack}`, async () => {
            const inventory = await evaluatedStack(stack);
            let read = 0;
            for (const r of inventory.resources) {
                for (const serialized of [r.serializedInputs, r.serializedState]) {
                    assertReadAlike(plainStruct(engineProperties(serialized)).serializeBinary());
                    read++;
                }
            }
            assert.ok(read > 100);
        });
    }

    const json: Record<string, Record<string, unknown>> = {
        "an empty object": {},
        "keys in jspb's order": { "é": 1, Z: 2, a: 3, "": 5, "\u{1F600}": 6, "10": 7, "9": 8 },
        "numbers, booleans, null, nesting": { n: [0, -0, 1.5, NaN, -Infinity, 2 ** 53 + 1], b: [true, false], z: null, d: { e: [[], {}, [{ f: "g" }]] } },
        "long and non-ASCII text": { long: "x".repeat(70_000) + "é\u{1F600}", short: "ü" },
    };
    for (const [what, value] of Object.entries(json)) {
        it(`as google-protobuf reads them: ${what}`, () => {
            assertReadAlike(Struct.fromJavaScript(value).serializeBinary());
        });
    }

    it("keys come sorted, a later duplicate key and a later kind of one Value win, as in google-protobuf", () => {
        const read = assertReadAlike(bytesOf(
            entry("b", (w) => {
                w.writeDouble(2, 1);
                w.writeString(3, "two kinds");
            }),
            entry("a", (w) => w.writeDouble(2, 1)),
            entry("a", (w) => w.writeBool(4, true)),
        ));
        assert.equal(read, JSON.stringify({ a: true, b: "two kinds" }));
    });

    it("fields it does not know are skipped, in every message, as google-protobuf skips them", () => {
        const read = assertReadAlike(bytesOf(
            (w) => w.writeUint64(9, 7),
            entry("k", (w) => {
                w.writeFixed32(8, 1);
                w.writeGroup(9, {}, (_: unknown, g: BinaryWriter) => g.writeString(1, "in a group"));
                message(6, (list) => {
                    list.writeDouble(5, 3);
                    message(1, (v) => v.writeString(3, "item"))(list);
                })(w);
            }),
            (w) => w.writeFixed64(10, 1),
            message(1, (e) => {
                e.writeBytes(3, new Uint8Array([1, 2]));
                e.writeString(1, "m");
                message(2, (v) => v.writeEnum(1, 0))(e);
            }),
        ));
        assert.equal(read, JSON.stringify({ k: ["item"], m: null }));
    });

    it("an entry without a key is the empty key; without a value, the same error as google-protobuf", () => {
        assert.equal(assertReadAlike(bytesOf(entry(undefined, (w) => w.writeString(3, "v")))), JSON.stringify({ "": "v" }));
        assert.match(assertReadAlike(bytesOf(entry("k"))), /^error: /);
        assert.match(assertReadAlike(bytesOf(entry("k", message(6, message(1, () => undefined))))), /^error: /);
    });

    it("text that is not UTF-8 reads as google-protobuf's decoder reads it, not as Node's", () => {
        // A surrogate encoded on its own (CESU-8, as some encoders write one) and stray bytes, as a value and as a key.
        const surrogate = new Uint8Array([0x61, 0xed, 0xa0, 0x80, 0x62]);
        const stray = new Uint8Array([0x6b, 0x80, 0xff]);
        const read = JSON.parse(assertReadAlike(bytesOf(
            message(1, (e) => {
                e.writeString(1, "s");
                message(2, (v) => v.writeBytes(3, surrogate))(e);
            }),
            message(1, (e) => {
                e.writeBytes(1, stray);
                message(2, (v) => v.writeBool(4, false))(e);
            }),
        )));
        assert.equal(read.s, "a\uD800b");
        assert.notEqual(read.s, Buffer.from(surrogate).toString("utf8"));
        assert.equal(Object.keys(read).length, 2);
    });

    it("refuses bytes that end inside a field", () => {
        const whole = Struct.fromJavaScript({ key: "value" }).serializeBinary();
        assert.throws(() => structJson(whole.subarray(0, whole.length - 2)), /Struct bytes end inside/);
    });

    it("in the pack's process as the host starts it: requests read alike, and TypeScript and Arborist are not loaded", async () => {
        // The pack's process as PolicyHost.start runs it (its flags, hooks, folder and environment), with this probe for the pack.
        // A module scope of its own: -e code is a script, whose top-level names would shadow the global
        // \`proto\` namespace google-protobuf's generated files write to.
        const probe = `(() => {
            const analyzer = require("@pulumi/pulumi/proto/analyzer_pb");
            const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
            const json = { a: [1, "two", { three: null }], "é": true };
            const request = new analyzer.AnalyzeRequest();
            request.setType("aws:s3/bucket:Bucket");
            request.setProperties(Struct.fromJavaScript(json));
            const bytes = request.serializeBinary();
            const read = analyzer.AnalyzeRequest.deserializeBinary(bytes);
            const results = { read: read.getProperties().toJavaScript(), again: read.getProperties().toJavaScript() };
            results.sameObject = results.read === results.again;
            results.reencoded = Buffer.from(analyzer.AnalyzeRequest.deserializeBinary(bytes).serializeBinary()).equals(Buffer.from(bytes));
            const edited = analyzer.AnalyzeRequest.deserializeBinary(bytes).getProperties();
            edited.getFieldsMap().del("a");
            results.edited = edited.toJavaScript();
            results.typescriptFiles = Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/]typescript[\\\\/]/.test(f)).length;
            require("@pulumi/pulumi").runtime.serializeFunction(() => 1).then(
                () => console.log(JSON.stringify({ ...results, serialized: "yes" })),
                (e) => console.log(JSON.stringify({ ...results, serialized: e.message })));
        })()`;
        const run = await runNode(packProcessArgs(["-e", probe]), { cwd: PACK_DIR, env: packProcessEnv(PACK_DIR) });
        assert.equal(run.code, 0, run.stderr);
        const results = JSON.parse(run.stdout);
        assert.deepEqual(results.read, { a: [1, "two", { three: null }], "é": true });
        assert.equal(results.sameObject, false, "each toJavaScript() returns a fresh object, as google-protobuf's does");
        assert.equal(results.reencoded, true);
        assert.deepEqual(results.edited, { "é": true });
        assert.equal(results.typescriptFiles, 1, "only the stand-in is in the module cache");
        assert.match(results.serialized, /typescript is not loaded in the policy pack's process/);
    });
});
