// Just enough XML for the answers the local run reads (S3's and SNS's): element text by name, with
// the five predefined entities and character references decoded.

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** The text of an XML element's content. */
export function xmlText(raw: string): string {
    return raw.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
        if (/^#x/i.test(name)) return String.fromCodePoint(parseInt(name.slice(2), 16));
        if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
        return ENTITIES[name] ?? whole;
    });
}

/** The raw content of every `<name>` element, in order. */
export function xmlBlocks(xml: string, name: string): string[] {
    return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, "g"))].map((m) => m[1]);
}

/** The text of the first `<name>` element. */
export function xmlElement(xml: string, name: string): string | undefined {
    const [first] = xmlBlocks(xml, name);
    return first === undefined ? undefined : xmlText(first);
}

/** `{key: value}` of a Query API map (`<entry><key>…</key><value>…</value></entry>`). */
export function xmlEntries(xml: string): Record<string, string> {
    return Object.fromEntries(xmlBlocks(xml, "entry").map((entry) => [xmlElement(entry, "key") ?? "", xmlElement(entry, "value") ?? ""]));
}
