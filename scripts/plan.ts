// npm run plan -- --stack prod|dr [--json]
// The offline preview: evaluates the program for a stack on Pulumi's mock runtime and lists every
// resource it would deploy, with its region, provider, parent, dependencies and inputs.
import { evaluateStack, Inventory, STACKS } from "./lib/evaluate";
import { plainValue } from "./lib/plainValues";

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

function parseArgs(argv: string[]): { stack: string; json: boolean } {
    const stackAt = argv.indexOf("--stack");
    const stack = stackAt >= 0 ? argv[stackAt + 1] : undefined;
    if (!stack || !(STACKS as readonly string[]).includes(stack)) {
        throw new Error(`usage: npm run plan -- --stack ${STACKS.join("|")} [--json]${stack ? ` (unknown stack ${JSON.stringify(stack)})` : ""}`);
    }
    return { stack, json: argv.includes("--json") };
}

async function main(): Promise<number> {
    const { stack, json } = parseArgs(process.argv.slice(2));
    const inventory = await evaluateStack(stack);
    const resources = await plannedResources(inventory);
    if (json) {
        process.stdout.write(JSON.stringify({ stack, resources }, null, 2) + "\n");
        return 0;
    }
    const custom = inventory.resources.filter((r) => r.custom);
    console.log(`Stack ${stack}: ${custom.length} resources (${inventory.resources.length - custom.length} components)`);
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
    return 0;
}

if (require.main === module) {
    main().then((code) => process.exit(code), (e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    });
}
