// Read side of ./plainStruct.ts, for the pack's process. google-protobuf decodes every
// google.protobuf.Struct of a request into one message object per value (a Value, a map entry, a
// nested Struct or ListValue each), and @pulumi/policy only ever calls `toJavaScript()` on it, which
// walks that tree into JSON. On a 2,000-resource stack the decoded AnalyzeStack request alone is
// ~50 MB of those objects, held while every stack rule runs.
//
// Installed, a Struct keeps a view of its own bytes in the request's buffer (a fraction of the objects
// decoded from them) and `toJavaScript()` decodes them straight to the JSON google-protobuf's would return: a fresh
// object on each call, keys in sorted order, a later duplicate key or oneof member winning, the same
// error for a Value with no kind. Any other use of the message through `getFieldsMap` (encoding,
// toObject, edits) first decodes it the original way. `toArray`, `clone` and `equals` read the message's
// internal array directly and would see it empty; @pulumi/policy calls none of them.
import { BinaryReader } from "google-protobuf";
import { isUtf8 } from "buffer";

type Json = Record<string, unknown>;
type StructMessage = { toJavaScript(): Json; getFieldsMap(noLazyCreate?: boolean): unknown };
type FromReader = (message: StructMessage, reader: BinaryReader) => StructMessage;

const BYTES = Symbol("tandem.structBytes");
const INSTALLED = Symbol("tandem.structBytes.installed");
type Carrying = StructMessage & { [BYTES]?: Uint8Array };

// Wire types (protobuf encoding): varint, 64-bit, length-delimited, start group, end group, 32-bit.
const VARINT = 0;
const FIXED64 = 1;
const DELIMITED = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;

class Cursor {
    private at: number;

    constructor(readonly bytes: Uint8Array, start: number, readonly end: number) {
        this.at = start;
    }

    get done(): boolean {
        return this.at >= this.end;
    }

    varint(): number {
        let result = 0;
        let scale = 1;
        for (let shift = 0; shift < 70; shift += 7) {
            if (this.at >= this.end) throw new Error("Struct bytes end inside a varint");
            const byte = this.bytes[this.at++];
            result += (byte & 0x7f) * scale;
            if (byte < 0x80) return result;
            scale *= 128;
        }
        throw new Error("Struct bytes hold a varint longer than 10 bytes");
    }

    /** The next field's number and wire type. */
    tag(): [number, number] {
        const tag = this.varint();
        return [Math.floor(tag / 8), tag % 8];
    }

    /** A cursor over a length-delimited field's payload (a message), moving past it. */
    embedded(wireType: number): Cursor {
        expectType(wireType, DELIMITED);
        const [start, end] = this.delimited();
        return new Cursor(this.bytes, start, end);
    }

    /** A length-delimited field's payload as text, moving past it. */
    text(wireType: number): string {
        expectType(wireType, DELIMITED);
        const [start, end] = this.delimited();
        return text(this.bytes, start, end);
    }

    /** The bounds of a length-delimited field's payload, moving past it. */
    delimited(): [number, number] {
        const length = this.varint();
        const start = this.at;
        if (start + length > this.end) throw new Error("Struct bytes end inside a field");
        this.at = start + length;
        return [start, this.at];
    }

    double(): number {
        const at = this.advance(8);
        return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + at, 8).readDoubleLE(0);
    }

    /** Moves past `length` bytes, returning where they start. */
    private advance(length: number): number {
        const at = this.at;
        if (at + length > this.end) throw new Error("Struct bytes end inside a field");
        this.at = at + length;
        return at;
    }

    skip(field: number, wireType: number): void {
        switch (wireType) {
            case VARINT:
                this.varint();
                return;
            case FIXED64:
                this.advance(8);
                return;
            case DELIMITED:
                this.delimited();
                return;
            case FIXED32:
                this.advance(4);
                return;
            case START_GROUP:
                for (;;) {
                    const [inner, type] = this.tag();
                    if (type === END_GROUP) {
                        if (inner !== field) throw new Error("Struct bytes close a group they did not open");
                        return;
                    }
                    this.skip(inner, type);
                }
            default:
                throw new Error(`Struct bytes hold wire type ${wireType}`);
        }
    }
}

function text(bytes: Uint8Array, start: number, end: number): string {
    const view = bytes.subarray(start, end);
    return isUtf8(view) ? Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString("utf8") : protobufText(view);
}

/**
 * What google-protobuf's decoder makes of bytes that are not valid UTF-8 (an encoded lone surrogate,
 * which its encoder writes): not what Node's makes of them. Read as field 1 of a message of its own.
 */
function protobufText(view: Uint8Array): string {
    const header = [0x0a];
    let length = view.length;
    for (; length >= 0x80; length = Math.floor(length / 128)) {
        header.push((length % 128) | 0x80);
    }
    header.push(length);
    const framed = new Uint8Array(header.length + view.length);
    framed.set(header);
    framed.set(view, header.length);
    const reader = new BinaryReader(framed);
    reader.nextField();
    return reader.readString();
}

/** Reads each occurrence of message field `wanted` with `read`, skipping every other field. */
function eachOccurrence(c: Cursor, wanted: number, read: (message: Cursor) => void): void {
    while (!c.done) {
        const [field, wireType] = c.tag();
        if (field === wanted) {
            read(c.embedded(wireType));
        } else {
            c.skip(field, wireType);
        }
    }
}

const NO_KIND = Symbol("no kind");

/** A Value's JavaScript, which google-protobuf refuses for a Value with no kind set. */
function known(value: unknown): unknown {
    if (value === NO_KIND) throw new Error("Unexpected struct type");
    return value;
}

/** google.protobuf.Struct: map<string, Value> fields = 1 (a map entry: key = 1, value = 2). */
function readStruct(c: Cursor): Json {
    const fields = new Map<string, unknown>();
    eachOccurrence(c, 1, (entry) => {
        let key = "";
        let value: unknown = NO_KIND;
        while (!entry.done) {
            const [field, wireType] = entry.tag();
            if (field === 1) {
                key = entry.text(wireType);
            } else if (field === 2) {
                value = readValue(entry.embedded(wireType));
            } else {
                entry.skip(field, wireType);
            }
        }
        fields.set(key, value);
    });
    const json: Json = {};
    for (const key of [...fields.keys()].sort()) {
        json[key] = known(fields.get(key));
    }
    return json;
}

/** google.protobuf.Value: null_value = 1, number_value = 2, string_value = 3, bool_value = 4, struct_value = 5, list_value = 6. */
function readValue(c: Cursor): unknown {
    let value: unknown = NO_KIND;
    while (!c.done) {
        const [field, wireType] = c.tag();
        switch (field) {
            case 1:
                expectType(wireType, VARINT);
                c.varint();
                value = null;
                break;
            case 2:
                expectType(wireType, FIXED64);
                value = c.double();
                break;
            case 3:
                value = c.text(wireType);
                break;
            case 4:
                expectType(wireType, VARINT);
                value = c.varint() !== 0;
                break;
            case 5:
                value = readStruct(c.embedded(wireType));
                break;
            case 6:
                value = readList(c.embedded(wireType));
                break;
            default:
                c.skip(field, wireType);
        }
    }
    return value;
}

/** google.protobuf.ListValue: repeated Value values = 1. */
function readList(c: Cursor): unknown[] {
    const list: unknown[] = [];
    eachOccurrence(c, 1, (item) => list.push(known(readValue(item))));
    return list;
}

function expectType(wireType: number, expected: number): void {
    if (wireType !== expected) throw new Error(`Struct bytes hold wire type ${wireType} where ${expected} belongs`);
}

/** The JSON google-protobuf's Struct.toJavaScript returns for these bytes of a Struct. */
export function structJson(bytes: Uint8Array): Json {
    return readStruct(new Cursor(bytes, 0, bytes.length));
}

/**
 * Makes `Struct` keep its bytes when read from a message and decode them on `toJavaScript()`; `Reader`
 * is the BinaryReader of the same copy of google-protobuf. Idempotent.
 */
export function decodeStructsOnRead(Struct: { deserializeBinaryFromReader: FromReader; prototype: StructMessage }, Reader: typeof BinaryReader): void {
    const proto = Struct.prototype as StructMessage & { [INSTALLED]?: true };
    if (proto[INSTALLED]) return;
    const fromReader = Struct.deserializeBinaryFromReader;
    const { toJavaScript, getFieldsMap } = proto;
    const materialize = (message: Carrying) => {
        const bytes = message[BYTES];
        if (bytes !== undefined) {
            delete message[BYTES];
            fromReader(message, new Reader(bytes));
        }
    };
    Struct.deserializeBinaryFromReader = (message: Carrying, reader) => {
        const start = reader.getCursor();
        while (reader.nextField() && !reader.isEndGroup()) {
            reader.skipField();
        }
        message[BYTES] = (reader.getBuffer() as Uint8Array).subarray(start, reader.getCursor());
        return message;
    };
    proto.toJavaScript = function (this: Carrying) {
        const bytes = this[BYTES];
        return bytes !== undefined ? structJson(bytes) : toJavaScript.call(this);
    };
    proto.getFieldsMap = function (this: Carrying, noLazyCreate?: boolean) {
        materialize(this);
        return getFieldsMap.call(this, noLazyCreate);
    };
    Object.defineProperty(proto, INSTALLED, { value: true });
}
