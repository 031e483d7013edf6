// Failover and failback are config switches (docs/runbook.md). Each step of the runbook is evaluated
// here with the regions that are up at that moment: which stack writes, and where replication goes.
import * as assert from "assert";
import { ENV, METRICS } from "../../functions/contract";
import { evaluateStack, Inventory } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";
import { asList, ofType, one, statements, TYPES } from "../support/inventory";

interface StackState {
    role: string;
    /** Whether the api accepts writes: its environment and its IAM must agree. */
    writes: boolean;
    /** Region of the bucket this stack replicates to, if it replicates. */
    replicatesTo?: string;
    canaryWritesProbes: boolean;
    lagAlarm: boolean;
}

function stateOf(inv: Inventory): StackState {
    const role = one(inv, TYPES.function, "api").inputs.environment.variables[ENV.role];
    const grants = (fn: string, action: string) => statements(one(inv, TYPES.rolePolicy, fn).inputs.policy).some((s) => asList(s.Action).includes(action));
    const apiWrites = grants("api", "s3:PutObject") && grants("api", "s3:DeleteObject");
    assert.strictEqual(apiWrites, role === "primary", `the api's IAM (${apiWrites ? "writes" : "read-only"}) disagrees with its role ${role}`);
    const replication = ofType(inv, TYPES.replication)[0];
    const destination: string | undefined = replication?.inputs.rules[0].destination.bucket;
    return {
        role,
        writes: apiWrites,
        replicatesTo: destination?.match(/-(\w+-\w+-\d)$/)?.[1],
        canaryWritesProbes: grants("canary", "s3:PutObject"),
        lagAlarm: ofType(inv, TYPES.alarm).some((a) => a.inputs.metricName === METRICS.replicationLag),
    };
}

const PRIMARY_REPLICATING = { role: "primary", writes: true, canaryWritesProbes: true, lagAlarm: true };
const STANDBY = { role: "standby", writes: false, replicatesTo: undefined, canaryWritesProbes: false, lagAlarm: true };
const bothUp = { deployedRegions: ["us-east-1", "us-west-2"] };

describe("failover and failback (docs/runbook.md)", () => {
    it("0. steady state: prod writes and replicates to us-west-2, dr serves reads", async () => {
        assert.deepStrictEqual(stateOf(await evaluatedStack("prod", { world: bothUp })), { ...PRIMARY_REPLICATING, replicatesTo: "us-west-2" });
        assert.deepStrictEqual(stateOf(await evaluatedStack("dr", { world: bothUp })), STANDBY);
    });

    it("1. us-east-1 is lost: dr is promoted with replication off, and needs nothing from us-east-1", async () => {
        const dr = await evaluatedStack("dr", {
            config: { "tandem:role": "primary", "tandem:replicationEnabled": "false" },
            world: { deployedRegions: ["us-west-2"] },
        });
        assert.deepStrictEqual(stateOf(dr), { role: "primary", writes: true, replicatesTo: undefined, canaryWritesProbes: true, lagAlarm: false });
    });

    it("1b. promoting dr without turning replication off stops with the fix, while us-east-1 is down", async () => {
        await assert.rejects(
            evaluateStack("dr", { config: { "tandem:role": "primary" }, world: { deployedRegions: ["us-west-2"] } }),
            /was not found in us-east-1: deploy the stack of us-east-1 first .* or set tandem:replicationEnabled to false while us-east-1 is down/,
        );
    });

    it("2. us-east-1 is back: prod is demoted first, then dr replicates to it", async () => {
        assert.deepStrictEqual(stateOf(await evaluatedStack("prod", { config: { "tandem:role": "standby" }, world: bothUp })), STANDBY);
        const dr = await evaluatedStack("dr", { config: { "tandem:role": "primary" }, world: bothUp });
        assert.deepStrictEqual(stateOf(dr), { ...PRIMARY_REPLICATING, replicatesTo: "us-east-1" });
        const [rule] = one(dr, TYPES.replication).inputs.rules;
        assert.match(rule.destination.encryptionConfiguration.replicaKmsKeyId, /^arn:aws:kms:us-east-1:/);
    });

    it("3. failback, the mirror: dr is demoted, then prod is primary again and replicates to us-west-2", async () => {
        assert.deepStrictEqual(stateOf(await evaluatedStack("dr", { world: bothUp })), STANDBY);
        assert.deepStrictEqual(stateOf(await evaluatedStack("prod", { world: bothUp })), { ...PRIMARY_REPLICATING, replicatesTo: "us-west-2" });
    });

    it("keeps every name and the data bucket across a role change, so failover replaces nothing", async () => {
        const physical = (inv: Inventory) => inv.resources.filter((r) => r.custom).map((r) => `${r.type}:${r.name}:${r.id}`)
            .filter((id) => !id.includes("bucketReplicationConfig") && !id.includes(":replication:") && !id.includes("MetricAlarm") && !id.startsWith("pulumi:providers"))
            .sort();
        const standby = physical(await evaluatedStack("dr", { world: bothUp }));
        const promoted = physical(await evaluatedStack("dr", { config: { "tandem:role": "primary", "tandem:replicationEnabled": "false" }, world: { deployedRegions: ["us-west-2"] } }));
        assert.deepStrictEqual(promoted, standby);
    });
});
