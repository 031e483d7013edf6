import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ENV } from "../../functions/contract";
import { CONFIG_KEYS, ConfigError, validateConfig } from "../../infra/config";
import { evaluateStack, EvaluationError, ROOT, stackConfig } from "../../tools/engine/evaluate";
import { loadProject } from "../../tools/engine/preflight/project";
import { loadStack } from "../../tools/engine/preflight/stack";
import { one, TYPES } from "../support/inventory";

const prod = () => stackConfig("prod");

/** The problems validateConfig reports for `raw`, or fails if it accepts it. */
function problems(raw: Record<string, string>): string[] {
    try {
        validateConfig(raw);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
        return e.problems;
    }
    return assert.fail("the configuration was accepted");
}

describe("configuration", () => {
    it("accepts both stack files and fills in the defaults", () => {
        const p = validateConfig(prod());
        assert.deepStrictEqual([p.region, p.role, p.peerRegion, p.app], ["us-east-1", "primary", "us-west-2", "tandem"]);
        assert.strictEqual(p.logRetentionDays, 30);
        assert.strictEqual(p.replicationEnabled, true);
        assert.deepStrictEqual(p.functions.api, { memoryMb: 512, timeoutSeconds: 10, reservedConcurrency: 50 });
        const d = validateConfig(stackConfig("dr"));
        assert.deepStrictEqual([d.region, d.role, d.peerRegion], ["us-west-2", "standby", "us-east-1"]);
    });

    it("parses typed values as a stack file holds them", () => {
        const c = validateConfig({ ...prod(), "tandem:alarmEmails": '["oncall@example.com","sre@example.com"]', "tandem:replicationEnabled": "false", "tandem:apiMemoryMb": "1024" });
        assert.deepStrictEqual(c.alarmEmails, ["oncall@example.com", "sre@example.com"]);
        assert.strictEqual(c.replicationEnabled, false);
        assert.strictEqual(c.functions.api.memoryMb, 1024);
    });

    it("hands the ingest read settings to the function's environment", async () => {
        const inv = await evaluateStack("prod", { config: { "tandem:ingestParallel": "always", "tandem:ingestPartBytes": "8388608", "tandem:ingestConcurrency": "8" } });
        const env = one(inv, TYPES.function, "ingest").inputs.environment.variables;
        assert.deepStrictEqual([env[ENV.ingestParallel], env[ENV.ingestPartBytes], env[ENV.ingestConcurrency]], ["always", "8388608", "8"]);
    });

    const cases: [string, Record<string, string | undefined>, RegExp][] = [
        ["a role that is neither primary nor standby", { "tandem:role": "active" }, /tandem:role is "active"; allowed: one of primary, standby/],
        ["a missing role", { "tandem:role": undefined }, /tandem:role is not set; allowed: one of primary, standby/],
        ["a peer region that is not a region", { "tandem:peerRegion": "us-west-9" }, /tandem:peerRegion is "us-west-9"; allowed: one of us-east-1, /],
        ["a peer region equal to the stack's region", { "tandem:peerRegion": "us-east-1" }, /tandem:peerRegion is "us-east-1", the same as aws:region; allowed: any other region/],
        ["a missing aws:region", { "aws:region": undefined }, /aws:region is not set/],
        ["a retention CloudWatch does not offer", { "tandem:logRetentionDays": "10" }, /tandem:logRetentionDays is "10"; allowed: one of 1, 3, 5, 7, 14, 30/],
        ["a retention that is not a number", { "tandem:logRetentionDays": "a month" }, /tandem:logRetentionDays is "a month", which is not an integer/],
        ["a deletion window outside 7-30 days", { "tandem:kmsDeletionWindowDays": "3" }, /tandem:kmsDeletionWindowDays is "3"; allowed: an integer from 7 to 30/],
        ["a boolean written as yes", { "tandem:replicationEnabled": "yes" }, /tandem:replicationEnabled is "yes"; allowed: true or false/],
        ["emails that are not emails", { "tandem:alarmEmails": '["oncall"]' }, /tandem:alarmEmails is "\[\\"oncall\\"\]"; allowed: a list of email addresses/],
        ["a list that is not a list", { "tandem:alarmEmails": "oncall@example.com" }, /tandem:alarmEmails is "oncall@example.com", which is not a list of strings/],
        ["too much memory", { "tandem:ingestMemoryMb": "20000" }, /tandem:ingestMemoryMb is "20000"; allowed: an integer from 128 to 10240/],
        ["an ingest parallel mode that does not exist", { "tandem:ingestParallel": "never" }, /tandem:ingestParallel is "never"; allowed: one of auto, always/],
        ["an api timeout a client would not wait for", { "tandem:apiTimeoutSeconds": "120" }, /tandem:apiTimeoutSeconds is 120; allowed: at most 60/],
        ["an app name S3 would refuse", { "tandem:appName": "Tandem_App" }, /tandem:appName is "Tandem_App"; allowed: 2-30 lowercase letters/],
        ["a tag value AWS would refuse", { "tandem:owner": "team, inc" }, /tandem:owner is "team, inc"; allowed: 1-256 letters/],
        ["a misspelt key", { "tandem:peerregion": "us-west-2" }, /tandem:peerregion is not a Tandem setting; did you mean tandem:peerRegion\?/],
        ["an unknown key", { "tandem:colour": "blue" }, /tandem:colour is not a Tandem setting \(see Pulumi.yaml/],
        ["half an S3 foundation backend", { "tandem:foundationStateBucket": "tf-state" }, /tandem:foundationStateKey and tandem:foundationStateRegion are not set/],
        ["both foundation sources", { "tandem:foundationStatePath": "f.tfstate", "tandem:foundationStateKey": "k" }, /foundationStatePath and tandem:foundationStateKey are both set/],
    ];
    for (const [what, change, message] of cases) {
        it(`refuses ${what}, naming the key, the value and what is allowed`, () => {
            const raw = prod();
            for (const [k, v] of Object.entries(change)) {
                if (v === undefined) delete raw[k]; else raw[k] = v;
            }
            const found = problems(raw);
            assert.ok(found.some((p) => message.test(p)), `no problem matched ${message}:\n${found.join("\n")}`);
        });
    }

    it("reports every problem at once", () => {
        const found = problems({ ...prod(), "tandem:role": "leader", "tandem:logRetentionDays": "10", "tandem:colour": "blue" });
        assert.strictEqual(found.length, 3, found.join("\n"));
    });

    it("stops the program before it registers any resource", async () => {
        await assert.rejects(evaluateStack("prod", { config: { "tandem:role": "leader" } }), (e: unknown) => {
            assert.ok(e instanceof EvaluationError);
            assert.match(e.message, /tandem:role is "leader"; allowed: one of primary, standby/);
            assert.deepStrictEqual(e.registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
            return true;
        });
    });

    describe("Pulumi.yaml", () => {
        const project = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
            config: Record<string, { type: string; description: string; default?: unknown; items?: { type: string } }>;
        };

        it("declares exactly the keys infra/config.ts validates, with the same types, defaults and descriptions", () => {
            assert.deepStrictEqual(Object.keys(project.config).sort(), Object.keys(CONFIG_KEYS).sort());
            for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
                const declared = project.config[key];
                assert.strictEqual(declared.type, spec.type, key);
                // Optional keys default to "" (the CLI requires every declared key without a default).
                assert.deepStrictEqual(declared.default, spec.optional ? "" : spec.default, key);
                assert.strictEqual(declared.description, spec.description, key);
                if (spec.type === "array") assert.deepStrictEqual(declared.items, { type: "string" }, key);
            }
        });

        it("declares defaults that give the same settings as the code's defaults", () => {
            for (const stack of ["prod", "dr"]) {
                // The stack file alone (the code's defaults apply) against what the CLI hands the program (Pulumi.yaml's).
                const file = loadStack(ROOT, loadProject(ROOT).project!, stack).stack!;
                const stackOnly = Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, v.text]));
                assert.deepStrictEqual(validateConfig(stackOnly), validateConfig(stackConfig(stack)), stack);
            }
        });
    });

    it("disables the default AWS provider on both stacks", () => {
        for (const stack of ["prod", "dr"]) {
            assert.deepStrictEqual(JSON.parse(stackConfig(stack)["pulumi:disable-default-providers"]), ["aws"], stack);
        }
    });
});
