// `npm run plan` as CI runs it: the resource listing, the pack's verdict, the JSON report and the exit
// code (non-zero on a mandatory violation), with a policy config file as `--policy-pack-config` takes.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ruleDocs } from "../../policy/rules";
import { plan as planMain } from "../../tools/engine/plan";
import { sharedPolicyHost } from "../support/policyHost";
import { runTool } from "../support/tool";

/** `npm run plan -- <args>` in this process, on the run's shared pack (the command-line runner is tested in test/engine/plan.test.ts). */
const plan = (args: string[]) => runTool((argv, io) => planMain(argv, io, { host: sharedPolicyHost() }), args);

describe("npm run plan (offline preview with the policy pack)", function () {
    this.timeout(180_000);

    it("passes the shipped prod stack, listing resources, the pack's verdict and the exemptions", async () => {
        const { code, stdout, stderr } = await plan(["--stack", "prod"]);
        assert.equal(code, 0, stderr + stdout.slice(-2000));
        assert.match(stdout, /^Stack prod: \d+ resources/m);
        assert.match(stdout, /aws:s3\/bucketReplicationConfig:BucketReplicationConfig {2}replication {2}\[us-east-1\]/);
        const count = (pillar: string) => ruleDocs().filter((d) => d.pillar === pillar).length;
        assert.ok(stdout.includes(`Policy pack tandem@1.0.0: ${ruleDocs().length} policies (security ${count("security")}, reliability ${count("reliability")}, operational excellence ${count("operational-excellence")}, performance efficiency ${count("performance-efficiency")}, cost optimization ${count("cost-optimization")})`), stdout.slice(0, 2000));
        assert.match(stdout, /Violations: 0 mandatory, 0 advisory/);
        assert.match(stdout, /Exemptions: 4\n {2}s3-access-logging {2}aws:s3\/bucket:Bucket documents-access-logs: this bucket is the access log target/);
        assert.match(stdout, /Policy check passed\./);
    });

    it("--json reports policies and violations, and a mandatory violation fails the run", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        const config = path.join(dir, "policy-config.json");
        fs.writeFileSync(config, JSON.stringify({ "lambda-memory-bounds": { maximumMb: 300 }, "lambda-arm64": "advisory" }));
        const { code, stdout, stderr } = await plan(["--stack", "dr", "--json", "--policy-config", config]);
        assert.equal(code, 1, stderr);
        const report = JSON.parse(stdout);
        assert.equal(report.stack, "dr");
        assert.ok(report.resources.some((r: any) => r.type === "aws:lambda/function:Function" && r.region === "us-west-2"));
        assert.deepEqual(report.policies.map((p: any) => p.name), ruleDocs().map((d) => d.name));
        const arm64 = ruleDocs().find((d) => d.name === "lambda-arm64")!;
        assert.deepEqual(report.policies.find((p: any) => p.name === "lambda-arm64"), {
            name: "lambda-arm64", pillar: "performance-efficiency", enforcementLevel: "advisory", anchors: arm64.anchors,
        });
        assert.deepEqual(report.violations.map((v: any) => [v.policy, v.level, v.urn.split("::").pop()]).sort(), [
            ["lambda-memory-bounds", "mandatory", "api"], ["lambda-memory-bounds", "mandatory", "ingest"],
        ]);
        assert.ok(report.violations.every((v: any) => typeof v.message === "string" && v.urn.startsWith("urn:pulumi:dr::tandem::")));
        assert.deepEqual(report.exemptions.map((e: any) => e.policy).sort(), ["s3-access-logging", "s3-bucket-key-enabled", "s3-cross-region-replication", "s3-sse-kms-customer-key"]);
    });

    it("refuses an invalid policy config before evaluating anything", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        const config = path.join(dir, "policy-config.json");
        fs.writeFileSync(config, JSON.stringify({ "lambda-arm64": "sometimes" }));
        const { code, stderr } = await plan(["--stack", "dr", "--policy-config", config]);
        assert.equal(code, 1);
        assert.match(stderr, /"sometimes" is not a valid enforcement level/);
    });
});
