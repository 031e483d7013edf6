// Evaluates the Tandem program for one stack on Pulumi's mock runtime and records every resource as
// the engine receives it: type, name, URN, parent, provider, dependencies, property dependencies,
// inputs (and the raw serialized inputs, for the policy pack), plus the state the mocks answered.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../infra/config";
import { defaultWorld, MockWorld, WorldMocks } from "./mockWorld";

/** Runtime internals the engine's own host uses: the monitor, and waiting for outstanding registrations. */
const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): unknown; waitForRPCs(): Promise<void> };

export const ROOT = path.join(__dirname, "..", "..");
export const STACKS = ["prod", "dr"] as const;
export type StackName = (typeof STACKS)[number];

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
    /** Inputs exactly as serialized for the engine (google.protobuf.Struct). */
    serializedInputs: any;
    /** Outputs as the (mock) provider returned them. */
    state: Record<string, any>;
    /** Outputs exactly as the (mock) engine answered them (google.protobuf.Struct, wire form). */
    serializedState: any;
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
    preview: boolean;
    resources: RecordedResource[];
    outputs: Record<string, any>;
    /** The configuration the program ran with (full keys, string values). */
    config: Record<string, string>;
}

export interface EvaluateOptions {
    /** Config keys to set (string values, as a stack file holds them) or remove (undefined). */
    config?: Record<string, string | undefined>;
    world?: Partial<MockWorld>;
    /** Applied to every resource of the program (mutation testing, what-if analysis). */
    transformations?: pulumi.ResourceTransformation[];
    /**
     * Capture stack traces while the program runs. Off by default: the SDK captures one per promise
     * and per resource, which under ts-node's source maps is most of an evaluation's time, and the
     * recorded stack is the same either way (a test checks it).
     */
    stackTraces?: boolean;
}

/** The stack file's config as the CLI hands it to the program: full keys, strings (JSON for lists). */
export function stackConfig(stack: string): Record<string, string> {
    const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`There is no stack ${JSON.stringify(stack)}: ${file} does not exist (stacks: ${STACKS.join(", ")})`);
    }
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}

/** The program failed; `registered` is what it had registered by then. */
export class EvaluationError extends Error {
    constructor(readonly cause: unknown, readonly registered: RecordedResource[]) {
        super(cause instanceof Error ? cause.message : String(cause));
        this.name = "EvaluationError";
    }
}

let running: Promise<unknown> = Promise.resolve();

/** Runs the program for `stack` on the mocks; calls are serialized because the Pulumi runtime is global. */
export function evaluateStack(stack: string, options: EvaluateOptions = {}): Promise<Inventory> {
    const result = running.then(() => withStackTraces(options.stackTraces ?? false, () => evaluateOnce(stack, options)));
    running = result.catch(() => undefined);
    return result;
}

async function withStackTraces<T>(on: boolean, run: () => Promise<T>): Promise<T> {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = on ? limit : 0;
    try {
        return await run();
    } finally {
        Error.stackTraceLimit = limit;
    }
}

async function evaluateOnce(stack: string, options: EvaluateOptions): Promise<Inventory> {
    const config = stackConfig(stack);
    for (const [key, value] of Object.entries(options.config ?? {})) {
        if (value === undefined) {
            delete config[key];
        } else {
            config[key] = value;
        }
    }
    const world = { ...defaultWorld(), ...options.world };
    const mocks = new WorldMocks(world);
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, world.preview);
    pulumi.runtime.setAllConfig(config);
    const resources = recordRegistrations(mocks);

    const program = require(path.join(ROOT, "index.ts")) as () => Promise<Record<string, unknown>>;
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        const outputs = await pulumi.runtime.runInPulumiStack(async () => {
            for (const t of options.transformations ?? []) {
                pulumi.runtime.registerStackTransformation(t);
            }
            return program();
        });
        await settings.waitForRPCs();
        if (failures.length > 0) {
            throw failures[0];
        }
        return { stack, project: PROJECT, preview: world.preview, resources, outputs: outputs ?? {}, config };
    } catch (e) {
        // Registrations already under way would otherwise land on the next evaluation's monitor.
        await settings.waitForRPCs().catch(() => undefined);
        throw new EvaluationError(e, resources);
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}

function recordedOptions(req: any): RecordedOptions {
    const timeouts = req.getCustomtimeouts();
    return {
        protect: req.getProtect(),
        ignoreChanges: req.getIgnorechangesList(),
        deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        aliases: req.getAliasurnsList(),
        customTimeouts: { create: timeouts?.getCreate() ?? "", update: timeouts?.getUpdate() ?? "", delete: timeouts?.getDelete() ?? "" },
    };
}

/** Wraps the mock monitor so each registration is recorded with what the engine would see. */
function recordRegistrations(mocks: WorldMocks): RecordedResource[] {
    const resources: RecordedResource[] = [];
    const monitor = settings.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => {
        register(req, (err: unknown, resp: any) => {
            if (!err) {
                const inputs = pulumi.runtime.deserializeProperties(req.getObject());
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
                    propertyDependencies[key] = deps.getUrnsList();
                });
                const provider: string | undefined = req.getProvider() || undefined;
                resources.push({
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
                    serializedInputs: req.getObject(),
                    state: pulumi.runtime.deserializeProperties(resp.getObject()),
                    serializedState: resp.getObject(),
                    options: recordedOptions(req),
                });
            }
            callback(err, resp);
        });
    };
    return resources;
}
