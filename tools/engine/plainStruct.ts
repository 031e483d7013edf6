// The policy host sends every resource's properties to the pack as a google.protobuf.Struct, twice or
// three times per resource. google-protobuf builds one message object per value (Struct.fromJavaScript:
// a Value, a map entry, a nested Struct or ListValue for each) only to walk that tree again to encode
// it: about a tenth of the plan's CPU and much of its garbage on a large stack. A PlainStruct keeps the
// JSON value and is encoded straight from it, to the bytes google-protobuf writes for the same value
// (its map entries in sorted key order; the same refusal of what is not JSON); a test compares the two
// on every resource of both stacks.
import { BinaryWriter } from "google-protobuf";

const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

type Json = Record<string, unknown>;
type MessageWriter = (message: unknown, writer: BinaryWriter) => void;

/** A Struct message that carries a plain JSON object and is encoded from it; nothing else reads it. */
export class PlainStruct extends Struct {
    constructor(readonly json: Json) {
        super();
    }

    // Struct's own serializeBinary reaches the static through google-protobuf's global namespace, which
    // another copy of the package (the policy pack's, loaded in the tests) replaces.
    serializeBinary(): Uint8Array {
        const writer = new BinaryWriter();
        writeStruct(this.json, writer);
        return writer.getResultBuffer();
    }
}

/** google.protobuf.Value (struct.proto): null_value = 1, number_value = 2, string_value = 3, bool_value = 4, struct_value = 5, list_value = 6. */
function writeValue(value: unknown, writer: BinaryWriter): void {
    if (value === null) {
        writer.writeEnum(1, 0);
    } else if (Array.isArray(value)) {
        writer.writeMessage(6, value, writeList as MessageWriter);
    } else {
        switch (typeof value) {
            case "number":
                writer.writeDouble(2, value);
                break;
            case "string":
                writer.writeString(3, value);
                break;
            case "boolean":
                writer.writeBool(4, value);
                break;
            case "object":
                writer.writeMessage(5, value, writeStruct as MessageWriter);
                break;
            default:
                // What Value.fromJavaScript throws for undefined, functions, symbols and bigints.
                throw new Error("Unexpected struct type.");
        }
    }
}

/** ListValue: repeated Value values = 1. An item is passed by index: writeMessage skips a null message. */
function writeList(list: unknown[], writer: BinaryWriter): void {
    const item: MessageWriter = (index, w) => writeValue(list[index as number], w);
    for (let i = 0; i < list.length; i++) {
        writer.writeMessage(1, i, item);
    }
}

/** Struct: map<string, Value> fields = 1, each entry {key = 1, value = 2}, keys sorted as jspb.Map sorts them. */
function writeStruct(object: Json, writer: BinaryWriter): void {
    const keys: string[] = [];
    // for...in, as Struct.fromJavaScript reads an object.
    for (const key in object) {
        keys.push(key);
    }
    keys.sort();
    const value: MessageWriter = (key, w) => writeValue(object[key as string], w);
    const entry: MessageWriter = (key, w) => {
        w.writeString(1, key as string);
        w.writeMessage(2, key, value);
    };
    for (const key of keys) {
        writer.writeMessage(1, key, entry);
    }
}

const original: MessageWriter = Struct.serializeBinaryToWriter;

/** Generated messages encode a Struct field through this static; a PlainStruct is written from its JSON. */
Struct.serializeBinaryToWriter = (message: unknown, writer: BinaryWriter) =>
    message instanceof PlainStruct ? writeStruct(message.json, writer) : original(message, writer);

/** A Struct for `json`, encoded (and refused if it is not JSON, as Struct.fromJavaScript would) when its message is. */
export function plainStruct(json: Json): PlainStruct {
    return new PlainStruct(json);
}
