// A Terraform-managed foundation: the mocks answer @pulumi/terraform's state lookups from real state
// files that `terraform apply` produced (test/fixtures/foundation, see regenerate.sh there).
import * as assert from "assert";
import * as path from "path";
import { evaluateStack, Inventory, ROOT } from "../../tools/engine/evaluate";
import { terraformOutputs } from "../../tools/engine/mockWorld";
import { ofType, one, TYPES } from "../support/inventory";

const fixture = (region: string) => path.join(ROOT, "test", "fixtures", "foundation", `${region}.tfstate`);
const real = terraformOutputs(fixture("us-east-1"));

describe("a Terraform foundation", () => {
    let prod: Inventory;
    before(async () => {
        prod = await evaluateStack("prod", { config: { "tandem:foundationStatePath": fixture("us-east-1") } });
    });

    it("is read from a state file terraform apply produced", () => {
        assert.deepStrictEqual(Object.keys(real).sort(), ["alarm_topic_arn", "log_archive_bucket", "permissions_boundary_arn"]);
    });

    it("puts its permissions boundary on every role", () => {
        const roles = ofType(prod, TYPES.role);
        assert.strictEqual(roles.length, 4);
        for (const role of roles) {
            assert.strictEqual(role.inputs.permissionsBoundary, real.permissions_boundary_arn, role.name);
        }
    });

    it("takes the alarms instead of a topic of our own", () => {
        assert.deepStrictEqual(ofType(prod, TYPES.topic), []);
        for (const alarm of ofType(prod, TYPES.alarm)) {
            assert.deepStrictEqual(alarm.inputs.alarmActions, [real.alarm_topic_arn], alarm.name);
        }
        assert.strictEqual(prod.outputs.alarmTopicArn, real.alarm_topic_arn);
    });

    it("receives the access logs instead of a log bucket of our own", () => {
        assert.deepStrictEqual(ofType(prod, TYPES.bucket).map((b) => b.name), ["documents-data"]);
        assert.strictEqual(one(prod, TYPES.logging).inputs.targetBucket, real.log_archive_bucket);
        assert.strictEqual(prod.outputs.accessLogBucket, undefined);
    });

    it("can live in an S3 backend", async () => {
        const inv = await evaluateStack("dr", {
            config: { "tandem:foundationStateBucket": "platform-tf-state", "tandem:foundationStateKey": "foundation/us-west-2.tfstate", "tandem:foundationStateRegion": "us-west-2" },
            world: { terraformOutputs: { "s3://platform-tf-state/foundation/us-west-2.tfstate": terraformOutputs(fixture("us-west-2")) } },
        });
        assert.ok(ofType(inv, TYPES.alarm).every((a) => a.inputs.alarmActions[0] === "arn:aws:sns:us-west-2:123456789012:foundation-alarms"));
    });

    const broken: [string, Record<string, unknown>, RegExp][] = [
        ["a missing output", { ...real, permissions_boundary_arn: undefined }, /output permissions_boundary_arn is missing; expected the ARN of an IAM managed policy/],
        ["a topic in another region", { ...real, alarm_topic_arn: "arn:aws:sns:eu-west-1:123456789012:alarms" }, /output alarm_topic_arn is "arn:aws:sns:eu-west-1:123456789012:alarms"; expected the ARN of an SNS topic in this stack's region/],
        ["a bucket ARN where a name belongs", { ...real, log_archive_bucket: "arn:aws:s3:::logs" }, /output log_archive_bucket is "arn:aws:s3:::logs"; expected an S3 bucket name/],
        ["a list where a string belongs", { ...real, permissions_boundary_arn: ["arn:aws:iam::123456789012:policy/a"] }, /output permissions_boundary_arn is \["arn:aws:iam::123456789012:policy\/a"\]/],
    ];
    for (const [what, outputs, message] of broken) {
        it(`stops on ${what}, naming the output, before registering anything`, async () => {
            const location = "/foundations/broken.tfstate";
            await assert.rejects(
                evaluateStack("prod", { config: { "tandem:foundationStatePath": location }, world: { terraformOutputs: { [location]: outputs } } }),
                (e: any) => {
                    assert.match(e.message, /The Terraform foundation at \/foundations\/broken.tfstate cannot be used/);
                    assert.match(e.message, message);
                    assert.ok(!e.registered.some((r: any) => r.custom && r.type !== TYPES.provider), "no resource was registered");
                    return true;
                });
        });
    }

    it("says so when the state cannot be read", async () => {
        await assert.rejects(evaluateStack("prod", { config: { "tandem:foundationStatePath": "/nowhere/terraform.tfstate" } }),
            /The Terraform foundation state at \/nowhere\/terraform.tfstate could not be read/);
    });

    it("refuses email subscriptions on a topic the foundation owns", async () => {
        await assert.rejects(evaluateStack("prod", { config: { "tandem:foundationStatePath": fixture("us-east-1"), "tandem:alarmEmails": '["oncall@example.com"]' } }),
            /tandem:alarmEmails cannot subscribe to the foundation's alarm topic/);
    });
});
