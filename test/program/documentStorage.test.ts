// tandem:documentStorage on the mock runtime: what each choice registers (the data bucket's lifecycle,
// the storage class in the functions' environment), and the settings that would move nothing.
import * as assert from "assert";
import { ENV } from "../../functions/contract";
import { ConfigError, validateConfig } from "../../infra/config";
import { evaluateStack, Inventory, stackConfig } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";
import { ofType, one, TYPES } from "../support/inventory";

const dataRules = (inv: Inventory) => {
    const bucket = one(inv, TYPES.bucket, "documents-data").inputs.bucket;
    return ofType(inv, TYPES.lifecycle).find((l) => l.inputs.bucket === bucket)!.inputs.rules as any[];
};
const storageClasses = (inv: Inventory) => ofType(inv, TYPES.function).map((f) => f.inputs.environment.variables[ENV.storageClass]);

describe("document storage choices in the program", () => {
    it("standard (the default): documents written in S3 Standard, no transition rule", async () => {
        const inv = await evaluatedStack("prod");
        assert.deepStrictEqual(storageClasses(inv), ["STANDARD", "STANDARD", "STANDARD"]);
        assert.ok(dataRules(inv).every((r) => r.transitions === undefined));
    });

    it("by lifecycle: documents of 128 KiB and more move after the configured days; nothing smaller, nothing outside objects/", async () => {
        const inv = await evaluateStack("dr", { config: { "tandem:documentStorage": "intelligent-tiering-by-lifecycle", "tandem:intelligentTieringDays": "30" } });
        const rule = dataRules(inv).find((r) => r.transitions !== undefined);
        assert.ok(rule, "a transition rule");
        assert.deepStrictEqual(rule.transitions, [{ days: 30, storageClass: "INTELLIGENT_TIERING" }]);
        // ObjectSizeGreaterThan is "greater than" (S3 API reference, LifecycleRuleFilter): 131071 admits 128 KiB and up.
        assert.deepStrictEqual(rule.filter, { and: { prefix: "objects/", objectSizeGreaterThan: 131071 } });
        assert.deepStrictEqual(storageClasses(inv), ["STANDARD", "STANDARD", "STANDARD"], "written in Standard, moved later");
    });

    it("on write: the functions are told INTELLIGENT_TIERING and no rule moves anything", async () => {
        const inv = await evaluateStack("prod", { config: { "tandem:documentStorage": "intelligent-tiering-on-write" } });
        assert.deepStrictEqual(storageClasses(inv), ["INTELLIGENT_TIERING", "INTELLIGENT_TIERING", "INTELLIGENT_TIERING"]);
        assert.ok(dataRules(inv).every((r) => r.transitions === undefined));
    });

    describe("settings that would move nothing, or are not a choice", () => {
        const problems = (raw: Record<string, string>) => {
            try {
                validateConfig({ ...stackConfig("prod"), ...raw });
            } catch (e) {
                assert.ok(e instanceof ConfigError);
                return e.problems;
            }
            return assert.fail("accepted");
        };

        it("refuses a choice that does not exist, naming the three", () => {
            assert.deepStrictEqual(problems({ "tandem:documentStorage": "glacier" }), [
                'tandem:documentStorage is "glacier"; allowed: one of standard, intelligent-tiering-by-lifecycle, intelligent-tiering-on-write',
            ]);
        });

        it("refuses tiering days under a choice that never moves documents", () => {
            const [problem] = problems({ "tandem:intelligentTieringDays": "30" });
            assert.match(problem, /tandem:intelligentTieringDays is 30 but tandem:documentStorage is standard, which moves nothing; allowed: set tandem:documentStorage to intelligent-tiering-by-lifecycle/);
            assert.strictEqual(problems({ "tandem:documentStorage": "intelligent-tiering-on-write", "tandem:intelligentTieringDays": "7" }).length, 1);
        });

        it("accepts the default day count whatever the choice (the CLI passes Pulumi.yaml's defaults to every stack)", () => {
            assert.strictEqual(validateConfig({ ...stackConfig("prod"), "tandem:intelligentTieringDays": "0" }).documentStorage, "standard");
        });
    });
});
