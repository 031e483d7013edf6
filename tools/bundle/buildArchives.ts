// Builds Lambda archives exactly as aws.lambda.CallbackFunction does: a real CallbackFunction is
// constructed on Pulumi's mock runtime, and the `code` input it hands the engine (an AssetArchive of the
// serialized `__index.js` plus one FileArchive per bundled package) is captured and zipped the way the
// engine zips it (each nested archive's files under its key).
//
// Run as its own process (mocks are process-global state):
//   node -r ./tools/transpile/register.js tools/bundle/buildArchives.ts <outDir> <variant>...
// Variants: api, ingest, canary (the functions as the infrastructure builds them: lambdaCodePathOptions()),
// <fn>:plain (the same callback through a CallbackFunction with defaults: no codePathOptions),
// <fn>:powertools (as if the functions used Powertools: only the SDK excluded), empty (an empty handler,
// built like the functions), sdk (a handler that only loads the SDK and makes an S3 client). Prints one JSON line: {archives: BuiltArchive[]}.

import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as awsTypes from "@pulumi/aws";
import AdmZip from "adm-zip";

export interface BuiltArchive {
    variant: string;
    file: string;
    zippedBytes: number;
    unzippedBytes: number;
    files: number;
    /** Archive keys other than __index.js: the bundled package folders. */
    packages: string[];
}

interface ArchiveLike {
    assets?: Record<string, unknown> | Promise<Record<string, unknown>>;
    path?: string | Promise<string>;
    text?: string | Promise<string>;
}

function walk(dir: string, prefix: string, out: Array<{ name: string; file: string }>): void {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, entry.name);
        const name = `${prefix}/${entry.name}`;
        if (entry.isDirectory()) walk(full, name, out);
        else if (entry.isFile()) out.push({ name, file: full });
        else if (entry.isSymbolicLink()) {
            const stat = fs.statSync(full);
            if (stat.isDirectory()) walk(full, name, out);
            else out.push({ name, file: full });
        }
    }
}

async function zipArchive(archive: ArchiveLike, file: string): Promise<Omit<BuiltArchive, "variant">> {
    const zip = new AdmZip();
    const assets = await archive.assets!;
    const packages: string[] = [];
    let unzippedBytes = 0;
    let files = 0;
    for (const name of Object.keys(assets).sort()) {
        const asset = assets[name] as ArchiveLike;
        const text = await asset.text;
        if (typeof text === "string") {
            const bytes = Buffer.from(text, "utf8");
            zip.addFile(name, bytes);
            unzippedBytes += bytes.length;
            files++;
            continue;
        }
        const source = await asset.path;
        if (typeof source !== "string") throw new Error(`archive entry ${name} is neither text nor a path`);
        if (name !== "__index.js") packages.push(name);
        const stat = fs.statSync(source);
        const entries: Array<{ name: string; file: string }> = [];
        if (stat.isDirectory()) walk(source, name, entries);
        else entries.push({ name, file: source });
        for (const entry of entries) {
            const bytes = fs.readFileSync(entry.file);
            zip.addFile(entry.name, bytes);
            unzippedBytes += bytes.length;
            files++;
        }
    }
    zip.writeZip(file);
    return { file, zippedBytes: fs.statSync(file).size, unzippedBytes, files, packages };
}

async function main(): Promise<void> {
    const [outDir, ...variants] = process.argv.slice(2);
    if (!outDir || variants.length === 0) {
        throw new Error("usage: node -r ./tools/transpile/register.js tools/bundle/buildArchives.ts <outDir> <variant>...");
    }
    fs.mkdirSync(outDir, { recursive: true });
    const codes = new Map<string, ArchiveLike>();
    // @pulumi/aws (and the table read from it) loads after the mocks are set, as in a mock test.
    const lambda = { type: "" };
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                if (args.type === lambda.type) codes.set(args.name, args.inputs.code as ArchiveLike);
                return { id: `${args.name}-id`, state: { ...args.inputs, arn: `arn:aws:lambda:us-east-1:123456789012:function:${args.name}` } };
            },
            call: (args) => args.inputs,
        },
        "tandem",
        "archives",
        false,
    );
    const aws = await import("@pulumi/aws");
    lambda.type = (await import("../engine/resourceTypes")).TYPES.function;
    const callbacks = await import("../../functions/callbacks");
    const factories: Record<string, awsTypes.lambda.CallbackFactory<any, any>> = {
        api: callbacks.apiCallbackFactory,
        ingest: callbacks.ingestCallbackFactory,
        canary: callbacks.canaryCallbackFactory,
        empty: () => async () => ({}),
        // The floor of any handler that uses S3: load the SDK and make a client, nothing else.
        sdk: () => {
            const sdk = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
            const client = new sdk.S3Client({});
            return async () => ({ region: await client.config.region() });
        },
    };
    const functions: Array<{ variant: string; fn: awsTypes.lambda.CallbackFunction<any, any> }> = [];
    for (const variant of variants) {
        const [base, flavour] = variant.split(":");
        const factory = factories[base];
        if (factory === undefined) throw new Error(`unknown variant ${variant}`);
        let codePathOptions: pulumi.runtime.CodePathOptions | undefined;
        if (flavour === undefined) codePathOptions = callbacks.lambdaCodePathOptions();
        else if (flavour === "powertools") codePathOptions = { ...callbacks.lambdaCodePathOptions(), extraIncludePackages: ["@aws-lambda-powertools/logger", "@aws-lambda-powertools/metrics"] };
        else if (flavour !== "plain") throw new Error(`unknown variant ${variant}`);
        const fn = new aws.lambda.CallbackFunction(variant.replace(":", "-"), {
            callbackFactory: factory,
            ...(codePathOptions ? { codePathOptions } : {}),
            role: "arn:aws:iam::123456789012:role/tandem-archive",
            runtime: aws.lambda.Runtime.NodeJS22dX,
            architectures: ["arm64"],
        });
        functions.push({ variant, fn });
    }
    await Promise.all(functions.map(({ fn }) => new Promise<void>((resolve) => fn.arn.apply(() => resolve()))));
    const archives: BuiltArchive[] = [];
    for (const { variant } of functions) {
        const code = codes.get(variant.replace(":", "-"));
        if (code === undefined) throw new Error(`no code captured for ${variant}`);
        const built = await zipArchive(code, path.join(outDir, `${variant.replace(":", "-")}.zip`));
        archives.push({ variant, ...built });
    }
    process.stdout.write(JSON.stringify({ archives }) + "\n");
}

main().catch((error) => {
    process.stderr.write(`buildArchives: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
