// google-protobuf (3.21, what @pulumi/pulumi's gRPC messages are built with) encodes a string field one
// UTF-16 code unit at a time into a JavaScript array of bytes: about 10 MB/s here, and the biggest cost
// of handing a stack to the policy pack (every function's code is a string of tens of KB, sent with
// each Analyze and AnalyzeStack call) and of the garbage behind it. The Go engine does not pay it.
//
// The same field written as bytes holds the same wire bytes — tag (wire type 2), length, UTF-8 — and
// google-protobuf appends a byte array as one block. Strings with a lone surrogate (not valid UTF-16)
// keep the original encoder, whose output for them differs from Node's UTF-8 encoder's.
import { BinaryWriter } from "google-protobuf";

type StringWriter = (this: BinaryWriter, field: number, value: string | null | undefined) => void;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const writer = BinaryWriter.prototype as unknown as { writeString: StringWriter; writeBytes(field: number, value: Uint8Array): void; U?: StringWriter };
const original: StringWriter = writer.writeString;

const writeString: StringWriter = function (field, value) {
    if (value === null || value === undefined || value.length < 64 || LONE_SURROGATE.test(value)) {
        original.call(this, field, value);
        return;
    }
    (this as unknown as typeof writer).writeBytes(field, Buffer.from(value, "utf8"));
};

/** Writes long string fields as one block of UTF-8 (the same bytes on the wire); idempotent. */
export function encodeStringsInOneBlock(): void {
    // The minified alias is what google-protobuf's own code calls; the generated messages call writeString.
    if (writer.U === original) writer.U = writeString;
    writer.writeString = writeString;
}

/** The encoder google-protobuf ships, for the test that compares the two. */
export function originalStringWriter(): StringWriter {
    return original;
}
