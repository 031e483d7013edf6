// npm run diagram: the generated Mermaid shows every resource of each stack inside its component,
// labelled relations, cross-region replication only where the program replicates, and the pages
// that embed it carry it as the program draws it.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { runDiagram } from "../../tools/diagram/diagram";
import { allNodes, stackGraph, StackGraph } from "../../tools/diagram/graph";
import { diagramsMarkdown, stackDiagram } from "../../tools/diagram/markdown";
import { escapeLabel, mermaidFlowchart } from "../../tools/diagram/mermaid";
import { shortType } from "../../tools/diagram/relations";
import { Inventory, ROOT } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";
import { runTool } from "../support/tool";
import { mermaidBlocks, parseFlowchart, ParsedFlowchart } from "./mermaidSyntax";

const ARCHITECTURE_PAGE = path.join(ROOT, "docs", "architecture.md");

describe("diagram: generated from the program", () => {
    const stacks: Record<string, { inventory: Inventory; graph: StackGraph; text: string; parsed: ParsedFlowchart }> = {};

    before(async () => {
        for (const stack of ["prod", "dr"] as const) {
            const inventory = await evaluatedStack(stack);
            const graph = stackGraph(inventory);
            const text = mermaidFlowchart(graph);
            stacks[stack] = { inventory, graph, text, parsed: parseFlowchart(text) };
        }
    });

    for (const stack of ["prod", "dr"]) {
        describe(stack, () => {
            it("is a well-formed flowchart: balanced subgraphs, unique ids, edges between defined ids, safe labels", () => {
                const { parsed } = stacks[stack];
                assert.ok(parsed.nodes.size > 40, `${parsed.nodes.size} nodes`);
                const pairs = parsed.edges.map((e) => `${e.from}>${e.to}`);
                assert.equal(new Set(pairs).size, pairs.length, "edges are deduplicated");
                for (const e of parsed.edges) assert.notEqual(e.from, e.to);
            });

            it("shows every resource once, as its type and logical name, inside its component", () => {
                const { inventory, parsed } = stacks[stack];
                const labels = [...parsed.nodes.values()];
                const labelOf = (r: Inventory["resources"][number]) =>
                    r.type.startsWith("pulumi:providers:") ? `Provider ${r.name}<br/>${r.region}` : `${shortType(r.type)}<br/>${escapeLabel(r.name)}`;
                for (const r of inventory.resources.filter((x) => x.custom)) {
                    assert.equal(labels.filter((l) => l === labelOf(r)).length, 1, `${r.urn} shown once as ${labelOf(r)}`);
                }
                assert.equal(parsed.nodes.size, inventory.resources.filter((x) => x.custom).length + (stack === "prod" ? 1 : 0), "plus the peer bucket on prod");
                // Nesting follows the parent chain: each node sits in the subgraph of its component.
                const subgraphOf = new Map([...parsed.subgraphs].map(([id, label]) => [label, id]));
                for (const r of inventory.resources.filter((x) => x.custom && x.parent)) {
                    const parent = inventory.resources.find((p) => p.urn === r.parent)!;
                    const label = parent.type === "pulumi:pulumi:Stack" ? `Stack ${stack}` : `${shortType(parent.type)}: ${parent.name}`;
                    const groupId = [...subgraphOf].find(([l]) => l.startsWith(label))?.[1];
                    const nodeId = [...parsed.nodes].find(([, l]) => l === labelOf(r))?.[0];
                    assert.ok(groupId && nodeId, `${r.urn}`);
                    assert.equal(parsed.parents.get(nodeId!), groupId, `${r.urn} is drawn inside ${label}`);
                }
            });

            it("draws every component as a subgraph, nested as the components are", () => {
                const { inventory, parsed } = stacks[stack];
                const components = inventory.resources.filter((x) => !x.custom);
                const labels = [...parsed.subgraphs.values()];
                for (const c of components) {
                    const expected = c.type === "pulumi:pulumi:Stack" ? `Stack ${stack} · ${inventory.config["aws:region"]} · ${inventory.config["tandem:role"]}` : `${shortType(c.type)}: ${c.name}`;
                    assert.equal(labels.filter((l) => l === expected).length, 1, `${c.urn} as ${expected}`);
                }
                assert.equal(parsed.subgraphs.size, components.length + (stack === "prod" ? 1 : 0));
            });

            it("labels the relations that matter", () => {
                const { parsed } = stacks[stack];
                const has = (fromLabel: RegExp, label: string, toLabel: RegExp) =>
                    parsed.edges.some((e) => e.label === label && fromLabel.test(parsed.nodes.get(e.from) ?? "") && toLabel.test(parsed.nodes.get(e.to) ?? ""));
                assert.ok(has(/^Key<br\/>/, "encrypts", /^BucketServerSideEncryptionConfiguration<br\/>documents-data$/));
                assert.ok(has(/^Function<br\/>api$/, "logs to", /^LogGroup<br\/>api$/));
                assert.ok(has(/^FunctionUrl<br\/>api$/, "invokes", /^Function<br\/>api$/));
                assert.ok(has(/^BucketNotification<br\/>ingest$/, "invokes", /^Function<br\/>ingest$/));
                assert.ok(has(/^EventTarget<br\/>canary$/, "invokes", /^Function<br\/>canary$/));
                assert.ok(has(/^MetricAlarm<br\/>api-errors$/, "notifies", /^Topic<br\/>/));
                assert.ok(has(/^MetricAlarm<br\/>api-errors$/, "watches", /^Function<br\/>api$/));
                assert.ok(has(/^FunctionEventInvokeConfig<br\/>ingest$/, "failures to", /^Queue<br\/>ingest-failures$/));
                assert.ok(has(/^BucketLogging<br\/>documents-data$/, "logs to", /^Bucket<br\/>documents-access-logs$/));
                // Creation order only (dependsOn) is dotted and unlabelled.
                assert.ok(parsed.edges.some((e) => e.arrow === "-.->" && e.label === undefined && /^BucketPolicy<br\/>documents-data$/.test(parsed.nodes.get(e.from)!)));
            });
        });
    }

    it("draws the cross-region replication edge on the primary only, into the peer region's bucket", () => {
        const prod = stacks.prod.parsed;
        const replication = prod.edges.filter((e) => e.label === "replicates to");
        assert.equal(replication.length, 1);
        assert.equal(replication[0].arrow, "==>");
        assert.equal(prod.nodes.get(replication[0].from), "BucketReplicationConfig<br/>replication");
        assert.equal(prod.nodes.get(replication[0].to), "Bucket<br/>tandem-data-123456789012-us-west-2");
        assert.equal(prod.subgraphs.get(prod.parents.get(replication[0].to)!), "Peer region us-west-2 (the other stack)");
        const dr = stacks.dr.parsed;
        assert.ok(!dr.edges.some((e) => e.label === "replicates to" || e.arrow === "==>"));
        assert.ok(![...dr.subgraphs.values()].some((l) => l.startsWith("Peer region")));
        assert.ok(![...dr.nodes.values()].some((l) => l.startsWith("BucketReplicationConfig")));
    });

    it("is the same on every run", async () => {
        assert.equal(mermaidFlowchart(stackGraph(stacks.prod.inventory)), stacks.prod.text);
    });

    it("is in docs/architecture.md (npm run docs), which also describes each component", () => {
        const page = fs.readFileSync(ARCHITECTURE_PAGE, "utf8");
        for (const block of mermaidBlocks(page)) assert.doesNotThrow(() => parseFlowchart(block));
        assert.ok(page.includes(diagramsMarkdown([stacks.prod.inventory, stacks.dr.inventory])), "docs/architecture.md is out of date with the program: run npm run docs");
        const types = new Set([stacks.prod.inventory, stacks.dr.inventory].flatMap((i) => i.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").map((r) => shortType(r.type))));
        for (const t of types) assert.match(page, new RegExp(`^### \`${t}\`$`, "m"), `docs/architecture.md describes ${t}`);
    });
});

describe("diagram: labels, regions and the command line", () => {
    it("escapes what would break a label", () => {
        assert.equal(escapeLabel('a "b" <c> | d & e\nf'), "a #quot;b#quot; #lt;c#gt; #124; d #amp; e<br/>f");
        const nasty = 'odd "name" <x> | y & end';
        const graph = stackGraph({
            stack: "t",
            config: { "aws:region": "us-east-1", "tandem:role": "primary" },
            resources: [
                { urn: "urn:stack", type: "pulumi:pulumi:Stack", name: "t", custom: false, dependencies: [], propertyDependencies: {}, inputs: {} },
                { urn: "urn:c", type: "tandem:x:Thing", name: "end", custom: false, parent: "urn:stack", dependencies: [], propertyDependencies: {}, inputs: {} },
                { urn: "urn:a", type: "aws:s3/bucket:Bucket", name: nasty, custom: true, parent: "urn:c", dependencies: [], propertyDependencies: {}, inputs: {} },
                { urn: "urn:b", type: "aws:s3/bucket:Bucket", name: nasty.replace("y", "z"), custom: true, parent: "urn:c", dependencies: ["urn:a"], propertyDependencies: { bucket: ["urn:a"] }, inputs: {} },
            ],
        });
        const parsed = parseFlowchart(mermaidFlowchart(graph));
        assert.equal(parsed.nodes.size, 2);
        assert.equal(new Set(parsed.nodes.keys()).size, 2, "names that sanitize alike get distinct ids");
        assert.ok([...parsed.nodes.values()].includes(`Bucket<br/>${escapeLabel(nasty)}`));
        assert.equal(allNodes(graph).length, 2);
        assert.equal(parsed.edges.length, 1);
    });

    it("the syntax check rejects what Mermaid would", () => {
        assert.throws(() => parseFlowchart('flowchart LR\n    subgraph g["a"]\n    n["x"]'), /unclosed subgraph/);
        assert.throws(() => parseFlowchart('flowchart LR\n    n["a"]\n    n["b"]'), /defined twice/);
        assert.throws(() => parseFlowchart('flowchart LR\n    n["a "quoted" b"]'), /not a statement/);
        assert.throws(() => parseFlowchart('flowchart LR\n    n["a"]\n    n --> m'), /undefined id m/);
        assert.throws(() => parseFlowchart('flowchart LR\n    end["a"]'), /not a statement|keyword/);
    });

    it("checks its options", async () => {
        const bad = await runTool((argv, io) => runDiagram(argv, io, evaluatedStack), ["--stack", "qa"]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /--stack is "qa"; allowed: prod, dr/);
        const unknown = await runTool((argv, io) => runDiagram(argv, io, evaluatedStack), ["--svg"]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /Unknown option '--svg'/);
    });

    it("prints the Markdown of the stack asked for", async () => {
        let out = "";
        const code = await runDiagram(["--stack", "dr"], { out: (t) => (out += t), err: () => undefined }, evaluatedStack);
        assert.equal(code, 0);
        assert.equal(out, diagramsMarkdown([await evaluatedStack("dr")]));
        assert.ok(out.includes(stackDiagram(await evaluatedStack("dr"))));
        assert.equal(mermaidBlocks(out).length, 1);
        assert.ok(!out.includes("### Stack `prod`"));
    });
});
