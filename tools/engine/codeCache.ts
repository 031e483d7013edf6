// The two costly steps CallbackFunction repeats for every function on every evaluation: serializing
// the callback (V8 inspector walks of its closure) and computing the packages bundled with it (an
// npm tree walk of node_modules). In one process the program's code and node_modules do not change,
// so the evaluations of a test run or a tool share one result per function and per option set: the
// same text and the same file list the runtime would compute again (a test compares both ways).
import * as pulumi from "@pulumi/pulumi";

/** The two runtime functions, as assignable properties (the module exports them as plain properties). */
interface Runtime {
    serializeFunction(func: object, args?: pulumi.runtime.SerializeFunctionArgs): Promise<pulumi.runtime.SerializedFunction>;
    computeCodePaths(options?: pulumi.runtime.CodePathOptions): Promise<Map<string, pulumi.asset.Asset | pulumi.asset.Archive>>;
}

const runtime = pulumi.runtime as unknown as Runtime;
const original = { serializeFunction: runtime.serializeFunction, computeCodePaths: runtime.computeCodePaths };

const serialized = new WeakMap<object, Map<string, Promise<pulumi.runtime.SerializedFunction>>>();
const codePaths = new Map<string, Promise<Map<string, pulumi.asset.Asset | pulumi.asset.Archive>>>();

/** The options that change the serialized text; `serialize` is a predicate CallbackFunction recreates on each call. */
function serializeKey(args: pulumi.runtime.SerializeFunctionArgs = {}): string {
    return JSON.stringify([args.exportName, args.isFactoryFunction, args.allowSecrets]);
}

function cachedSerializeFunction(func: object, args?: pulumi.runtime.SerializeFunctionArgs) {
    const forFunction = serialized.get(func) ?? new Map<string, Promise<pulumi.runtime.SerializedFunction>>();
    serialized.set(func, forFunction);
    const key = serializeKey(args);
    let result = forFunction.get(key);
    if (result === undefined) {
        result = original.serializeFunction(func, args);
        result.catch(() => forFunction.delete(key));
        forFunction.set(key, result);
    }
    return result;
}

function cachedComputeCodePaths(options?: pulumi.runtime.CodePathOptions) {
    const key = JSON.stringify(options ?? {});
    let result = codePaths.get(key);
    if (result === undefined) {
        result = original.computeCodePaths(options);
        result.catch(() => codePaths.delete(key));
        codePaths.set(key, result);
    }
    // CallbackFunction only reads the map; a copy keeps a caller that adds to it from changing the next one's.
    return result.then((paths) => new Map(paths));
}

/** Turns the per-process cache on (the default for evaluations) or off (to compare with the runtime's own work). */
export function shareCallbackCode(on: boolean): void {
    runtime.serializeFunction = on ? cachedSerializeFunction : original.serializeFunction;
    runtime.computeCodePaths = on ? cachedComputeCodePaths : original.computeCodePaths;
}
