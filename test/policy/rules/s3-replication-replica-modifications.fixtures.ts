import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const setCriteria = (change: (c: any) => any) => edit(program(), "replication", (p) => ({ ...p, rules: (p.rules as any[]).map((r) => ({ ...r, sourceSelectionCriteria: change(r.sourceSelectionCriteria) })) }));

export const fixtures: RuleFixtures = {
    rule: "s3-replication-replica-modifications",
    cases: [
        pass("replica modifications synced", program()),
        pass("a standby has no replication to judge", program("standby")),
        fail("Disabled", "replication", setCriteria((c) => ({ ...c, replicaModifications: { status: "Disabled" } }))),
        fail("left out", "replication", setCriteria((c) => ({ sseKmsEncryptedObjects: c.sseKmsEncryptedObjects }))),
    ],
};
