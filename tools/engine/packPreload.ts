// Loaded in the policy pack's process before the pack (`-r`, after the transpile hook) by the policy
// host (./policyHost.ts): how the offline engine's process serving the pack differs from a plain
// `node index.ts`. Nothing here changes what the pack receives or answers.
import Module = require("module");
import * as path from "path";
import { decodeStructsOnRead } from "./structBytes";

/** The pack's @pulumi/pulumi (its working folder is the pack's). */
const SDK = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd()] }));

/**
 * What @pulumi/pulumi loads at import only for what a program does: TypeScript to parse the functions
 * it serializes (runtime/closure/parseFunction.js, through typescript-shim.js) and Arborist to list
 * the packages bundled with them (runtime/closure/codePaths.js). A policy pack does neither; the two
 * are ~70 MB and ~0.5 s of its start. Each is replaced by a module whose every member throws, saying so.
 */
const UNUSED_IN_A_PACK: [name: string, requiredFrom: string][] = [
    ["typescript", SDK],
    ["@npmcli/arborist", path.join(SDK, "runtime", "closure")],
];

function absent(name: string): object {
    return new Proxy({}, {
        get(_, key) {
            // TypeScript's __importStar returns a module marked as ES as it is; nothing else is read at import.
            if (key === "__esModule") return true;
            if (typeof key === "symbol" || key === "then") return undefined;
            throw new Error(`${name} is not loaded in the policy pack's process (tools/engine/packPreload.ts): a pack does not serialize functions (read ${String(key)})`);
        },
    });
}

for (const [name, from] of UNUSED_IN_A_PACK) {
    const file = require.resolve(name, { paths: [from] });
    const stand = new Module(file);
    stand.filename = file;
    stand.loaded = true;
    stand.exports = absent(name);
    require.cache[file] = stand;
}

const protobuf = path.dirname(require.resolve("google-protobuf/package.json", { paths: [path.join(SDK, "proto")] }));
decodeStructsOnRead(require(path.join(protobuf, "google", "protobuf", "struct_pb.js")).Struct, require(protobuf).BinaryReader);
