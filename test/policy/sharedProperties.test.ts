// The served pack deserializes each request's properties once and every rule reads that one copy
// (policy/lib/sharedProperties.ts). That is only sound while no rule writes to what it reads: a rule
// that did would change what the rules after it see. Every rule runs here on both stacks and on every
// fixture case, and each properties object handed out is compared with a fresh deserialization.
import { strict as assert } from "assert";
import { deserializeModule, sharingDeserializer, unshared } from "../../policy/lib/sharedProperties";
import { policies } from "../../policy/rules";
import { STACKS } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";
import { build } from "./harness/dsl";
import { runPolicies } from "./harness/engine";
import { loadRuleFixtures } from "./harness/fixtures";
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

    it("are never changed by a rule, on both stacks and on every fixture case", async () => {
        const module = deserializeModule();
        const installed = module.deserializeProperties;
        const fresh = unshared(installed);
        const read: [object, Record<string, unknown>][] = [];
        module.deserializeProperties = sharingDeserializer(fresh, (struct, props) => read.push([struct, props]));
        try {
            for (const stack of STACKS) {
                await runPolicies(policies, engineResources(await evaluatedStack(stack)), { stackTags: STACK_TAGS });
            }
            for (const fixtures of loadRuleFixtures()) {
                for (const c of fixtures.cases) {
                    await runPolicies(policies, build(c.resources, { preview: c.preview }), { config: c.config, only: [fixtures.rule] });
                }
            }
        } finally {
            module.deserializeProperties = installed;
        }
        assert.ok(read.length > 1000, `${read.length} properties read`);
        for (const [struct, props] of read) {
            assert.deepEqual(props, fresh(struct, false));
        }
    });
});
