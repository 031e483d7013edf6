// The resource graph of one evaluated stack: every resource a node, every component a group (from the
// parent chain), edges from the recorded dependencies (labelled by what they mean, deduplicated),
// and the peer region's bucket that replication writes to, which is not a resource of this stack.
import { TYPES } from "../engine/resourceTypes";
import { relation, shortType } from "./relations";

/** What the diagram reads of a recorded resource (tools/engine/evaluate.ts RecordedResource). */
export interface GraphResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    region?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    inputs: Record<string, any>;
}

export interface GraphInput {
    stack: string;
    resources: GraphResource[];
    config: Record<string, string>;
}

export interface GraphNode {
    key: string;
    type: string;
    name: string;
    label: string;
}

export interface GraphGroup {
    key: string;
    type: string;
    name: string;
    label: string;
    groups: GraphGroup[];
    nodes: GraphNode[];
}

export type EdgeStyle = "uses" | "waits" | "replicates";

export interface GraphEdge {
    from: string;
    to: string;
    label?: string;
    /** uses: an input refers to the target; waits: created after it (dependsOn); replicates: cross-region. */
    style: EdgeStyle;
}

export interface StackGraph {
    stack: string;
    region: string;
    role: string;
    root: GraphGroup;
    /** Resources of other regions this stack points at (the peer's bucket), grouped by region. */
    external: GraphGroup[];
    edges: GraphEdge[];
}

function nodeLabel(r: GraphResource): string {
    if (r.type === TYPES.provider) return `Provider ${r.name}\n${r.inputs.region ?? ""}`.trim();
    return `${shortType(r.type)}\n${r.name}`;
}

export function stackGraph(input: GraphInput): StackGraph {
    const byUrn = new Map(input.resources.map((r) => [r.urn, r]));
    const region = input.config["aws:region"] ?? "";
    const role = input.config["tandem:role"] ?? "";
    const groups = new Map<string, GraphGroup>();
    for (const r of input.resources.filter((x) => !x.custom)) {
        const isStack = r.type === TYPES.stack;
        groups.set(r.urn, {
            key: r.urn, type: r.type, name: r.name,
            label: isStack ? `Stack ${input.stack} · ${region} · ${role}` : `${shortType(r.type)}: ${r.name}`,
            groups: [], nodes: [],
        });
    }
    const roots: GraphGroup[] = [];
    for (const r of input.resources.filter((x) => !x.custom)) {
        const parent = r.parent && groups.get(r.parent);
        if (parent) parent.groups.push(groups.get(r.urn)!);
        else roots.push(groups.get(r.urn)!);
    }
    if (roots.length !== 1) {
        throw new Error(`stack ${input.stack}: expected one root component (the stack), found ${roots.length}`);
    }
    const root = roots[0];
    for (const r of input.resources.filter((x) => x.custom)) {
        const group = (r.parent && groups.get(r.parent)) || root;
        group.nodes.push({ key: r.urn, type: r.type, name: r.name, label: nodeLabel(r) });
    }

    // An edge between a group and something inside it cannot be drawn (and says nothing).
    const inside = (groupKey: string, key: string): boolean => {
        for (let at = byUrn.get(key)?.parent; at !== undefined; at = byUrn.get(at)?.parent) {
            if (at === groupKey) return true;
        }
        return false;
    };
    // Registration order varies from run to run (resources wait on different outputs): sort, so the
    // diagram only changes when the program does.
    const order = (a: { type: string; name: string }, b: { type: string; name: string }) =>
        shortType(a.type).localeCompare(shortType(b.type)) || a.name.localeCompare(b.name);
    for (const g of groups.values()) {
        g.nodes.sort(order);
        g.groups.sort(order);
    }

    const edges = new Map<string, GraphEdge>();
    const add = (edge: GraphEdge) => {
        if (inside(edge.from, edge.to) || inside(edge.to, edge.from)) return;
        const pair = `${edge.from}\u0000${edge.to}`;
        const reversed = `${edge.to}\u0000${edge.from}`;
        const existing = edges.get(pair) ?? edges.get(reversed);
        if (!existing) {
            edges.set(pair, edge);
        } else if (existing.style === "waits" && edge.style !== "waits") {
            // A meaningful relation replaces a mere ordering between the same two resources.
            edges.delete(`${existing.from}\u0000${existing.to}`);
            edges.set(pair, edge);
        } else if (edge.label && existing.label !== edge.label && existing.from === edge.from) {
            existing.label = existing.label ? [...new Set([...existing.label.split(", "), edge.label])].join(", ") : edge.label;
        }
    };

    for (const r of input.resources) {
        const viaProperty = new Set<string>();
        if (r.custom) {
            for (const [property, deps] of Object.entries(r.propertyDependencies)) {
                for (const dep of deps) {
                    const target = byUrn.get(dep);
                    if (!target || dep === r.urn) continue;
                    viaProperty.add(dep);
                    const rel = relation(r.type, property, target.type);
                    if (rel.omit) continue;
                    add(rel.reverse
                        ? { from: dep, to: r.urn, label: rel.label, style: "uses" }
                        : { from: r.urn, to: dep, label: rel.label, style: "uses" });
                }
            }
        }
        // The rest of the dependencies only order creation (dependsOn, or a component's dependsOn).
        const ordering = r.dependencies.filter((d) => !viaProperty.has(d) && d !== r.urn && byUrn.has(d));
        for (const target of collapseToComponents(ordering, groups)) {
            add({ from: r.urn, to: target, style: "waits" });
        }
    }

    const external = new Map<string, GraphGroup>();
    for (const r of input.resources.filter((x) => x.type === TYPES.replication)) {
        for (const rule of (r.inputs.rules ?? []) as any[]) {
            const destination = rule.destination ?? {};
            const bucketArn = String(destination.bucket ?? "");
            const bucketName = bucketArn.replace(/^arn:aws[a-z-]*:s3:::/, "");
            const peerRegion = String(destination.encryptionConfiguration?.replicaKmsKeyId ?? "").split(":")[3] || input.config["tandem:peerRegion"] || "peer region";
            let group = external.get(peerRegion);
            if (!group) {
                group = { key: `peer:${peerRegion}`, type: "region", name: peerRegion, label: `Peer region ${peerRegion} (the other stack)`, groups: [], nodes: [] };
                external.set(peerRegion, group);
            }
            const key = `peer:${bucketArn}`;
            if (!group.nodes.some((n) => n.key === key)) {
                group.nodes.push({ key, type: TYPES.bucket, name: bucketName, label: `Bucket\n${bucketName}` });
            }
            add({ from: r.urn, to: key, label: "replicates to", style: "replicates" });
        }
    }

    return { stack: input.stack, region, role, root, external: [...external.values()], edges: [...edges.values()] };
}

/** Replaces dependencies that cover every resource of a component by one dependency on the component. */
function collapseToComponents(deps: string[], groups: Map<string, GraphGroup>): string[] {
    const wanted = new Set(deps);
    const covered = new Set<string>();
    const result: string[] = [];
    const resourcesOf = (g: GraphGroup): string[] => [...g.nodes.map((n) => n.key), ...g.groups.flatMap(resourcesOf)];
    // Largest components first, so a whole component wins over its subcomponents.
    const candidates = [...groups.values()]
        .filter((g) => g.type !== TYPES.stack)
        .map((g) => ({ g, members: resourcesOf(g) }))
        .filter(({ members }) => members.length > 1 && members.every((m) => wanted.has(m)))
        .sort((a, b) => b.members.length - a.members.length);
    for (const { g, members } of candidates) {
        if (members.some((m) => covered.has(m))) continue;
        members.forEach((m) => covered.add(m));
        result.push(g.key);
    }
    return [...result, ...deps.filter((d) => !covered.has(d))];
}

/** Every resource node and group of the graph (the stack's own, then the external ones). */
export function allNodes(graph: StackGraph): GraphNode[] {
    const walk = (g: GraphGroup): GraphNode[] => [...g.nodes, ...g.groups.flatMap(walk)];
    return [...walk(graph.root), ...graph.external.flatMap(walk)];
}

export function allGroups(graph: StackGraph): GraphGroup[] {
    const walk = (g: GraphGroup): GraphGroup[] => [g, ...g.groups.flatMap(walk)];
    return [...walk(graph.root), ...graph.external.flatMap(walk)];
}
