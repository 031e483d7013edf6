import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program, provider, TY } from "../harness/scaffold";

const setRule = (change: (r: any) => any) => edit(program(), "replication", (p) => ({ ...p, rules: (p.rules as any[]).map(change) }));

export const fixtures: RuleFixtures = {
    rule: "s3-replication-delete-markers",
    cases: [
        pass("delete markers replicated", program()),
        pass("the deprecated inline form with deleteMarkerReplicationStatus Enabled", [provider(), { type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", replicationConfiguration: { role: "r", rules: [{ id: "r", status: "Enabled", deleteMarkerReplicationStatus: "Enabled", destination: { bucket: "arn:aws:s3:::c" } }] } } }]),
        fail("Disabled", "replication", setRule((r) => ({ ...r, deleteMarkerReplication: { status: "Disabled" } }))),
        fail("left out (the V2 schema's default is off)", "replication", setRule(({ deleteMarkerReplication: _d, ...r }) => r)),
        fail("the deprecated inline form without it", "legacy", [provider(), { type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", replicationConfiguration: { role: "r", rules: [{ id: "r", status: "Enabled", destination: { bucket: "arn:aws:s3:::c" } }] } } }]),
    ],
};
