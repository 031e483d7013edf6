// The policy pack, served by its real entry point and driven over gRPC as the Pulumi engine drives it,
// on the program evaluated for both stacks (and as a first preview): what it declares, that the
// shipped program passes, what preview does, exemptions, configuration and remediation.
import { strict as assert } from "assert";
import * as path from "path";
import { ruleDocs } from "../../policy/rules";
import { Inventory, ROOT } from "../../tools/engine/evaluate";
import { parsePolicyConfig, readPolicyConfigFile } from "../../tools/engine/policyConfig";
import { engineProperties, PolicyHost, PolicyReport, RunOptions } from "../../tools/engine/policyHost";
import { evaluatedStack } from "../support/evaluatedStacks";
import { sharedPolicyHost } from "../support/policyHost";
import { byName, editResources, listed, mandatory, violationsOf, withoutResources } from "./helpers";

const T = {
    bucket: "aws:s3/bucket:Bucket",
    logging: "aws:s3/bucketLogging:BucketLogging",
    fn: "aws:lambda/function:Function",
    url: "aws:lambda/functionUrl:FunctionUrl",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    provider: "pulumi:providers:aws",
};

/**
 * Rules whose verdict needs the content of a policy document, which embeds ARNs and so is unknown in a
 * first preview (bucket policies, the functions' and the replication role's policies).
 */
const CONTENT_RULES = [
    "s3-tls-only-policy", "s3-no-public-policy", "iam-no-wildcard-action", "iam-no-wildcard-resource", "iam-no-permissions-management",
    "s3-notification-no-recursive-trigger", "s3-replication-role-permissions", "iam-standby-api-read-only",
];

// Started as the file loads, in its own process, while other suites run.
const served = sharedPolicyHost();

describe("policy pack, served and driven like the engine", function () {
    let host: PolicyHost;
    const inv: Record<string, Inventory> = {};
    const base: Record<string, PolicyReport> = {};
    // The pack's verdicts are deterministic, and several tests judge the same stack with the same
    // configuration (the shipped stacks as the runbook's steady state, the remediation cases).
    const reports = new WeakMap<Inventory, Map<string, Promise<PolicyReport>>>();
    const run = (inventory: Inventory, options: RunOptions = {}): Promise<PolicyReport> => {
        const runs = reports.get(inventory) ?? reports.set(inventory, new Map()).get(inventory)!;
        const key = JSON.stringify(options);
        return runs.get(key) ?? runs.set(key, host.run(inventory, options)).get(key)!;
    };

    before(async function () {
        host = await served;
        for (const [key, stack, preview] of [["prod", "prod", false], ["dr", "dr", false], ["prodPreview", "prod", true], ["drPreview", "dr", true]] as const) {
            inv[key] = await evaluatedStack(stack, { world: { preview } });
            base[key] = await run(inv[key]);
        }
    });

    describe("what it declares (GetAnalyzerInfo)", () => {
        it("serves every rule with its pillar, anchors, level, description and how to satisfy it", () => {
            const served = host.info.policies;
            const docs = ruleDocs();
            assert.deepEqual(served.map((p) => p.name), docs.map((d) => d.name));
            assert.equal(new Set(served.map((p) => p.name)).size, served.length, "policy names are unique");
            for (const p of served) {
                assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)+$/, `${p.name}: lowercase words joined by hyphens`);
                assert.ok(p.pillar, `${p.name} has a pillar`);
                assert.ok(p.anchors.length > 0, `${p.name} names the control it covers`);
                assert.ok(p.description.length > 20 && p.remediationSteps.length > 20, `${p.name} is documented`);
                const doc = docs.find((d) => d.name === p.name)!;
                assert.equal(p.enforcementLevel, doc.enforcementLevel);
                assert.deepEqual(p.anchors, doc.anchors);
                assert.deepEqual(p.configSchema?.properties ?? {}, JSON.parse(JSON.stringify(doc.configSchema?.properties ?? {})));
            }
            for (const pillar of ["security", "reliability", "operational-excellence", "performance-efficiency", "cost-optimization"]) {
                assert.ok(served.some((p) => p.pillar === pillar), `some rule covers ${pillar}`);
            }
        });

        it("reports each policy's effective level and its settings with the schema defaults filled in", () => {
            const memory = base.prod.policies.find((p) => p.name === "lambda-memory-bounds")!;
            assert.equal(memory.enforcementLevel, "mandatory");
            assert.deepEqual(memory.settings, { minimumMb: 256, maximumMb: 3008 });
            assert.equal(base.prod.policies.find((p) => p.name === "policy-exemptions")!.enforcementLevel, "advisory");
        });
    });

    describe("the shipped program", () => {
        for (const stack of ["prod", "dr"]) {
            it(`${stack}: no violation at all`, () => {
                assert.equal(base[stack].violations.length, 0, listed(base[stack].violations));
                assert.equal(base[stack].mandatoryCount, 0);
            });
        }

        it("lists the access-log bucket's exemptions with their reasons", () => {
            for (const stack of ["prod", "dr"]) {
                const exemptions = base[stack].exemptions;
                assert.deepEqual(exemptions.map((e) => e.policy).sort(), ["s3-access-logging", "s3-bucket-key-enabled", "s3-cross-region-replication", "s3-sse-kms-customer-key"]);
                assert.ok(exemptions.every((e) => e.urn.endsWith("::documents-access-logs") && e.urn.includes("aws:s3/bucket:Bucket") && e.reason.length > 12));
            }
        });

        it("every resource rule looked at some resource of each stack (a pass is not for want of anything to check)", () => {
            for (const stack of ["prod", "dr"]) {
                const analyzed = inv[stack].resources.length;
                for (const p of host.info.policies.filter((x) => x.kind === "resource")) {
                    assert.ok((base[stack].notApplicable[p.name] ?? 0) < analyzed, `${p.name} applied to nothing on ${stack}`);
                }
            }
        });
    });

    describe("every step of the failover runbook (test/program/failover.test.ts)", () => {
        const FAILOVER_CONFIG = () => readPolicyConfigFile(path.join(ROOT, "policy", "failover.policy-config.json"));
        const steps: [string, "prod" | "dr", Record<string, string>, string[], boolean][] = [
            ["0. steady state: prod", "prod", {}, ["us-east-1", "us-west-2"], false],
            ["0. steady state: dr", "dr", {}, ["us-east-1", "us-west-2"], false],
            ["1. us-east-1 lost: dr promoted, replication off (failover policy config)", "dr", { "tandem:role": "primary", "tandem:replicationEnabled": "false" }, ["us-west-2"], true],
            ["2. us-east-1 back: prod demoted", "prod", { "tandem:role": "standby" }, ["us-east-1", "us-west-2"], false],
            ["2. us-east-1 back: dr replicates to it", "dr", { "tandem:role": "primary" }, ["us-east-1", "us-west-2"], false],
        ];
        for (const [step, stack, config, deployedRegions, failover] of steps) {
            it(`${step}: no mandatory violation${failover ? ", only the designed advisory" : ", nothing at all"}`, async () => {
                const inventory = await evaluatedStack(stack, { config, world: { deployedRegions } });
                const report = await run(inventory, failover ? { config: FAILOVER_CONFIG() } : {});
                assert.equal(report.mandatoryCount, 0, listed(report.violations));
                assert.deepEqual(report.violations.map((v) => v.policy), failover ? ["s3-cross-region-replication"] : [], listed(report.violations));
            });
        }
    });

    describe("a first preview (computed values unknown)", () => {
        it("gives no mandatory violation on either stack", () => {
            assert.deepEqual(mandatory(base.prodPreview), [], listed(mandatory(base.prodPreview)));
            assert.deepEqual(mandatory(base.drPreview), [], listed(mandatory(base.drPreview)));
        });

        it("defers only rules that need the content of a policy document, with the engine's advisory", () => {
            for (const report of [base.prodPreview, base.drPreview]) {
                const deferred = [...new Set(report.violations.map((v) => v.policy))];
                assert.deepEqual(deferred.filter((p) => !CONTENT_RULES.includes(p)), [], listed(report.violations));
                assert.ok(deferred.includes("iam-no-wildcard-action") && deferred.includes("s3-tls-only-policy"), "the role and bucket policies embed ARNs");
                assert.ok(report.violations.every((v) => v.level === "advisory" && /can't run policy '.*' .* during preview/.test(v.message)));
            }
        });

        it("still decides relational rules from dependencies: a function without alarms fails the preview", async () => {
            const mutated = withoutResources(inv.prodPreview, (r) => r.type === T.alarm && ["api-errors", "api-throttles"].includes(r.name));
            const report = await run(mutated);
            const caught = violationsOf(report, "lambda-function-alarms", "mandatory");
            assert.equal(caught.length, 1, listed(report.violations));
            assert.match(caught[0].urn, /aws:lambda\/function:Function::api$/);
            assert.match(caught[0].message, /no alarm on AWS\/Lambda Errors, Throttles/);
        });
    });

    describe("exemptions", () => {
        const exempt = (reason: string) => editResources(
            withoutResources(inv.prod, byName(T.logging, "documents-data")),
            byName(T.bucket, "documents-data"),
            (p) => ({ ...p, tags: { ...(p.tags ?? {}), "tandem:policy-exempt:s3-access-logging": reason } }),
        );

        it("a written reason silences the rule for that resource, and the exemption is listed", async () => {
            const report = await run(exempt("logs are shipped by the organisation trail instead"));
            assert.deepEqual(report.violations, [], listed(report.violations));
            const listedExemption = report.exemptions.find((e) => e.urn.endsWith("::documents-data"));
            assert.deepEqual(listedExemption && { policy: listedExemption.policy, reason: listedExemption.reason },
                { policy: "s3-access-logging", reason: "logs are shipped by the organisation trail instead" });
        });

        for (const [what, reason] of [["an empty reason", ""], ["a placeholder", "n/a"], ["a too short reason", "legacy ok"]]) {
            it(`${what} is refused: the rule still fires and the tag is reported`, async () => {
                const report = await run(exempt(reason));
                assert.equal(violationsOf(report, "s3-access-logging", "mandatory").length, 1, listed(report.violations));
                assert.equal(violationsOf(report, "policy-exemption-valid", "mandatory").length, 1, listed(report.violations));
                assert.ok(!report.exemptions.some((e) => e.urn.endsWith("::documents-data")));
            });
        }

        it("a resource without tags is exempted through the one it configures (Function URL → function)", async () => {
            const publicUrl = editResources(inv.dr, byName(T.url, "api"), (p) => ({ ...p, authorizationType: "NONE" }));
            assert.equal(violationsOf(await run(publicUrl), "lambda-function-url-auth", "mandatory").length, 1);
            const exempted = editResources(publicUrl, byName(T.fn, "api"),
                (p) => ({ ...p, tags: { "tandem:policy-exempt:lambda-function-url-auth": "public webhook, authenticated by an HMAC signature" } }));
            const report = await run(exempted);
            assert.deepEqual(report.violations, [], listed(report.violations));
            assert.ok(report.exemptions.some((e) => e.policy === "lambda-function-url-auth" && e.urn.endsWith("::api")));
        });
    });

    describe("configuration (levels, `all`, settings)", () => {
        let publicUrl: Inventory;
        before(() => {
            publicUrl = editResources(inv.prod, byName(T.url, "api"), (p) => ({ ...p, authorizationType: "NONE" }));
        });

        it("a per-rule level or `all` changes how a violation is reported", async () => {
            const advisory = await run(publicUrl, { config: { "lambda-function-url-auth": "advisory" } });
            assert.deepEqual(advisory.violations.map((v) => [v.policy, v.level]), [["lambda-function-url-auth", "advisory"]]);
            assert.equal(advisory.mandatoryCount, 0);
            const all = await run(publicUrl, { config: { all: "advisory" } });
            assert.equal(all.mandatoryCount, 0);
            assert.equal(violationsOf(all, "lambda-function-url-auth", "advisory").length, 1);
            assert.ok(all.policies.every((p) => p.enforcementLevel === "advisory"));
            const overridden = await run(publicUrl, { config: { "all": "advisory", "lambda-function-url-auth": "mandatory" } });
            assert.equal(overridden.mandatoryCount, 1, "a policy's own level wins over all");
            const disabled = await run(publicUrl, { config: { "lambda-function-url-auth": "disabled" } });
            assert.deepEqual(disabled.violations, []);
        });

        it("settings reach the rules through getConfig and change verdicts", async () => {
            const tight = await run(inv.prod, { config: { "lambda-memory-bounds": { maximumMb: 384 }, "lambda-log-group-retention": { minimumDays: 60 } } });
            const memory = violationsOf(tight, "lambda-memory-bounds", "mandatory");
            assert.deepEqual(memory.map((v) => v.urn.split("::").pop()).sort(), ["api", "ingest"], "the 512 MB functions, not the 256 MB canary");
            assert.match(memory[0].message, /allowed: 256-384 MB/);
            assert.equal(violationsOf(tight, "lambda-log-group-retention", "mandatory").length, 3);
            const loose = await run(editResources(inv.prod, byName(T.fn, "api"), (p) => ({ ...p, memorySize: 4096 })), { config: { "lambda-memory-bounds": { maximumMb: 4096 } } });
            assert.deepEqual(violationsOf(loose, "lambda-memory-bounds"), []);
        });

        it("policy/failover.policy-config.json lets a promoted standby run while its peer is down, and nothing else", async () => {
            const promoted = await evaluatedStack("dr", { config: { "tandem:role": "primary", "tandem:replicationEnabled": "false" }, world: { deployedRegions: ["us-west-2"] } });
            const strict = await run(promoted);
            assert.deepEqual(mandatory(strict).map((v) => [v.policy, v.urn.split("::").pop()]), [["s3-cross-region-replication", "documents-data"]], listed(strict.violations));
            const failover = await run(promoted, { config: readPolicyConfigFile(path.join(ROOT, "policy", "failover.policy-config.json")) });
            assert.equal(failover.mandatoryCount, 0, listed(failover.violations));
            assert.deepEqual(failover.violations.map((v) => [v.policy, v.level]), [["s3-cross-region-replication", "advisory"]]);
        });

        it("refuses configuration the CLI would refuse", () => {
            assert.throws(() => host.reconcile({ "lambda-memory-bounds": { maximumMb: "big" } }), /lambda-memory-bounds: maximumMb: Invalid type. Expected: integer, given: string/);
            assert.throws(() => host.reconcile({ "kms-deletion-window": { minimumDays: 3 } }), /kms-deletion-window: minimumDays: Must be greater than or equal to 7/);
            assert.throws(() => host.reconcile({ "required-tags": { requiredTags: ["app", "app"] } }), /requiredTags: array items must be unique/);
            assert.throws(() => host.reconcile({ "lamda-arm64": "disabled" }), /lamda-arm64: the pack has no policy of this name/);
            assert.throws(() => parsePolicyConfig({ "lambda-arm64": "off" }), /"off" is not a valid enforcement level/);
        });
    });

    describe("remediation (level remediate)", () => {
        let untagged: Inventory;
        before(() => {
            untagged = editResources(inv.dr, byName(T.provider, "home"), (p) => {
                const d = JSON.parse(p.defaultTags);
                delete d.tags["cost-center"];
                return { ...p, defaultTags: JSON.stringify(d) };
            });
        });

        it("without remediation every taggable resource lacks the tag", async () => {
            const report = await run(untagged);
            const missing = violationsOf(report, "required-tags", "mandatory");
            assert.ok(missing.length > 20 && missing.every((v) => /Missing tag cost-center/.test(v.message)), listed(missing.slice(0, 3)));
        });

        it("adds missing tags that have a configured value before the resource is analyzed", async () => {
            const report = await run(untagged, { config: { "required-tags": { enforcementLevel: "remediate", remediationValues: { "cost-center": "cc-2002" } } } });
            assert.deepEqual(violationsOf(report, "required-tags"), [], listed(report.violations));
            const taggable = violationsOf(await run(untagged), "required-tags").length;
            assert.equal(report.remediations.length, taggable);
            const bucket = report.remediations.find((r) => r.urn.endsWith("aws:s3/bucket:Bucket::documents-data"))!;
            assert.deepEqual(bucket.properties.tags, { "cost-center": "cc-2002" });
        });

        it("leaves everything else as it was, a Lambda function's code archive included", async () => {
            const report = await run(untagged, { config: { "required-tags": { enforcementLevel: "remediate", remediationValues: { "cost-center": "cc-2002" } } } });
            const fn = report.remediations.find((r) => r.urn.endsWith("aws:lambda/function:Function::ingest"))!;
            const before: Record<string, any> = engineProperties(untagged.resources.find(byName(T.fn, "ingest"))!.serializedInputs);
            assert.ok(Object.keys((fn.properties.code as any).assets).includes("__index.js"));
            assert.deepEqual(fn.properties, { ...before, tags: { "cost-center": "cc-2002" } });
        });

        it("a missing tag without a value stays a (mandatory) violation", async () => {
            const report = await run(untagged, {
                config: { "required-tags": { enforcementLevel: "remediate", requiredTags: ["app", "cost-center", "team"], remediationValues: { "cost-center": "cc-2002" } } },
            });
            const left = violationsOf(report, "required-tags");
            assert.ok(left.length > 20 && left.every((v) => v.level === "mandatory" && /Missing tag team\b/.test(v.message)), listed(left.slice(0, 3)));
        });
    });
});
