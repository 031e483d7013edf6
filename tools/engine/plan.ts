// npm run plan -- --stack prod|dr [--json] [--preview] [--policy-config policy-config.json]
// The offline preview: evaluates the program for a stack on Pulumi's mock runtime and lists every
// resource it would deploy, with its region, provider, parent, dependencies and inputs; then runs the
// CrossGuard policy pack (policy/) on it, served and driven as `pulumi preview --policy-pack policy`
// would, prints the violations and exemptions, and exits non-zero on any mandatory violation.
import * as path from "path";
import { PILLARS } from "../../policy/lib/metadata";
import { evaluateStack, Inventory, STACKS } from "./evaluate";
import { readPolicyConfigFile } from "./policyConfig";
import { PolicyHost, PolicyReport } from "./policyHost";
import { plainValue } from "./plainValues";

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

interface PlanArgs {
    stack: string;
    json: boolean;
    preview: boolean;
    policyConfig?: string;
}

const USAGE = `usage: npm run plan -- --stack ${STACKS.join("|")} [--json] [--preview] [--policy-config <file.json>]`;

function parseArgs(argv: string[]): PlanArgs {
    const value = (flag: string): string | undefined => {
        const at = argv.indexOf(flag);
        if (at < 0) {
            return undefined;
        }
        const v = argv[at + 1];
        if (v === undefined || v.startsWith("--")) {
            throw new Error(`${flag} needs a value\n${USAGE}`);
        }
        return v;
    };
    const stack = value("--stack");
    if (!stack || !(STACKS as readonly string[]).includes(stack)) {
        throw new Error(`${USAGE}${stack ? ` (unknown stack ${JSON.stringify(stack)})` : ""}`);
    }
    const known = new Set(["--stack", stack, "--json", "--preview", "--policy-config", value("--policy-config")]);
    const unknown = argv.filter((a) => !known.has(a));
    if (unknown.length > 0) {
        throw new Error(`unknown argument ${JSON.stringify(unknown[0])}\n${USAGE}`);
    }
    return { stack, json: argv.includes("--json"), preview: argv.includes("--preview"), policyConfig: value("--policy-config") };
}

const shortUrn = (urn: string) => {
    const [type, name] = urn.split("::").slice(-2);
    return urn ? `${type.split("$").pop()} ${name}` : "(stack)";
};

function printPolicyReport(report: PolicyReport): void {
    const byPillar = Object.keys(PILLARS).map((p) => `${PILLARS[p as keyof typeof PILLARS].toLowerCase()} ${report.policies.filter((x) => x.pillar === p).length}`);
    const disabled = report.policies.filter((p) => p.enforcementLevel === "disabled").length;
    console.log(`\nPolicy pack ${report.pack.name}@${report.pack.version}: ${report.policies.length} policies (${byPillar.join(", ")})${disabled ? `, ${disabled} disabled` : ""}${report.preview ? ", preview" : ""}`);
    const mandatory = report.violations.filter((v) => v.level === "mandatory");
    const advisory = report.violations.filter((v) => v.level !== "mandatory");
    console.log(`Violations: ${mandatory.length} mandatory, ${advisory.length} advisory`);
    for (const v of [...mandatory, ...advisory]) {
        console.log(`  ${v.level.padEnd(9)} ${v.policy}  ${shortUrn(v.urn)}\n    ${v.message.split("\n").join("\n    ")}`);
    }
    console.log(`Exemptions: ${report.exemptions.length}`);
    for (const e of report.exemptions) {
        console.log(`  ${e.policy}  ${shortUrn(e.urn)}: ${e.reason}`);
    }
    if (report.remediations.length > 0) {
        console.log(`Remediations: ${report.remediations.length}`);
        for (const r of report.remediations) {
            console.log(`  ${r.policy}  ${shortUrn(r.urn)}`);
        }
    }
    console.log(mandatory.length === 0 ? "Policy check passed." : `Policy check FAILED: ${mandatory.length} mandatory violation(s).`);
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    const policyConfig = args.policyConfig ? readPolicyConfigFile(path.resolve(args.policyConfig)) : {};
    // The pack starts (a few seconds) while the program is evaluated.
    const starting = PolicyHost.start();
    starting.catch(() => undefined);
    let inventory: Inventory;
    try {
        inventory = await evaluateStack(args.stack, { world: { preview: args.preview } });
    } catch (e) {
        await starting.then((h) => h.stop(), () => undefined);
        throw e;
    }
    const host = await starting;
    let report: PolicyReport;
    try {
        report = await host.run(inventory, { config: policyConfig });
    } finally {
        await host.stop();
    }
    const resources = await plannedResources(inventory);
    if (args.json) {
        process.stdout.write(JSON.stringify({
            stack: args.stack,
            preview: args.preview,
            resources,
            policies: report.policies.map((p) => ({ name: p.name, pillar: p.pillar, enforcementLevel: p.enforcementLevel, anchors: p.anchors })),
            violations: report.violations,
            exemptions: report.exemptions,
            remediations: report.remediations,
        }, null, 2) + "\n");
        return report.mandatoryCount > 0 ? 1 : 0;
    }
    const custom = inventory.resources.filter((r) => r.custom);
    console.log(`Stack ${args.stack}: ${custom.length} resources (${inventory.resources.length - custom.length} components)`);
    const children = new Map<string | undefined, PlannedResource[]>();
    for (const r of resources) {
        children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    }
    const print = (r: PlannedResource, depth: number): void => {
        console.log(`${"  ".repeat(depth)}${r.type}  ${r.name}${r.region ? `  [${r.region}]` : ""}`);
        for (const child of children.get(r.urn) ?? []) {
            print(child, depth + 1);
        }
    };
    (children.get(undefined) ?? []).forEach((root) => print(root, 0));
    printPolicyReport(report);
    return report.mandatoryCount > 0 ? 1 : 0;
}

if (require.main === module) {
    main().then((code) => process.exit(code), (e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    });
}
