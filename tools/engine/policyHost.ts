// Runs the policy pack the way the Pulumi engine does, without the Pulumi CLI: the REAL pack entry
// (policy/index.ts) is started as a child process, exactly like the CLI's analyzer host starts it; it
// prints the port of its gRPC server; this host connects as the engine would and calls
// GetAnalyzerInfo, Configure (policy config reconciled as the CLI does: schema defaults, `all`,
// per-policy levels and settings, validated against each schema), ConfigureStack (stack tags), then
// for every resource Remediate and Analyze (its inputs marshalled as the engine marshals them:
// unknowns and secrets kept, internal keys dropped, resource references downgraded; its options; its
// provider with the provider's inputs), and finally AnalyzeStack (every resource with its outputs,
// parent, dependencies, property dependencies and provider).
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BinaryWriter } from "google-protobuf";
import * as yaml from "js-yaml";
import { parseExemption } from "../../policy/lib/exemptions";
import { ANCHOR_TAG, EXEMPTIONS_LISTED, Pillar, PILLAR_TAG } from "../../policy/lib/metadata";
import { REGISTER } from "../transpile/command";
import { Inventory, RecordedResource, ROOT } from "./evaluate";
import { ENFORCEMENT_LEVELS, EnforcementLevel, parsePolicyConfig, PolicyConfig, PolicySchema, reconcilePolicyConfig } from "./policyConfig";
import { HEAP_GROWTH_FLAG, PACK_YOUNG_GENERATION_FLAG } from "./heap";
import { plainStruct } from "./plainStruct";
import { encodeStringsInOneBlock } from "./protobufStrings";

encodeStringsInOneBlock();

const grpc = require("@grpc/grpc-js");
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const proto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

export const PACK_DIR = path.join(ROOT, "policy");

/** The gRPC limit the policy server raises its own to; Lambda code archives make large requests. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;
const START_TIMEOUT_MS = 120_000;
const PACK_PRELOAD = path.join(__dirname, "packPreload.ts");

/** Node's arguments for the pack's process in `transpiled` mode, running `entry` (its file and arguments). */
export function packProcessArgs(entry: string[]): string[] {
    return [HEAP_GROWTH_FLAG, PACK_YOUNG_GENERATION_FLAG, "-r", REGISTER, "-r", PACK_PRELOAD, ...entry];
}

/** The environment of the pack's process: the transpile hook compiles with the pack's tsconfig. */
export function packProcessEnv(packDir: string): NodeJS.ProcessEnv {
    return { ...process.env, TS_NODE_PROJECT: path.join(packDir, "tsconfig.json") };
}

/** Wire-protocol signatures (sdk/go/common/resource/sig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG = {
    secret: "1b47061264138c4ac30d75fd1eb44270", resource: "5cf8f73096256a8f31e491e813e4eb8e", output: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
    asset: "c44067f5952c0a294b673a41bacd8c17", archive: "0def7320c3a5731c473e5ecbe6d01bc7",
};
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const LEVEL_FROM_PROTO: Record<number, EnforcementLevel> = {
    [proto.EnforcementLevel.ADVISORY]: "advisory",
    [proto.EnforcementLevel.MANDATORY]: "mandatory",
    [proto.EnforcementLevel.DISABLED]: "disabled",
    [proto.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_TO_PROTO = Object.fromEntries(Object.entries(LEVEL_FROM_PROTO).map(([k, v]) => [v, Number(k)])) as Record<EnforcementLevel, number>;

export interface HostedPolicy {
    name: string;
    description: string;
    kind: "resource" | "stack";
    /** The pack's default level. */
    enforcementLevel: EnforcementLevel;
    severity?: string;
    pillar?: Pillar;
    anchors: string[];
    remediationSteps: string;
    configSchema?: PolicySchema;
}

export interface PackInfo {
    name: string;
    version: string;
    description: string;
    policies: HostedPolicy[];
    initialConfig: Record<string, PolicyConfig>;
}

export interface Violation {
    policy: string;
    level: EnforcementLevel;
    urn: string;
    message: string;
}

export interface Exemption {
    /** The rule the resource is exempted from. */
    policy: string;
    urn: string;
    reason: string;
}

export interface Remediation {
    policy: string;
    urn: string;
    /** The inputs after the remediation, plain JSON (wire form). */
    properties: Record<string, unknown>;
}

export interface PolicyReport {
    pack: { name: string; version: string };
    stack: string;
    preview: boolean;
    /** Every policy with its effective level for this run. */
    policies: { name: string; pillar?: Pillar; enforcementLevel: EnforcementLevel; anchors: string[]; settings: Record<string, unknown> }[];
    violations: Violation[];
    exemptions: Exemption[];
    remediations: Remediation[];
    /** Policies that reported their checks as not applicable, with the resources concerned. */
    notApplicable: Record<string, number>;
    mandatoryCount: number;
}

/** What the engine tells the pack about a stack before any resource (ConfigureStack). */
export type StackDescription = Pick<Inventory, "stack" | "project" | "root" | "preview" | "config">;

/** A stack under analysis: its resources as they come, then the whole stack. */
export interface AnalysisSession {
    analyze(resource: RecordedResource): void;
    /** Resolves once every resource given so far has been analyzed (rejects as `finish` would). */
    drained(): Promise<void>;
    finish(inventory: Inventory): Promise<PolicyReport>;
}

export interface RunOptions {
    /** Policy pack config, in the `--policy-pack-config` format or already parsed. */
    config?: Record<string, unknown>;
}

/** How the pack process is started: like the CLI (its run-policy-pack entry, type-checked) or lighter. */
export type HostMode = "cli" | "transpiled";

/** `transpiled`, unless TANDEM_POLICY_HOST=cli asks for the CLI's own entry. */
export function defaultHostMode(): HostMode {
    return process.env.TANDEM_POLICY_HOST === "cli" ? "cli" : "transpiled";
}

/** The lowest priority (nice 19); where the system refuses, the pack runs at the usual one. */
function lowerPriority(pid: number): void {
    try {
        os.setPriority(pid, os.constants.priority.PRIORITY_LOW);
    } catch {
        // Refused (a platform without priorities): only the pack's share of the CPU differs, not what it does.
    }
}

export class PolicyHost {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
        readonly info: PackInfo,
        private readonly stderr: string[],
    ) {}

    /**
     * Starts the pack. `transpiled` (default) runs `node -r tools/transpile/register.js index.ts`
     * (transpile only, kept between runs; `npm run lint` type-checks the pack; the heap sized as
     * ./heap.ts says; ./packPreload.ts loaded first); `cli` runs @pulumi/pulumi's run-policy-pack
     * entry exactly as `pulumi preview --policy-pack` does, including its type-checking ts-node setup.
     * `lowPriority` runs the pack at the lowest CPU priority: for a host started long before it is
     * used, whose start should take only CPU nothing else wants.
     */
    static async start(options: { packDir?: string; mode?: HostMode; lowPriority?: boolean } = {}): Promise<PolicyHost> {
        const packDir = options.packDir ?? PACK_DIR;
        const mode = options.mode ?? defaultHostMode();
        const args = mode === "cli"
            ? [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:0", "."]
            : packProcessArgs(["index.ts"]);
        const child = spawn(process.execPath, args, { cwd: packDir, env: packProcessEnv(packDir), stdio: ["ignore", "pipe", "pipe"] });
        if (options.lowPriority && child.pid !== undefined) {
            lowerPriority(child.pid);
        }
        const stderr: string[] = [];
        child.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
        const stopOnExit = () => child.kill("SIGKILL");
        process.once("exit", stopOnExit);
        child.once("exit", () => process.off("exit", stopOnExit));

        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => fail(new Error(`the policy pack did not print its port within ${START_TIMEOUT_MS / 1000}s`)), START_TIMEOUT_MS);
            const fail = (e: Error) => {
                clearTimeout(timer);
                child.kill("SIGKILL");
                reject(new Error(`${e.message}\n${stderr.join("")}`));
            };
            child.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const line = out.split("\n")[0].trim();
                if (out.includes("\n") && /^\d+$/.test(line)) {
                    clearTimeout(timer);
                    resolve(Number(line));
                }
            });
            child.once("exit", (code) => fail(new Error(`the policy pack exited (code ${code}) before serving`)));
            child.once("error", fail);
        });
        const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
            "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
        });
        try {
            const info = packInfo(await call(client, "getAnalyzerInfo", new Empty()));
            return new PolicyHost(child, client, info, stderr);
        } catch (e) {
            child.kill("SIGKILL");
            throw e;
        }
    }

    /** The pack's process. */
    get pid(): number {
        return this.child.pid!;
    }

    /**
     * Lets this process exit while the pack still runs (it is killed on exit): for a host shared by a
     * whole test run, which may end without the hook that stops it (`mocha --dry-run`, a `--grep` that
     * selects nothing).
     */
    unref(): void {
        this.child.unref();
        for (const pipe of [this.child.stdout, this.child.stderr]) (pipe as unknown as { unref?: () => void } | null)?.unref?.();
    }

    /** What the pack process wrote to stderr (its logs and crash reports). */
    get stderrText(): string {
        return this.stderr.join("");
    }

    /** Stops the pack process (by its PID) and waits for it to exit. */
    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
            return;
        }
        const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
        process.kill(this.child.pid!, "SIGTERM");
        await exited;
    }

    /** The policy config the CLI would send for `given`; throws with the CLI's validation errors. */
    reconcile(given: Record<string, unknown> = {}): Record<string, PolicyConfig> {
        const { config, errors } = reconcilePolicyConfig(this.info.policies, this.info.initialConfig, parsePolicyConfig(given));
        if (errors.length > 0) {
            throw new Error(`Invalid policy pack configuration:\n${errors.map((e) => `  - ${e}`).join("\n")}`);
        }
        return config;
    }

    /** Runs every policy on the evaluated stack and collects what the engine would show. */
    async run(inventory: Inventory, options: RunOptions = {}): Promise<PolicyReport> {
        const session = await this.session(inventory, options);
        inventory.resources.forEach((r) => session.analyze(r));
        return session.finish(inventory);
    }

    /**
     * Starts analyzing a stack the way the engine does while it deploys: each resource as it is
     * registered (`analyze`: Remediate, then Analyze), the whole stack at the end (`finish`:
     * AnalyzeStack). A few resources are in flight at a time: this process marshals the next requests
     * while the pack answers, and no more than a window of messages is alive at once.
     */
    async session(stack: StackDescription, options: RunOptions = {}): Promise<AnalysisSession> {
        const config = this.reconcile(options.config);
        await this.configure(config);
        await this.configureStack(stack);

        const byUrn = new Map<string, RecordedResource>();
        // The parts of a request that do not change between a resource's calls, marshalled once: its
        // options and its provider (one message per provider, shared by every resource it serves).
        const providers = new Map<string, any>();
        const providerOf = (r: RecordedResource) => {
            const urn = r.provider?.split("::").slice(0, -1).join("::");
            if (urn === undefined || !byUrn.has(urn)) return undefined;
            if (!providers.has(urn)) providers.set(urn, providerResource(byUrn.get(urn)!));
            return providers.get(urn);
        };
        const violations: Violation[] = [];
        const remediations: Remediation[] = [];
        const notApplicable: Record<string, number> = {};
        const countNotApplicable = (list: any[]) => list.forEach((na) => {
            notApplicable[na.getPolicyName()] = (notApplicable[na.getPolicyName()] ?? 0) + 1;
        });
        // Each resource as AnalyzeStack will carry it (its outputs, over them its final inputs), encoded
        // while the pack analyzes it rather than all at once at the end.
        const forStack = new Map<string, Uint8Array>();
        const encodeForStack = (r: RecordedResource, inputs: Record<string, unknown>, options: any) => {
            const outputs = { ...engineProperties(r.serializedState), ...inputs };
            const encoded = stackResource(r, plainStruct(outputs), options, providerOf(r)).serializeBinary();
            forStack.set(r.urn, encoded);
            return encoded;
        };

        const analyzeOne = async (r: RecordedResource) => {
            const options = resourceOptions(r);
            let inputs = engineProperties(r.serializedInputs);
            // Remediate and Analyze take the same request; it is encoded again only if a remediation changed the inputs.
            let request = analyzeRequest(r, plainStruct(inputs), options, providerOf(r)).serializeBinary();
            const remediated = await callEncoded(this.client, "remediate", request);
            countNotApplicable(remediated.getNotApplicableList());
            for (const rem of remediated.getRemediationsList()) {
                if (rem.getDiagnostic()) {
                    violations.push({ policy: rem.getPolicyname(), level: "advisory", urn: r.urn, message: rem.getDiagnostic() });
                }
                if (rem.hasProperties()) {
                    request = analyzeRequest(r, rem.getProperties(), options, providerOf(r)).serializeBinary();
                    inputs = rem.getProperties().toJavaScript();
                    remediations.push({ policy: rem.getPolicyname(), urn: r.urn, properties: inputs });
                }
            }
            encodeForStack(r, inputs, options);
            const analyzed = await callEncoded(this.client, "analyze", request);
            countNotApplicable(analyzed.getNotApplicableList());
            violations.push(...analyzed.getDiagnosticsList().map((d: any) => this.violation(d, r.urn)));
        };
        const queue = new Window(ANALYZE_WINDOW);

        return {
            analyze: (r) => {
                byUrn.set(r.urn, r);
                queue.add(() => analyzeOne(r));
            },
            drained: () => queue.drained(),
            finish: async (inventory) => {
                await queue.drained();
                const resources = inventory.resources.map((r) => forStack.get(r.urn) ?? encodeForStack(r, {}, resourceOptions(r)));
                const analyzedStack = await callEncoded(this.client, "analyzeStack", analyzeStackRequest(resources));
                countNotApplicable(analyzedStack.getNotApplicableList());
                violations.push(...analyzedStack.getDiagnosticsList().map((d: any) => this.violation(d, "")));
                return this.report(inventory, config, violations, remediations, notApplicable);
            },
        };
    }

    private report(inventory: Inventory, config: Record<string, PolicyConfig>, violations: Violation[], remediations: Remediation[], notApplicable: Record<string, number>): PolicyReport {
        const order = new Map(inventory.resources.map((r, i) => [r.urn, i]));
        const policyOrder = new Map(this.info.policies.map((p, i) => [p.name, i]));
        violations.sort((a, b) => (policyOrder.get(a.policy) ?? 0) - (policyOrder.get(b.policy) ?? 0) || (order.get(a.urn) ?? -1) - (order.get(b.urn) ?? -1));
        const exemptions: Exemption[] = [];
        const reported = violations.filter((v) => {
            if (v.policy !== EXEMPTIONS_LISTED) {
                return true;
            }
            const e = parseExemption(v.message);
            if (e) {
                exemptions.push({ policy: e.rule, urn: v.urn, reason: e.reason });
            }
            return e === undefined;
        });
        return {
            pack: { name: this.info.name, version: this.info.version },
            stack: inventory.stack,
            preview: inventory.preview,
            policies: this.info.policies.map((p) => ({
                name: p.name, pillar: p.pillar, anchors: p.anchors,
                enforcementLevel: config[p.name]?.enforcementLevel ?? p.enforcementLevel,
                settings: config[p.name]?.properties ?? {},
            })),
            violations: reported,
            exemptions,
            remediations,
            notApplicable,
            mandatoryCount: reported.filter((v) => v.level === "mandatory").length,
        };
    }

    private async configure(config: Record<string, PolicyConfig>): Promise<void> {
        const req = new proto.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of Object.entries(config)) {
            const pc = new proto.PolicyConfig();
            if (c.enforcementLevel) {
                pc.setEnforcementlevel(LEVEL_TO_PROTO[c.enforcementLevel]);
            }
            pc.setProperties(Struct.fromJavaScript(jsonSafe(c.properties ?? {})));
            map.set(name, pc);
        }
        await call(this.client, "configure", req);
    }

    private async configureStack(inventory: StackDescription): Promise<void> {
        const project = yaml.load(fs.readFileSync(path.join(inventory.root, "Pulumi.yaml"), "utf8")) as { name: string; description?: string; runtime: string | { name: string } };
        const req = new proto.AnalyzerStackConfigureRequest();
        req.setStack(inventory.stack);
        req.setProject(inventory.project);
        req.setOrganization("organization");
        req.setDryRun(inventory.preview);
        Object.entries(inventory.config).forEach(([k, v]) => req.getConfigMap().set(k, v));
        // The tags the CLI gives a stack of a local backend (pulumi:project, pulumi:runtime, pulumi:description).
        const tags = req.getTagsMap();
        tags.set("pulumi:project", project.name);
        tags.set("pulumi:runtime", typeof project.runtime === "string" ? project.runtime : project.runtime.name);
        if (project.description) {
            tags.set("pulumi:description", project.description);
        }
        await call(this.client, "configureStack", req);
    }

    private violation(d: any, urn: string): Violation {
        const description: string = d.getDescription();
        const message: string = d.getMessage();
        return {
            policy: d.getPolicyname(),
            level: LEVEL_FROM_PROTO[d.getEnforcementlevel()],
            urn: d.getUrn() || urn,
            // The server prefixes string-form violations with the policy description.
            message: message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message,
        };
    }
}

function call(client: any, method: string, request: unknown): Promise<any> {
    return new Promise((resolve, reject) => client[method](request, (err: Error | null, response: any) => (err ? reject(err) : resolve(response))));
}

/** A unary call whose request is already encoded (grpc-js sends the bytes as they are). */
function callEncoded(client: any, method: "remediate" | "analyze" | "analyzeStack", request: Uint8Array): Promise<any> {
    const { path: rpcPath, responseDeserialize } = analyzerRpc.AnalyzerService[method];
    const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new Promise((resolve, reject) => client.makeUnaryRequest(rpcPath, asBuffer, responseDeserialize, request, (err: Error | null, response: any) => (err ? reject(err) : resolve(response))));
}

function packInfo(ai: any): PackInfo {
    const policies: HostedPolicy[] = ai.getPoliciesList().map((p: any) => {
        const tags: string[] = p.getTagsList();
        const schema = p.getConfigschema();
        return {
            name: p.getName(),
            description: p.getDescription(),
            kind: p.getPolicyType() === proto.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
            enforcementLevel: LEVEL_FROM_PROTO[p.getEnforcementlevel()],
            severity: p.getSeverity() ? Object.keys(proto.PolicySeverity).find((k) => proto.PolicySeverity[k] === p.getSeverity())?.replace("POLICY_SEVERITY_", "").toLowerCase() : undefined,
            pillar: tags.find((t) => t.startsWith(PILLAR_TAG))?.slice(PILLAR_TAG.length) as Pillar | undefined,
            anchors: tags.filter((t) => t.startsWith(ANCHOR_TAG)).map((t) => t.slice(ANCHOR_TAG.length)),
            remediationSteps: p.getRemediationSteps(),
            configSchema: schema ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() } : undefined,
        };
    });
    const initialConfig: Record<string, PolicyConfig> = {};
    ai.getInitialconfigMap().forEach((c: any, name: string) => {
        initialConfig[name] = { enforcementLevel: LEVEL_FROM_PROTO[c.getEnforcementlevel()], properties: c.getProperties()?.toJavaScript() };
    });
    return { name: ai.getName(), version: ai.getVersion(), description: ai.getDescription(), policies, initialConfig };
}

/** Struct.fromJavaScript accepts JSON values only. */
function jsonSafe(value: unknown): any {
    return JSON.parse(JSON.stringify(value ?? {}));
}

/** An asset or archive as the engine holds it: its signature and the fields it defines, nothing else. */
function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { [SIG_KEY]: obj[SIG_KEY] };
    keys.filter((k) => typeof obj[k] === "string").forEach((k) => (out[k] = obj[k]));
    return out;
}

/**
 * Properties as the engine marshals them for an analyzer (MarshalOptions KeepUnknowns, KeepSecrets,
 * SkipInternalKeys, and no KeepResources): `__`-prefixed keys dropped, resource references replaced by
 * the resource's ID (its URN for components), output values by their value (secret if secret; unknown
 * if not known), assets and archives reduced to the fields the engine keeps (the SDK's own
 * `__pulumiAsset` markers go).
 */
export function engineProperties(props: Record<string, unknown>): Record<string, unknown> {
    const marshal = (v: unknown): unknown => {
        if (Array.isArray(v)) {
            return v.map(marshal);
        }
        if (v === null || typeof v !== "object") {
            return v;
        }
        const obj = v as Record<string, unknown>;
        switch (obj[SIG_KEY]) {
            case SIG.resource:
                return typeof obj.id === "string" ? (obj.id === "" ? UNKNOWN : obj.id) : obj.urn;
            case SIG.output: {
                const value = "value" in obj ? marshal(obj.value) : UNKNOWN;
                return obj.secret === true ? { [SIG_KEY]: SIG.secret, value } : value;
            }
            case SIG.secret:
                return { [SIG_KEY]: SIG.secret, value: marshal(obj.value) };
            case SIG.asset:
                return pick(obj, ["hash", "text", "path", "uri"]);
            case SIG.archive:
                return obj.assets !== undefined
                    ? { ...pick(obj, ["hash"]), assets: Object.fromEntries(Object.entries(obj.assets as object).map(([k, a]) => [k, marshal(a)])) }
                    : pick(obj, ["hash", "path", "uri"]);
            case undefined:
                return Object.fromEntries(Object.entries(obj).filter(([k, x]) => !k.startsWith("__") && x !== undefined).map(([k, x]) => [k, marshal(x)]));
            default:
                return obj;
        }
    };
    return marshal(props) as Record<string, unknown>;
}

/** Seconds of a Go duration string ("1h30m", "90s"); 0 when empty. */
export function goDurationSeconds(duration: string): number {
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
    let total = 0;
    for (const [, n, unit] of duration.matchAll(/([\d.]+)(ms|h|m|s)/g)) {
        total += Number(n) * units[unit];
    }
    return total;
}

function resourceOptions(r: RecordedResource): any {
    const o = new proto.AnalyzerResourceOptions();
    o.setProtect(r.options?.protect ?? false);
    o.setIgnorechangesList(r.options?.ignoreChanges ?? []);
    if (r.options?.deleteBeforeReplace !== undefined) {
        o.setDeletebeforereplacedefined(true);
        o.setDeletebeforereplace(r.options.deleteBeforeReplace);
    }
    o.setAdditionalsecretoutputsList(r.options?.additionalSecretOutputs ?? []);
    o.setAliasesList(r.options?.aliases ?? []);
    const timeouts = new proto.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(goDurationSeconds(r.options?.customTimeouts.create ?? ""));
    timeouts.setUpdate(goDurationSeconds(r.options?.customTimeouts.update ?? ""));
    timeouts.setDelete(goDurationSeconds(r.options?.customTimeouts.delete ?? ""));
    o.setCustomtimeouts(timeouts);
    if (r.parent) {
        o.setParent(r.parent);
    }
    return o;
}

function providerResource(provider: RecordedResource): any {
    const p = new proto.AnalyzerProviderResource();
    p.setType(provider.type);
    p.setName(provider.name);
    p.setUrn(provider.urn);
    p.setProperties(plainStruct(engineProperties(provider.serializedInputs)));
    return p;
}

/** Resources analyzed at once: enough to keep the pack busy, few enough to keep messages few. */
const ANALYZE_WINDOW = 32;

/** Jobs run as they are added, at most `size` at a time; the first failure is kept for drained(). */
class Window {
    private readonly waiting: Array<() => Promise<void>> = [];
    private running = 0;
    private failure: unknown;
    private idle: Array<() => void> = [];

    constructor(private readonly size: number) {}

    add(job: () => Promise<void>): void {
        this.waiting.push(job);
        this.pump();
    }

    private pump(): void {
        while (this.running < this.size && this.waiting.length > 0) {
            const job = this.waiting.shift()!;
            this.running++;
            job().catch((e) => (this.failure ??= e)).finally(() => {
                this.running--;
                this.pump();
            });
        }
        if (this.running === 0 && this.waiting.length === 0) {
            this.idle.splice(0).forEach((resolve) => resolve());
        }
    }

    /** Resolves when every job added so far is done; rejects with the first failure. */
    async drained(): Promise<void> {
        if (this.running > 0 || this.waiting.length > 0) {
            await new Promise<void>((resolve) => this.idle.push(resolve));
        }
        if (this.failure !== undefined) throw this.failure;
    }
}

/**
 * Fills what an AnalyzeRequest and an AnalyzerResource both carry: identity, properties (a Struct:
 * engine properties are JSON values), options and provider (messages that may be shared).
 */
function described<T>(message: T, r: RecordedResource, properties: any, options: any, provider: any): T {
    const m = message as any;
    m.setType(r.type);
    m.setUrn(r.urn);
    m.setName(r.name);
    m.setProperties(properties);
    m.setOptions(options);
    if (provider) {
        m.setProvider(provider);
    }
    return message;
}

function analyzeRequest(r: RecordedResource, properties: any, options: any, provider: any): any {
    return described(new proto.AnalyzeRequest(), r, properties, options, provider);
}

/**
 * An AnalyzeStackRequest (`repeated AnalyzerResource resources = 1`) from its resources already
 * encoded: an embedded message is written on the wire as length-delimited bytes, like a bytes field.
 */
export function analyzeStackRequest(resources: Uint8Array[]): Uint8Array {
    const writer = new BinaryWriter();
    resources.forEach((r) => writer.writeBytes(1, r));
    return writer.getResultBuffer();
}

function stackResource(r: RecordedResource, outputs: any, options: any, provider: any): any {
    const res = described(new proto.AnalyzerResource(), r, outputs, options, provider);
    if (r.parent) {
        res.setParent(r.parent);
    }
    res.setDependenciesList(r.dependencies);
    const deps = res.getPropertydependenciesMap();
    for (const [key, urns] of Object.entries(r.propertyDependencies)) {
        const pd = new proto.AnalyzerPropertyDependencies();
        pd.setUrnsList(urns);
        deps.set(key, pd);
    }
    return res;
}

export function isEnforcementLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}
