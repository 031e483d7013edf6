// The policy host writes long strings as one UTF-8 block (tools/engine/protobufStrings.ts): the bytes on
// the wire must be exactly google-protobuf's own, for every kind of string a resource can hold.
import { strict as assert } from "assert";
import { BinaryWriter } from "google-protobuf";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { encodeStringsInOneBlock, originalStringWriter } from "../../tools/engine/protobufStrings";

const long = (s: string) => s.repeat(Math.ceil(200 / s.length));
const STRINGS: Record<string, string> = {
    "short ASCII (kept on the original path)": "exports.handler = 1;",
    "long ASCII": long("exports.handler = async (event) => event;\n"),
    "two- and three-byte UTF-8": long("é ✓ €"),
    "surrogate pairs (four-byte UTF-8)": long("📄🗂"),
    "a lone high surrogate": long("x") + "\uD83D" + long("y"),
    "a lone low surrogate": long("x") + "\uDCC4" + long("y"),
    "a lone high surrogate at the end": long("x") + "\uD83D",
    "NUL and control characters": long("\u0000\u0001\n\t"),
    "over 64 KiB": "z".repeat(70_000) + "é",
};

function withOriginal(field: number, value: string): Uint8Array {
    const writer = new BinaryWriter();
    originalStringWriter().call(writer, field, value);
    return writer.getResultBuffer();
}

describe("engine: protobuf strings written in one block", () => {
    before(encodeStringsInOneBlock);

    for (const [what, value] of Object.entries(STRINGS)) {
        it(`${what}: the same bytes as google-protobuf's encoder`, () => {
            const writer = new BinaryWriter();
            writer.writeString(7, value);
            assert.deepEqual(Buffer.from(writer.getResultBuffer()), Buffer.from(withOriginal(7, value)));
        });
    }

    it("a Struct of every such string serializes and reads back unchanged", () => {
        const struct = Struct.fromJavaScript({ ...STRINGS, nested: { list: Object.values(STRINGS) } });
        const read = Struct.deserializeBinary(struct.serializeBinary()).toJavaScript();
        const wellFormed = Object.fromEntries(Object.entries(STRINGS).filter(([what]) => !what.startsWith("a lone")));
        for (const [what, value] of Object.entries(wellFormed)) assert.equal(read[what], value, what);
    });

    it("patches the google-protobuf that @pulumi/pulumi's gRPC messages are built with (not a copy beside it)", () => {
        const sdk = require.resolve("@pulumi/pulumi");
        assert.equal(require.resolve("google-protobuf", { paths: [sdk] }), require.resolve("google-protobuf"));
    });

    it("is applied once however often it is called", () => {
        assert.notEqual(BinaryWriter.prototype.writeString, originalStringWriter(), "the writer in use is the one-block one");
        encodeStringsInOneBlock();
        const writer = new BinaryWriter();
        writer.writeString(1, STRINGS["long ASCII"]);
        assert.deepEqual(Buffer.from(writer.getResultBuffer()), Buffer.from(withOriginal(1, STRINGS["long ASCII"])));
    });
});
