// npm run plan -- --stack prod|dr [--json] [--preview] [--policy-config policy-config.json]
// The offline preview: first the engine preflight (what the Pulumi CLI checks before it runs the
// program: project and stack files, the merged configuration, the type check), then it evaluates the program for a stack on Pulumi's mock runtime and lists every
// resource it would deploy, with its region, provider, parent, dependencies and inputs; then runs the
// CrossGuard policy pack (policy/) on it, served and driven as `pulumi preview --policy-pack policy`
// would, prints the violations and exemptions, and exits non-zero on any mandatory violation.
import * as path from "path";
import { PILLARS } from "../../policy/lib/metadata";
import { choiceFlag, Io, parseCommandArgs, runCli, UsageError } from "../cli";
import { accountNeeds } from "./accountNeeds";
import { evaluateStack, Inventory, ROOT, STACKS } from "./evaluate";
import { compactHeap, growHeapByHalf } from "./heap";
import { readPolicyConfigFile } from "./policyConfig";
import { PolicyHost, PolicyReport } from "./policyHost";
import { plainValue } from "./plainValues";
import { preflight, PreflightResult } from "./preflight";
import { PREFLIGHT_RULES } from "./preflight/rules";
import { stackNames } from "./preflight/stack";

export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    region?: string;
    provider?: string;
    parent?: string;
    dependencies: string[];
    inputs: unknown;
}

export async function plannedResources(inventory: Inventory): Promise<PlannedResource[]> {
    return Promise.all(inventory.resources.map(async (r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        region: r.region,
        // The provider's URN; the engine's reference also carries its id.
        provider: r.provider?.split("::").slice(0, -1).join("::"),
        parent: r.parent,
        dependencies: r.dependencies,
        inputs: await plainValue(r.inputs),
    })));
}

const SPEC = {
    usage: [
        `usage: npm run plan -- --stack ${STACKS.join("|")} [--json] [--preview] [--policy-config <file.json>] [--project <folder>]`,
        "  --stack           the stack to plan (its Pulumi.<stack>.yaml)",
        "  --project         another Pulumi project's folder (default: this repository's)",
        "  --json            one JSON document: {stack, preflight, accountNeeds, resources, policies, violations, exemptions, remediations}",
        "  --preview         evaluate as a first `pulumi preview` (computed outputs unknown)",
        "  --policy-config   a policy pack config file, as `--policy-pack-config` takes",
    ].join("\n"),
    options: {
        stack: { type: "string" },
        json: { type: "boolean" },
        preview: { type: "boolean" },
        "policy-config": { type: "string" },
        project: { type: "string" },
    },
} as const;

const shortUrn = (urn: string) => {
    const [type, name] = urn.split("::").slice(-2);
    return urn ? `${type.split("$").pop()} ${name}` : "(stack)";
};

function printPolicyReport(io: Io, report: PolicyReport): void {
    const byPillar = Object.keys(PILLARS).map((p) => `${PILLARS[p as keyof typeof PILLARS].toLowerCase()} ${report.policies.filter((x) => x.pillar === p).length}`);
    const disabled = report.policies.filter((p) => p.enforcementLevel === "disabled").length;
    io.out(`\nPolicy pack ${report.pack.name}@${report.pack.version}: ${report.policies.length} policies (${byPillar.join(", ")})${disabled ? `, ${disabled} disabled` : ""}${report.preview ? ", preview" : ""}`);
    const mandatory = report.violations.filter((v) => v.level === "mandatory");
    const advisory = report.violations.filter((v) => v.level !== "mandatory");
    io.out(`Violations: ${mandatory.length} mandatory, ${advisory.length} advisory`);
    for (const v of [...mandatory, ...advisory]) {
        io.out(`  ${v.level.padEnd(9)} ${v.policy}  ${shortUrn(v.urn)}\n    ${v.message.split("\n").join("\n    ")}`);
    }
    io.out(`Exemptions: ${report.exemptions.length}`);
    for (const e of report.exemptions) {
        io.out(`  ${e.policy}  ${shortUrn(e.urn)}: ${e.reason}`);
    }
    if (report.remediations.length > 0) {
        io.out(`Remediations: ${report.remediations.length}`);
        for (const r of report.remediations) {
            io.out(`  ${r.policy}  ${shortUrn(r.urn)}`);
        }
    }
    io.out(mandatory.length === 0 ? "Policy check passed." : `Policy check FAILED: ${mandatory.length} mandatory violation(s).`);
}

function printPreflight(io: Io, result: PreflightResult): void {
    for (const warning of result.warnings) {
        io.out(`  warning: ${warning}`);
    }
    const rules = Object.keys(PREFLIGHT_RULES).length;
    io.out(result.problems.length === 0
        ? `Preflight: the Pulumi CLI's ${rules} checks pass (project, stack file, configuration, type check; default providers while evaluating).`
        : `Preflight FAILED: the Pulumi CLI would stop before running the program:\n${result.problems.map((p) => `  [${p.rule}] ${p.message}`).join("\n")}`);
}

export interface PlanOptions {
    /** A running pack to use (and leave running) instead of starting one for this run. */
    host?: Promise<PolicyHost>;
    /** Called once every resource is analyzed, before the stack is sent for AnalyzeStack. */
    beforeStackAnalysis?: () => void;
}

export async function plan(argv: string[], io: Io, options: PlanOptions = {}): Promise<number> {
    const args = parseCommandArgs(argv, SPEC);
    if (args.help) {
        io.out(SPEC.usage);
        return 0;
    }
    const root = args.project ? path.resolve(args.project) : ROOT;
    const stack = choiceFlag("stack", args.stack, root === ROOT ? STACKS : stackNames(root));
    if (stack === undefined) {
        throw new UsageError(`--stack is required\n${SPEC.usage}`);
    }
    const policyConfig = args["policy-config"] ? readPolicyConfigFile(path.resolve(args["policy-config"])) : {};
    const started = preflight(root, stack);
    const refuse = (checked: PreflightResult) => {
        if (args.json) {
            io.out(JSON.stringify({ stack, preflight: { problems: checked.problems, warnings: checked.warnings } }, null, 2));
        } else {
            printPreflight(io, checked);
        }
        return 1;
    };
    if (started.problems.length > 0) {
        return refuse(started);
    }
    // The type check (its own process), the pack (its own process) and the evaluation run at once, and
    // each resource is analyzed as soon as it is registered, as the engine does; the type check's
    // verdict comes first, as the CLI's would.
    const starting = options.host ?? PolicyHost.start();
    const description = { stack, project: started.project!.name, root, preview: args.preview === true, config: started.config };
    const session = starting.then((host) => host.session(description, { config: policyConfig }));
    session.catch(() => undefined);
    const evaluating = evaluateStack(stack, {
        root,
        world: { preview: args.preview === true },
        onRegistered: (r) => void session.then((s) => s.analyze(r), () => undefined),
    });
    evaluating.catch(() => undefined);
    const stop = () => (options.host ? Promise.resolve() : starting.then((h) => h.stop(), () => undefined));
    const checked = await started.typeChecked;
    if (checked.problems.length > 0) {
        await Promise.allSettled([evaluating, stop()]);
        return refuse(checked);
    }
    let inventory: Inventory;
    let report: PolicyReport;
    try {
        inventory = await evaluating;
        const analysis = await session;
        await analysis.drained();
        options.beforeStackAnalysis?.();
        report = await analysis.finish(inventory);
    } finally {
        await stop();
    }
    const resources = await plannedResources(inventory);
    const needs = accountNeeds(inventory);
    const exitCode = report.mandatoryCount > 0 ? 1 : 0;
    if (args.json) {
        io.out(JSON.stringify({
            stack,
            preview: args.preview === true,
            preflight: { problems: checked.problems, warnings: checked.warnings },
            accountNeeds: needs,
            resources,
            policies: report.policies.map((p) => ({ name: p.name, pillar: p.pillar, enforcementLevel: p.enforcementLevel, anchors: p.anchors })),
            violations: report.violations,
            exemptions: report.exemptions,
            remediations: report.remediations,
        }, null, 2));
        return exitCode;
    }
    printPreflight(io, checked);
    const custom = inventory.resources.filter((r) => r.custom);
    io.out(`Stack ${stack}: ${custom.length} resources (${inventory.resources.length - custom.length} components)`);
    const children = new Map<string | undefined, PlannedResource[]>();
    for (const r of resources) {
        children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    }
    const lines: string[] = [];
    const print = (r: PlannedResource, depth: number): void => {
        lines.push(`${"  ".repeat(depth)}${r.type}  ${r.name}${r.region ? `  [${r.region}]` : ""}`);
        for (const child of children.get(r.urn) ?? []) {
            print(child, depth + 1);
        }
    };
    (children.get(undefined) ?? []).forEach((root) => print(root, 0));
    io.out(lines.join("\n"));
    io.out("\nWhat the AWS account must allow (not checkable offline; docs/deploy.md):");
    needs.forEach((n) => io.out(`  ${n.region}: ${n.need}\n    check: ${n.check}`));
    printPolicyReport(io, report);
    return exitCode;
}

runCli(module, (argv, io) => {
    growHeapByHalf();
    // The evaluation is over and its garbage would stay resident while the pack builds its largest
    // answer: 455-477 vs 503-510 MB at the peak of a 2,000-resource plan, for 0.25-0.35 s.
    return plan(argv, io, { beforeStackAnalysis: compactHeap });
});
