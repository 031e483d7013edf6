// The one table of resource types the tools and tests use is read from @pulumi/aws itself, and is the
// table the program's registrations are found by.
import { strict as assert } from "assert";
import { TYPES } from "../../tools/engine/resourceTypes";
import { evaluatedStack } from "../support/evaluatedStacks";

describe("resource types (tools/engine/resourceTypes.ts)", () => {
    it("are the tokens @pulumi/aws registers, each one of a kind", () => {
        for (const [name, token] of Object.entries(TYPES)) {
            assert.match(token, /^(aws:[a-z0-9]+\/[a-zA-Z0-9]+:[A-Z][A-Za-z0-9]+|pulumi:(pulumi:Stack|providers:aws))$/, name);
        }
        assert.equal(new Set(Object.values(TYPES)).size, Object.values(TYPES).length);
    });

    it("name every type the program registers on either stack, so no tool misses one", async () => {
        const known = new Set<string>(Object.values(TYPES));
        for (const stack of ["prod", "dr"]) {
            const unknown = (await evaluatedStack(stack)).resources.filter((r) => r.custom && !known.has(r.type)).map((r) => r.type);
            assert.deepEqual([...new Set(unknown)], [], stack);
        }
    });
});
