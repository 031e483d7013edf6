// Before it registers a custom resource, @pulumi/pulumi gives it one Output per property of its type
// (runtime/rpc.js transferProperties): four promises, an OutputImpl and the promises it derives, for
// every property of the provider's schema (a v7 Lambda Function has about 60), read by the program or
// not. On a 2,000-resource stack that is most of what an evaluation allocates and keeps while it runs.
// Here each property's Output is made when it is first read, from the same constructor and promises,
// settled with what the registration answered before or after that read. What a program can observe
// stays the same: an own enumerable property per output, the same values, secrecy, dependencies and
// errors; a test compares every registration both ways. Asking for a property's descriptor makes its
// Output first: Pulumi's closure serializer reads descriptors (runtime/closure/createClosure.js), and
// a callback that captures a whole resource must bundle its Outputs, not the getters standing in.
import * as pulumi from "@pulumi/pulumi";

type Resolver = (value: unknown, isKnown: boolean, isSecret: boolean, deps?: pulumi.Resource[], err?: Error) => void;
type Settlement = { value: unknown; isKnown: boolean; isSecret: boolean; deps: pulumi.Resource[]; err?: Error };

interface Rpc {
    transferProperties(onto: pulumi.Resource, label: string, props: Record<string, unknown>): Record<string, Resolver>;
}

const rpc = require("@pulumi/pulumi/runtime/rpc") as Rpc;
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };
const errors = require("@pulumi/pulumi/errors") as { isGrpcError(err: unknown): boolean };
const output = require("@pulumi/pulumi/output") as { OutputToStringError: { isInstance(e: unknown): boolean } };
const OutputImpl = pulumi.Output as unknown as new (resources: unknown, ...promises: Promise<unknown>[]) => pulumi.Output<unknown>;
const eager = rpc.transferProperties;

/** Each resource's properties whose Output is not made yet; a getter removes its own. */
const unmade = new WeakMap<object, Set<string>>();

function make(target: object, key?: PropertyKey): void {
    const keys = unmade.get(target);
    for (const k of key === undefined ? [...(keys ?? [])] : keys?.has(key as string) ? [key as string] : []) {
        void (target as Record<string, unknown>)[k];
    }
}

/** Object.getOwnPropertyDescriptor(s) and Reflect's, making the Outputs they would show first. */
function descriptorsShowOutputs(): void {
    const { getOwnPropertyDescriptor, getOwnPropertyDescriptors } = Object;
    const reflected = Reflect.getOwnPropertyDescriptor;
    if ((getOwnPropertyDescriptor as { lazyOutputs?: true }).lazyOutputs) {
        return;
    }
    Object.getOwnPropertyDescriptor = Object.assign((o: any, p: PropertyKey) => (make(o, p), getOwnPropertyDescriptor(o, p)), { lazyOutputs: true as const });
    Object.getOwnPropertyDescriptors = (<T>(o: T) => (make(o as object), getOwnPropertyDescriptors(o))) as typeof getOwnPropertyDescriptors;
    Reflect.getOwnPropertyDescriptor = (o: object, p: PropertyKey) => (make(o, p), reflected(o, p));
}

/** As rpc.js's safeToString: how the SDK names the input in its promises' debug labels (and what it lets throw). */
function describe(value: unknown): string {
    if (pulumi.Output.isInstance(value)) {
        return "Output<T>";
    }
    try {
        return `${value}`;
    } catch (e) {
        if (output.OutputToStringError.isInstance(e)) {
            return "Output<T>";
        }
        throw e;
    }
}

function lazyTransferProperties(onto: pulumi.Resource, label: string, props: Record<string, unknown>): Record<string, Resolver> {
    // The SDK's promise bookkeeping in effect now, as the eager transfer would have used it.
    const track = debuggable.debuggablePromise;
    const resolvers: Record<string, Resolver> = {};
    const keys = new Set<string>();
    unmade.set(onto, keys);
    for (const key of Object.keys(props)) {
        if (key === "id" || key === "urn") {
            continue;
        }
        if (Object.prototype.hasOwnProperty.call(onto, key)) {
            throw new Error(`Property '${key}' is already initialized on target '${label}`);
        }
        const input = describe(props[key]);
        let settled: Settlement | undefined;
        let settle: ((s: Settlement) => void) | undefined;
        resolvers[key] = (value, isKnown, isSecret, deps = [], err) => {
            // The eager transfer leaves the output pending on a gRPC error (the monitor is going away).
            if ((err && errors.isGrpcError(err)) || settled) {
                return;
            }
            settled = { value, isKnown, isSecret, deps, err };
            settle?.(settled);
        };
        keys.add(key);
        const become = (value: unknown) => {
            keys.delete(key);
            Object.defineProperty(onto, key, { value, writable: true, enumerable: true, configurable: true });
        };
        Object.defineProperty(onto, key, {
            enumerable: true,
            configurable: true,
            get() {
                const parts = ["transferProperty", "transferIsStable", "transferIsSecret", "transferDeps"].map((name) => {
                    let resolve!: (v: unknown) => void;
                    let reject!: (e: Error) => void;
                    const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
                    return { promise: track(promise, `${name}(${label}, ${key}, ${input})`), resolve, reject };
                });
                settle = (s) => {
                    const values = [s.value, s.isKnown, s.isSecret, s.deps];
                    parts.forEach((p, i) => (s.err ? p.reject(s.err) : p.resolve(values[i])));
                };
                if (settled) {
                    settle(settled);
                }
                const made = new OutputImpl(onto, ...parts.map((p) => p.promise));
                become(made);
                return made;
            },
            set: become,
        });
    }
    return resolvers;
}

/** For the evaluations that follow: each output made when first read (`on`), or all at registration as the SDK does. */
export function lazyResourceOutputs(on: boolean): void {
    if (on) {
        descriptorsShowOutputs();
    }
    rpc.transferProperties = on ? lazyTransferProperties : eager;
}
