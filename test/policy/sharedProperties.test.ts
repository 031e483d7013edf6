// The served pack deserializes each request's properties once and every rule reads that one copy
// (policy/lib/sharedProperties.ts). That is only sound while no rule writes to what it reads: a rule
// that did would change what the rules after it see. Every rule runs here on both stacks, and each
// properties object handed out is compared with a fresh deserialization (withPropertiesUnchanged);
// every fixture case of test/policy/rules.test.ts is checked the same way.
import { strict as assert } from "assert";
import { deserializeModule, sharingDeserializer, unshared } from "../../policy/lib/sharedProperties";
import { policies } from "../../policy/rules";
import { STACKS } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";
import { runPolicies, withPropertiesUnchanged } from "./harness/engine";
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
