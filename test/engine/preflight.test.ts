// The engine preflight: for every rule the Pulumi CLI applies before it runs the program, a project
// the CLI would refuse (with the CLI's own message where it has a fixed one), and the shipped project,
// its two stacks and a stack with every optional key set, which it accepts.
// Sources: pulumi/pulumi pkg/workspace/config.go (mergeConfig and its tests' messages),
// sdk/go/common/workspace/project.go (Validate, ValidateConfigValue), project.json (the schema),
// sdk/nodejs/cmd/pulumi-language-nodejs/main.go (parseOptions), pkg/engine/project.go (getPwdMain),
// pkg/resource/deploy/default_providers.go and sdk/go/common/diag/errors.go (default providers).
import { strict as assert } from "assert";
import { generateKeyPairSync } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { evaluateStack, ROOT } from "../../tools/engine/evaluate";
import { checkConfiguration, preflight } from "../../tools/engine/preflight";
import { PREFLIGHT_RULES, PreflightRuleId, Problem } from "../../tools/engine/preflight/rules";
import { inTurn } from "../support/inTurn";
import { projectFixture, realFile } from "../support/projectFixture";

const PROJECT = realFile("Pulumi.yaml");
const viewerKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString();
const DR = realFile("Pulumi.dr.yaml");

/** `text` with `from` replaced by `to`; fails when `from` is not there (the fixture would test nothing). */
function edit(text: string, from: string | RegExp, to: string): string {
    const changed = text.replace(from, to);
    assert.notEqual(changed, text, `the fixture edit found nothing to change: ${from}`);
    return changed;
}

const covered = new Set<PreflightRuleId>();

function problemsOf(files: Record<string, string>, stack = "dr"): Problem[] {
    return checkConfiguration(projectFixture(files), stack).problems;
}

/** Asserts the project is refused by `rule` with a message matching `message`. */
function refuses(rule: PreflightRuleId, problems: Problem[], message: RegExp | string): void {
    covered.add(rule);
    const ofRule = problems.filter((p) => p.rule === rule);
    assert.ok(ofRule.length > 0, `expected a ${rule} problem, got ${JSON.stringify(problems)}`);
    const matches = (m: string) => (typeof message === "string" ? m === message : message.test(m));
    assert.ok(ofRule.some((p) => matches(p.message)), `no ${rule} message matches ${message}: ${JSON.stringify(ofRule)}`);
}

describe("engine preflight: what the Pulumi CLI checks before it runs the program", function () {
    this.timeout(60_000);

    describe("the shipped project", () => {
        it("passes for both stacks, and hands the program every project default", () => {
            for (const stack of ["prod", "dr"]) {
                const result = checkConfiguration(ROOT, stack);
                assert.deepEqual(result.problems, [], stack);
                assert.equal(result.config["tandem:logRetentionDays"], "30");
                assert.equal(result.config["tandem:alarmEmails"], "[]");
                assert.equal(result.config["pulumi:disable-default-providers"], '["aws"]');
            }
        });

        it("passes for a stack that sets the edge and the foundation keys, and the program runs with it", async () => {
            const stackFile = [
                realFile("Pulumi.prod.yaml").trimEnd(),
                "  tandem:edge: host",
                "  tandem:edgePublicKey: |",
                ...viewerKey.trim().split("\n").map((line) => `    ${line}`),
                `  tandem:foundationStatePath: ${ROOT}/test/fixtures/foundation/us-east-1.tfstate`,
                "",
            ].join("\n");
            const dir = projectFixture({ "Pulumi.yaml": edit(PROJECT, "main: index.ts", `main: ${ROOT}/index.ts`), "Pulumi.prod.yaml": stackFile });
            assert.deepEqual(checkConfiguration(dir, "prod").problems, []);
            const inventory = await evaluateStack("prod", { root: dir });
            assert.ok(inventory.resources.some((r) => r.type === "aws:cloudfront/distribution:Distribution"));
            assert.equal(inventory.resources.filter((r) => r.type === "aws:sns/topic:Topic").length, 0, "the foundation's topic is used");
        });
    });

    describe("Pulumi.yaml", () => {
        it("project-file: no Pulumi.yaml, or one that is not a mapping", () => {
            refuses("project-file", problemsOf({ "Pulumi.dr.yaml": DR }), /no Pulumi.yaml in .*: this is not a Pulumi project/);
            refuses("project-file", problemsOf({ "Pulumi.yaml": "- name: tandem\n", "Pulumi.dr.yaml": DR }), /must be a mapping/);
            refuses("project-file", problemsOf({ "Pulumi.yaml": "name: [tandem\n", "Pulumi.dr.yaml": DR }), /is not valid YAML/);
        });

        it("project-name: missing, or with characters a project name cannot have", () => {
            refuses("project-name", problemsOf({ "Pulumi.yaml": edit(PROJECT, /^name: tandem\n/m, ""), "Pulumi.dr.yaml": DR }), "project is missing a 'name' attribute");
            refuses("project-name", problemsOf({ "Pulumi.yaml": edit(PROJECT, /^name: tandem$/m, "name: tandem app"), "Pulumi.dr.yaml": DR }),
                "project names may only contain alphanumerics, hyphens, underscores, and periods");
            refuses("project-name", problemsOf({ "Pulumi.yaml": edit(PROJECT, /^name: tandem$/m, `name: ${"t".repeat(101)}`), "Pulumi.dr.yaml": DR }),
                "project names are limited to 100 characters");
        });

        it("project-runtime: another language, or options of the wrong type", () => {
            refuses("project-runtime", problemsOf({ "Pulumi.yaml": edit(PROJECT, "name: nodejs", "name: python"), "Pulumi.dr.yaml": DR }), /runtime nodejs/);
            refuses("project-runtime", problemsOf({ "Pulumi.yaml": edit(PROJECT, "typescript: true", 'typescript: "yes"'), "Pulumi.dr.yaml": DR }), "typescript option must be a boolean");
            refuses("project-runtime", problemsOf({ "Pulumi.yaml": edit(PROJECT, "packagemanager: npm", "packagemanager: cargo"), "Pulumi.dr.yaml": DR }),
                'packagemanager option must be one of auto, npm, yarn, pnpm, bun, got "cargo"');
            refuses("project-runtime", problemsOf({ "Pulumi.yaml": edit(PROJECT, "  options:", "  version: 3\n  options:"), "Pulumi.dr.yaml": DR }), /'version' not allowed/);
        });

        it("project-main: a main that does not exist", () => {
            refuses("project-main", problemsOf({ "Pulumi.yaml": PROJECT, "Pulumi.dr.yaml": DR }), "project 'main' could not be read: index.ts does not exist");
        });

        it("project-config-schema: an unknown attribute, an unknown type, an array without items", () => {
            const main = (text: string) => edit(text, "main: index.ts", `main: ${ROOT}/index.ts`);
            refuses("project-config-schema", problemsOf({ "Pulumi.yaml": main(edit(PROJECT, "    default: 30\n", "    defualt: 30\n")), "Pulumi.dr.yaml": DR }),
                /config.logRetentionDays: 'defualt' not allowed/);
            refuses("project-config-schema", problemsOf({ "Pulumi.yaml": main(edit(PROJECT, /(logRetentionDays:\n {4}type:) integer/, "$1 number")), "Pulumi.dr.yaml": DR }),
                /config.logRetentionDays.type is "number"; allowed: string, integer, boolean, array, object/);
            refuses("project-config-schema", problemsOf({ "Pulumi.yaml": main(edit(PROJECT, /(alarmEmails:[\s\S]*?)\n {4}items:\n {6}type: string/, "$1")), "Pulumi.dr.yaml": DR }),
                "The configuration key 'alarmEmails' declares an array but does not specify the underlying type via the 'items' attribute");
        });

        it("project-config-default: a default and a value, or a default of another type", () => {
            const main = (text: string) => edit(text, "main: index.ts", `main: ${ROOT}/index.ts`);
            refuses("project-config-default", problemsOf({ "Pulumi.yaml": main(edit(PROJECT, "    default: 30\n", "    default: 30\n    value: 60\n")), "Pulumi.dr.yaml": DR }),
                "project config 'logRetentionDays' cannot have both a 'default' and 'value' attribute");
            refuses("project-config-default", problemsOf({ "Pulumi.yaml": main(edit(PROJECT, "    default: 30\n", "    default: a month\n")), "Pulumi.dr.yaml": DR }),
                "The default value specified for configuration key 'logRetentionDays' is not of the expected type 'integer'");
        });

        it("project-config-namespaced: aws:region with a type, with a default, or without a value", () => {
            const withKey = (declaration: string) => edit(edit(PROJECT, "main: index.ts", `main: ${ROOT}/index.ts`), "\nconfig:\n", `\nconfig:\n  aws:region:\n${declaration}`);
            refuses("project-config-namespaced", problemsOf({ "Pulumi.yaml": withKey("    type: string\n    value: us-west-2\n"), "Pulumi.dr.yaml": DR }),
                "Configuration key 'aws:region' is not namespaced by the project and should not define a type");
            refuses("project-config-namespaced", problemsOf({ "Pulumi.yaml": withKey("    default: us-west-2\n"), "Pulumi.dr.yaml": DR }),
                /Configuration key 'aws:region' is not namespaced by the project and should not define a default value/);
            refuses("project-config-namespaced", problemsOf({ "Pulumi.yaml": withKey("    description: the region\n"), "Pulumi.dr.yaml": DR }),
                "Configuration key 'aws:region' is namespaced and must provide an attribute 'value'");
        });
    });

    describe("Pulumi.<stack>.yaml and the merged configuration", () => {
        const project = () => edit(PROJECT, "main: index.ts", `main: ${ROOT}/index.ts`);

        it("stack-file: a stack file that is not a mapping, a stack name the CLI refuses", () => {
            refuses("stack-file", problemsOf({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": "- aws:region: us-west-2\n" }), /must be a mapping/);
            refuses("stack-file", problemsOf({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": DR }, "dr/west"), /is not a stack name/);
            refuses("stack-file", problemsOf({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": `secretsprovider: [passphrase]\n${DR}` }), "Pulumi.dr.yaml: 'secretsprovider' must be a string");
        });

        it("stack-file: a misspelt `config:` is ignored by the CLI (a warning), and then the required keys are missing", () => {
            const dir = projectFixture({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": edit(DR, /^config:/m, "confg:") });
            const result = checkConfiguration(dir, "dr");
            assert.ok(result.warnings.some((w) => /'confg' is not a stack attribute and is ignored/.test(w)), result.warnings.join("\n"));
            refuses("stack-config-required", result.problems, "Stack 'dr' is missing configuration values 'peerRegion' and 'role'");
        });

        it("stack-config-key: a key that is not <namespace>:<name>", () => {
            refuses("stack-config-key", problemsOf({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": `${DR}  tandem:owner:team: sre\n` }),
                "could not parse tandem:owner:team as a configuration key (configuration keys should be of the form `<namespace>:<name>`)");
        });

        it("stack-secure-value: a malformed secure value, secrets the stack file cannot decrypt", () => {
            refuses("stack-secure-value", problemsOf({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": `${DR}  tandem:appName:\n    secure: v1:abc\n    plain: x\n` }),
                /tandem:appName: a secure value is exactly \{secure: <ciphertext>\}/);
            refuses("stack-secure-value", problemsOf({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": `secretsprovider: passphrase\n${DR}  tandem:appName:\n    secure: v1:abc\n` }),
                /tandem:appName is secure, but Pulumi.dr.yaml has no encryptionsalt/);
            refuses("stack-secure-value", problemsOf({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": `secretsprovider: awskms://alias/tandem?region=us-west-2\n${DR}  tandem:appName:\n    secure: v1:abc\n` }),
                /has no encryptedkey for awskms:/);
        });

        it("stack-config-required: the first run's failure — optional keys declared with a type and no default", () => {
            // What `pulumi up -s dr` answered before the optional keys got their "" default.
            const optionalWithoutDefault = project().replace(/^( {2}(?:edgePublicKey|foundationState\w+):\n(?: {4}(?!default).*\n)*) {4}default: ''\n/gm, "$1");
            assert.notEqual(optionalWithoutDefault, project());
            refuses("stack-config-required", problemsOf({ "Pulumi.yaml": optionalWithoutDefault, "Pulumi.dr.yaml": DR }),
                "Stack 'dr' is missing configuration values 'edgePublicKey', 'foundationStateBucket', 'foundationStateKey', 'foundationStatePath' and 'foundationStateRegion'");
            refuses("stack-config-required", problemsOf({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": edit(DR, /^ {2}tandem:role: standby\n/m, "") }),
                "Stack 'dr' is missing configuration value 'role'");
        });

        it("stack-config-type: values of the wrong type, a secret key set in plain text", () => {
            refuses("stack-config-type", problemsOf({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": `${DR}  tandem:apiMemoryMb: lots\n` }),
                "Stack 'dr' with configuration key 'apiMemoryMb' must be of type 'integer'");
            refuses("stack-config-type", problemsOf({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": `${DR}  tandem:alarmEmails: oncall@example.com\n` }),
                "Stack 'dr' with configuration key 'alarmEmails' must be of type 'array<string>'");
            refuses("stack-config-type", problemsOf({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": `${DR}  tandem:replicationEnabled: yes\n` }),
                "Stack 'dr' with configuration key 'replicationEnabled' must be of type 'boolean'");
            const secretOwner = edit(project(), "  owner:\n    type: string\n", "  owner:\n    type: string\n    secret: true\n");
            refuses("stack-config-type", problemsOf({ "Pulumi.yaml": secretOwner, "Pulumi.dr.yaml": DR }),
                "Stack 'dr' with configuration key 'owner' must be encrypted as it's secret");
        });

        it("passes the values a stack file holds to the program as the CLI does: text, JSON for lists, numbers as written", () => {
            const dir = projectFixture({ "Pulumi.yaml": project(), "Pulumi.dr.yaml": `${DR}  tandem:alarmEmails:\n    - oncall@example.com\n  tandem:apiMemoryMb: 1024\n  tandem:replicationEnabled: false\n` });
            const { config, problems } = checkConfiguration(dir, "dr");
            assert.deepEqual(problems, []);
            assert.equal(config["tandem:alarmEmails"], '["oncall@example.com"]');
            assert.equal(config["tandem:apiMemoryMb"], "1024");
            assert.equal(config["tandem:replicationEnabled"], "false");
            assert.equal(config["tandem:edgePublicKey"], "", "an optional key is passed as its empty default");
        });
    });

    describe("the program", () => {
        const program = (index: string) => projectFixture({
            "Pulumi.yaml": "name: fixture\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n",
            "Pulumi.test.yaml": "config:\n  aws:region: us-west-2\n  pulumi:disable-default-providers:\n    - aws\n",
            "index.ts": index,
            // Only what the fixtures use: without `types`, the compiler would load every @types package, and
            // without `lib` the target's default, the DOM's declarations included (half of each check's seconds).
            "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", target: "ES2022", lib: ["ES2022"], types: [] } }),
        });

        // Each check is a child process running the compiler for seconds: the whole sequence starts as
        // this file loads, and runs while the suites before this one do; the test asserts on what it saw.
        const typeChecks = inTurn(async () => {
            const dir = program('const memory: number = "512";\nexport const size = memory;\n');
            const verdictFile = path.join(dir, ".tandem", "typecheck.json");
            const broken = (await preflight(dir, "test").typeChecked).problems;
            const kept = fs.statSync(verdictFile).mtimeMs;
            const again = (await preflight(dir, "test").typeChecked).problems;
            const reused = fs.statSync(verdictFile).mtimeMs === kept;
            fs.writeFileSync(path.join(dir, "index.ts"), "const memory: number = 512;\nexport const size = memory;\n");
            const fixed = (await preflight(dir, "test").typeChecked).problems;
            return { broken, again, reused, fixed };
        });
        typeChecks.catch(() => undefined);

        it("program-type-check: a type error fails before the program runs; the same program without it passes", async () => {
            // The verdict comes from a child process running typeCheck, and is kept until a file it read changes.
            const { broken, again, reused, fixed } = await typeChecks;
            refuses("program-type-check", broken, /index.ts\(1,7\): error TS2322: Type 'string' is not assignable to type 'number'/);
            assert.deepEqual(again, broken);
            assert.ok(reused, "the kept verdict was reused");
            assert.deepEqual(fixed, [], "a changed file is checked again");
        });

        it("default-provider-disabled: a resource without an explicit provider is refused with the engine's message", async () => {
            covered.add("default-provider-disabled");
            const dir = program('import * as aws from "@pulumi/aws";\nexport const bucket = new aws.s3.Bucket("orphan").id;\n');
            await assert.rejects(evaluateStack("test", { root: dir }),
                /Default provider for 'aws' disabled\. 'urn:pulumi:test::fixture::aws:s3\/bucket:Bucket::orphan' must use an explicit provider\./);
        });

        it("default-provider-disabled: an invoke without an explicit provider is refused; with one it runs", async () => {
            const without = program('import * as aws from "@pulumi/aws";\nexport const account = aws.getCallerIdentityOutput().accountId;\n');
            await assert.rejects(evaluateStack("test", { root: without }),
                /Default provider for 'aws' disabled\. 'aws:index\/getCallerIdentity:getCallerIdentity' must use an explicit provider\./);
            const withProvider = program('import * as aws from "@pulumi/aws";\nconst home = new aws.Provider("home", { region: "us-west-2" });\nexport const account = aws.getCallerIdentityOutput({}, { provider: home }).accountId;\nexport const bucket = new aws.s3.Bucket("b", {}, { provider: home }).id;\n');
            const inventory = await evaluateStack("test", { root: withProvider });
            assert.ok(inventory.resources.some((r) => r.type === "aws:s3/bucket:Bucket" && r.provider?.includes("::home::")));
        });
    });

    describe("coverage (runs last)", () => {
        it("every rule has a project it refuses", () => {
            assert.deepEqual(Object.keys(PREFLIGHT_RULES).filter((r) => !covered.has(r as PreflightRuleId)), []);
        });
    });
});
