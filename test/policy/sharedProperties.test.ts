// The served pack deserializes each request's properties once and every rule reads that one copy
// (policy/lib/sharedProperties.ts). That is only sound while no rule writes to what it reads: a rule
// that did would change what the rules after it see. Every rule runs here on both stacks, and each
// properties object handed out is compared with a fresh deserialization (withPropertiesUnchanged);
// every fixture case of test/policy/rules.test.ts is checked the same way. The stack rules of one
// request also share one relation graph (policy/lib/graph.ts stackGraphOf), built over those properties.
import { strict as assert } from "assert";
import type { PolicyResource } from "@pulumi/policy";
import { StackGraph, stackGraphOf } from "../../policy/lib/graph";
import { RuleDoc, stackRule } from "../../policy/lib/rule";
import { deserializeModule, sharingDeserializer, unshared } from "../../policy/lib/sharedProperties";
import { policies } from "../../policy/rules";
import { STACKS } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";
import { runPolicies, unknownCheckingProxy, withPropertiesUnchanged } from "./harness/engine";
import { engineResources, STACK_TAGS } from "./harness/inventory";

describe("properties shared between the rules of a request", () => {
    it("are installed in the server the pack serves from", () => {
        const installed = deserializeModule().deserializeProperties;
        assert.notEqual(unshared(installed), installed, "the harness, like policy/index.ts, installs the sharing deserializer");
    });

    it("are deserialized once per Struct and kept only without secrets proxies (Remediate's own)", () => {
        let calls = 0;
        const original = (struct: object, proxySecrets: boolean) => (calls++, { struct, proxySecrets });
        const sharing = sharingDeserializer(original);
        const struct = {};
        assert.equal(sharing(struct, false), sharing(struct, false));
        assert.notEqual(sharing(struct, true), sharing(struct, true));
        assert.notEqual(sharing({}, false), sharing(struct, false));
        assert.equal(calls, 4);
    });

    it("are never changed by a rule, on both stacks", async () => {
        for (const stack of STACKS) {
            const resources = engineResources(await evaluatedStack(stack));
            await withPropertiesUnchanged(() => runPolicies(policies, resources, { stackTags: STACK_TAGS }));
        }
    });

    it("a rule that writes to its props is caught", async () => {
        const [first] = engineResources(await evaluatedStack("prod"));
        const writer = { name: "writes-to-props", description: "a rule that normalizes its input in place", enforcementLevel: "mandatory", validateResource: (args: { props: Record<string, unknown> }) => void (args.props.written = true) };
        await assert.rejects(withPropertiesUnchanged(() => runPolicies([writer as unknown as (typeof policies)[number]], [first])), /a rule changed the properties it was given/);
    });
});

/** Resources as @pulumi/policy's server builds them for one stack rule: each behind a new proxy over `props`. */
const served = (props: Array<Record<string, unknown>>, wrap: (p: Record<string, unknown>) => Record<string, unknown> = unknownCheckingProxy) =>
    props.map((p, i) => ({ type: "aws:s3/bucket:Bucket", name: `b${i}`, urn: `urn:b${i}`, props: wrap(p), dependencies: [], propertyDependencies: {} }) as unknown as PolicyResource);

describe("the relation graph shared between the stack rules of a request", () => {
    it("is built once for the rules of a request, and again for other properties, another order or another list", () => {
        const props = [{ bucket: "a" }, { bucket: "b" }, { bucket: "c" }];
        const first = stackGraphOf(served(props));
        assert.equal(stackGraphOf(served(props)), first, "the next rule of the request: same properties behind new proxies");
        assert.notEqual(stackGraphOf(served(props.map((p) => ({ ...p })))), first, "another request: its own deserialized properties");
        const again = stackGraphOf(served(props));
        assert.notEqual(stackGraphOf(served([...props].reverse())), again, "another order");
        assert.notEqual(stackGraphOf(served(props.slice(1))), again, "fewer resources");
    });

    it("is never shared for properties that are not the server's, so a change between two calls is seen", () => {
        const props = [{ bucket: "before" }];
        const plain = (p: Record<string, unknown>) => p;
        const before = stackGraphOf(served(props, plain));
        props[0].bucket = "after";
        const after = stackGraphOf(served(props, plain));
        assert.notEqual(after, before);
        assert.deepEqual(after.ofType("aws:s3/bucket:Bucket").map((r) => r.props.bucket), ["after"]);
    });

    it("is the one every stack rule of a run sees, as served (the harness builds the resources anew per rule, as server.js does)", async () => {
        const seen: StackGraph[] = [];
        const doc = (name: string): RuleDoc => ({ name, pillar: "reliability", description: name, rationale: name, anchors: [], satisfy: name, enforcementLevel: "advisory", severity: "low" });
        const probes = ["probe-first", "probe-second"].map((name) => stackRule(doc(name), { check: ({ graph }) => void seen.push(graph) }));
        const resources = engineResources(await evaluatedStack("prod")).map((r) => ({ ...r, state: { ...r.state } }));
        await runPolicies(probes, resources, { stackTags: STACK_TAGS });
        assert.equal(seen.length, 2);
        assert.equal(seen[0], seen[1]);
        assert.equal(seen[0].resources.length, resources.length);
    });

    it("gives the same verdicts whichever rule builds each index and memo first (rules in order and in reverse), on both stacks, deployed and in a first preview", async () => {
        // The mutation suite then checks the verdicts of every run with violations to find. In a first
        // preview, values are unknown: a memo whose build meets one is not kept (StackGraph.cached).
        const stackRules = policies.filter((p) => "validateStack" in p);
        const verdicts = async (stack: (typeof STACKS)[number], preview: boolean, order: typeof stackRules) => {
            // Fresh properties for each run, so each run builds its own graph.
            const resources = engineResources(await evaluatedStack(stack, { world: { preview } })).map((r) => ({ ...r, state: { ...r.state } }));
            const report = await runPolicies(order, resources, { stackTags: STACK_TAGS });
            return report.violations.map((v) => `${v.policy} ${v.level} ${v.urn} ${v.message}`).sort();
        };
        for (const stack of STACKS) {
            for (const preview of [false, true]) {
                assert.deepEqual(await verdicts(stack, preview, [...stackRules].reverse()), await verdicts(stack, preview, stackRules), `${stack}${preview ? ", preview" : ""}`);
            }
        }
    });
});
