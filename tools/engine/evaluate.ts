// Evaluates the Tandem program for one stack on Pulumi's mock runtime and records every resource as
// the engine receives it: type, name, URN, parent, provider, dependencies, property dependencies,
// inputs (and the raw serialized inputs, for the policy pack), plus the state the mocks answered.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { shareCallbackCode } from "./codeCache";
import { lazyResourceOutputs } from "./lazyOutputs";
import { TYPES } from "./resourceTypes";
import { defaultWorld, MockWorld, WorldMocks } from "./mockWorld";
import { engineConfig } from "./preflight";
import { entryPoint } from "./preflight/project";
import { denyDefaultProviders, disabledPackages } from "./preflight/defaultProviders";

/** Runtime internals the engine's own host uses: the monitor, and waiting for outstanding registrations. */
const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): unknown; waitForRPCs(): Promise<void> };

export const ROOT = path.join(__dirname, "..", "..");
export const STACKS = ["prod", "dr"] as const;
export type StackName = (typeof STACKS)[number];

/** How a tool evaluates a stack: evaluateStack itself, or something that shares evaluations (onceEach, the tests). */
export type StackEvaluator = (stack: StackName) => Promise<Inventory>;

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    id?: string;
    parent?: string;
    /** The provider reference, `<provider urn>::<provider id>`. */
    provider?: string;
    /** Region the resource lives in (its provider's, unless the resource names one). */
    region?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    inputs: Record<string, any>;
    /**
     * Inputs exactly as serialized for the engine: the JSON of the request's google.protobuf.Struct
     * (kept as JSON: the Struct messages of a 2,000-resource stack hold 35 MB, their JSON a few).
     */
    serializedInputs: Record<string, any>;
    /** Outputs as the (mock) provider returned them. */
    state: Record<string, any>;
    /** Outputs exactly as the (mock) engine answered them (the JSON of the response's Struct, wire form). */
    serializedState: Record<string, any>;
    /** Resource options as registered (what a policy pack sees as `opts`). */
    options: RecordedOptions;
}

export interface RecordedOptions {
    protect: boolean;
    ignoreChanges: string[];
    /** Undefined unless the program set deleteBeforeReplace. */
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs: string[];
    aliases: string[];
    /** Go duration strings ("5m"), as registered; empty when not set. */
    customTimeouts: { create: string; update: string; delete: string };
}

export interface Inventory {
    stack: string;
    project: string;
    /** The folder of the project that was evaluated (its Pulumi.yaml). */
    root: string;
    preview: boolean;
    resources: RecordedResource[];
    outputs: Record<string, any>;
    /** The configuration the program ran with (full keys, string values). */
    config: Record<string, string>;
}

export interface EvaluateOptions {
    /** The Pulumi project to run (default: this repository's). */
    root?: string;
    /** Config keys to set (string values, as the CLI hands them to the program) or remove (undefined). */
    config?: Record<string, string | undefined>;
    world?: Partial<MockWorld>;
    /** Applied to every resource of the program (mutation testing, what-if analysis). */
    transformations?: pulumi.ResourceTransformation[];
    /**
     * Capture stack traces while the program runs. Off by default (see withStackTraces); the recorded
     * stack is the same either way (a test checks it).
     */
    stackTraces?: boolean;
    /** Called with each resource as soon as the engine would have it registered (e.g. to analyze it then). */
    onRegistered?: (resource: RecordedResource) => void;
    /**
     * Share the serialized callbacks and their bundled packages with the earlier evaluations of this
     * process (./codeCache.ts). On by default; the result is the same either way (a test checks it).
     */
    shareCallbackCode?: boolean;
    /**
     * Make each resource's output properties when the program first reads them (./lazyOutputs.ts), not
     * all at registration. On by default; the result is the same either way (a test checks it).
     */
    lazyOutputs?: boolean;
}

/**
 * The configuration the CLI hands the program for `stack`: the stack file merged with Pulumi.yaml's
 * defaults, after the CLI's own checks (./preflight); throws PreflightError where `pulumi up` would stop.
 */
export function stackConfig(stack: string, root = ROOT): Record<string, string> {
    return engineConfig(root, stack).config;
}

/** The program failed; `registered` is what it had registered by then. */
export class EvaluationError extends Error {
    constructor(readonly cause: unknown, readonly registered: RecordedResource[]) {
        super(cause instanceof Error ? cause.message : String(cause));
        this.name = "EvaluationError";
    }
}

let running: Promise<unknown> = Promise.resolve();

/**
 * Failures already reported by an evaluation. The SDK lets a failed program's error surface again as
 * unhandled rejections once the next evaluation resets the runtime; they are not that evaluation's.
 */
const failuresReported = new WeakSet<object>();

function markReported(error: unknown): void {
    for (let e = error; typeof e === "object" && e !== null && !failuresReported.has(e); e = (e as { cause?: unknown }).cause) {
        failuresReported.add(e);
    }
}

function reported(reason: unknown): boolean {
    return typeof reason === "object" && reason !== null && failuresReported.has(reason);
}

/** Runs the program for `stack` on the mocks; calls are serialized because the Pulumi runtime is global. */
export function evaluateStack(stack: string, options: EvaluateOptions = {}): Promise<Inventory> {
    const result = running.then(() => {
        shareCallbackCode(options.shareCallbackCode ?? true);
        lazyResourceOutputs(options.lazyOutputs ?? true);
        return withStackTraces(options.stackTraces ?? false, () => evaluateOnce(stack, options));
    });
    running = result.catch(() => undefined);
    return result;
}

/** `evaluate` with each stack evaluated at most once: for a tool that reads a stack in several places. */
export function onceEach(evaluate: StackEvaluator): StackEvaluator {
    const evaluated = new Map<StackName, Promise<Inventory>>();
    return (stack) => evaluated.get(stack) ?? evaluated.set(stack, evaluate(stack)).get(stack)!;
}

/** The SDK's promise-leak bookkeeping (runtime/debuggable.js), replaced while stack traces are off. */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };

/**
 * Off, no stack is formatted and no promise is tracked: the SDK asks for a stack per promise and keeps
 * every promise in a set until it settles (to report leaks at exit), and asks for a full stack per
 * resource (Resource.callsites sets the limit to Infinity), each source-mapped under ts-node: most of
 * a large evaluation's time and garbage. The engine only shows them as source positions.
 */
async function withStackTraces<T>(on: boolean, run: () => Promise<T>): Promise<T> {
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    const track = debuggable.debuggablePromise;
    if (!on) {
        Error.stackTraceLimit = 0;
        Error.prepareStackTrace = () => "";
        debuggable.debuggablePromise = (p) => p;
    }
    try {
        return await run();
    } finally {
        Error.stackTraceLimit = limit;
        Error.prepareStackTrace = prepare;
        debuggable.debuggablePromise = track;
    }
}

async function evaluateOnce(stack: string, options: EvaluateOptions): Promise<Inventory> {
    const root = options.root ?? ROOT;
    const { project, config } = engineConfig(root, stack);
    for (const [key, value] of Object.entries(options.config ?? {})) {
        if (value === undefined) {
            delete config[key];
        } else {
            config[key] = value;
        }
    }
    const world = { ...defaultWorld(), ...options.world };
    const mocks = new WorldMocks(world);
    await pulumi.runtime.setMocks(mocks, project.name, stack, world.preview);
    pulumi.runtime.setAllConfig(config);
    engineUrns(settings.getMonitor());
    denyDefaultProviders(settings.getMonitor(), disabledPackages(config));
    const resources = recordRegistrations(mocks, options.onRegistered);

    // As the Node.js runtime does: a module that exports a function is the program; else its exports are the outputs.
    const program = require(entryPoint(root, project)) as (() => Promise<Record<string, unknown>>) | Record<string, unknown>;
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => {
        if (!reported(reason)) {
            failures.push(reason);
        }
    };
    process.on("unhandledRejection", onRejection);
    try {
        const outputs = await pulumi.runtime.runInPulumiStack(async () => {
            for (const t of options.transformations ?? []) {
                pulumi.runtime.registerStackTransformation(t);
            }
            return typeof program === "function" ? program() : program;
        });
        await settings.waitForRPCs();
        if (failures.length > 0) {
            throw failures[0];
        }
        return { stack, project: project.name, root, preview: world.preview, resources, outputs: outputs ?? {}, config };
    } catch (e) {
        // Registrations already under way would otherwise land on the next evaluation's monitor.
        await settings.waitForRPCs().catch(() => undefined);
        markReported(e);
        throw new EvaluationError(e, resources);
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}

/**
 * URNs as the engine makes them (pkg/resource/deploy/deployment.go generateURN): the parent's full
 * qualified type chain, without the root stack's type. The mock monitor keeps only the immediate
 * parent's type and includes the stack's.
 */
function engineUrns(monitor: any): void {
    monitor.newUrn = (parent: string | undefined, type: string, name: string) => {
        const parentType = parent ? parent.split("::")[2] : "";
        const qualified = parentType && parentType !== TYPES.stack ? `${parentType}$${type}` : type;
        return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
    };
}

function recordedOptions(req: any): RecordedOptions {
    const timeouts = req.getCustomtimeouts();
    return {
        protect: req.getProtect(),
        ignoreChanges: req.getIgnorechangesList(),
        deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        aliases: [...req.getAliasurnsList(), ...req.getAliasesList().map((a: any) => aliasUrn(a, req))],
        customTimeouts: { create: timeouts?.getCreate() ?? "", update: timeouts?.getUpdate() ?? "", delete: timeouts?.getDelete() ?? "" },
    };
}

/**
 * An alias as the engine resolves it (pkg/resource/deploy/step_generator.go collapseAliasToUrn, with
 * sdk/go/common/resource/alias.go CreateURN): a URN as given; a spec's missing name, type and parent are
 * the resource's own, and a root-stack parent counts as none. The SDK sends specs whenever the monitor
 * supports them, as the mock monitor does.
 */
function aliasUrn(alias: any, req: any): string {
    if (alias.hasUrn()) {
        return alias.getUrn();
    }
    const spec = alias.getSpec();
    let parent: string = spec.getNoparent() ? "" : spec.getParenturn() || req.getParent();
    if (parent && parent.split("::")[2] === TYPES.stack) {
        parent = "";
    }
    const prefix = parent
        ? `${parent.slice(0, parent.lastIndexOf("::"))}$`
        : `urn:pulumi:${spec.getStack() || pulumi.getStack()}::${spec.getProject() || pulumi.getProject()}::`;
    return `${prefix}${spec.getType() || req.getType()}::${spec.getName() || req.getName()}`;
}

const responseLabel = () => "RegisterResourceResponse";

/** What the SDK's deserializeProperties (runtime/rpc.js) makes of a Struct, from the Struct's JSON. */
function deserialized(wire: Record<string, unknown>): Record<string, any> {
    const props: Record<string, any> = {};
    for (const [key, value] of Object.entries(wire)) {
        if (value !== undefined) {
            props[key] = pulumi.runtime.deserializeProperty(value);
        }
    }
    return props;
}

/** Wraps the mock monitor so each registration is recorded with what the engine would see. */
function recordRegistrations(mocks: WorldMocks, onRegistered: ((r: RecordedResource) => void) | undefined): RecordedResource[] {
    const resources: RecordedResource[] = [];
    const monitor = settings.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => {
        register(req, (err: unknown, resp: any) => {
            if (!err) {
                const serializedInputs = req.getObject().toJavaScript();
                const serializedState = resp.getObject().toJavaScript();
                const inputs = deserialized(serializedInputs);
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
                    propertyDependencies[key] = deps.getUrnsList();
                });
                const provider: string | undefined = req.getProvider() || undefined;
                const record: RecordedResource = {
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    id: resp.getId() || undefined,
                    parent: req.getParent() || undefined,
                    provider,
                    region: req.getCustom() ? mocks.regionOf(req.getType(), provider, inputs) : undefined,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    inputs,
                    serializedInputs,
                    state: deserialized(serializedState),
                    serializedState,
                    options: recordedOptions(req),
                };
                resources.push(record);
                onRegistered?.(record);
                // The SDK puts every response into a debug message (runtime/resource.js: `resp: ${innerResponse}`)
                // that nothing reads without an engine, and a protobuf message's toString walks the whole
                // message: a tenth of a warm evaluation. The response itself is unchanged.
                Object.defineProperty(resp, "toString", { value: responseLabel });
            }
            callback(err, resp);
        });
    };
    return resources;
}
