// Turns recorded inputs into plain JSON: assets and archives become a short description of their
// contents (the Lambda code is an archive of the serialized handler and its packages).
import * as pulumi from "@pulumi/pulumi";

export async function plainValue(value: unknown): Promise<unknown> {
    if (pulumi.asset.Archive.isInstance(value) || pulumi.asset.Asset.isInstance(value)) {
        return describeAsset(value as pulumi.asset.Asset | pulumi.asset.Archive);
    }
    if (Array.isArray(value)) {
        return Promise.all((value as unknown[]).map(plainValue));
    }
    if (value !== null && typeof value === "object") {
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await plainValue(v)] as const));
        return Object.fromEntries(entries);
    }
    return value;
}

async function describeAsset(value: pulumi.asset.Asset | pulumi.asset.Archive): Promise<unknown> {
    const v = value as any;
    if (v.assets) {
        const assets: Record<string, unknown> = await v.assets;
        const entries = await Promise.all(Object.entries(assets).map(async ([name, a]) => [name, await describeAsset(a as any)] as const));
        return { archive: Object.fromEntries(entries) };
    }
    if (v.text) {
        return { asset: "text", bytes: Buffer.byteLength(await v.text) };
    }
    if (v.path) {
        return { [pulumi.asset.Archive.isInstance(value) ? "archive" : "asset"]: await v.path };
    }
    return { asset: "remote", uri: await v.uri };
}
