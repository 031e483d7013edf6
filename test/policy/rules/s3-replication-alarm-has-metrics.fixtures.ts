import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const setDestination = (change: (d: any) => any) => edit(program(), "replication", (p) => ({ ...p, rules: (p.rules as any[]).map((r) => ({ ...r, destination: change(r.destination) })) }));

export const fixtures: RuleFixtures = {
    rule: "s3-replication-alarm-has-metrics",
    cases: [
        pass("metrics enabled on the rule both alarms name", program()),
        pass("Replication Time Control (metrics come with it)", setDestination((d) => ({ ...d, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } }, replicationTime: { status: "Enabled", time: { minutes: 15 } } }))),
        fail("metrics turned off: the latency alarm sees no data", "replication-latency", setDestination(({ metrics: _m, ...d }) => d)),
        fail("an alarm whose RuleId names no rule", "replication-failed", edit(program(), "replication-failed", (p) => ({ ...p, dimensions: { ...(p.dimensions as object), RuleId: "all-objects" } }))),
        fail("an alarm on a rule that is disabled", "replication-latency", edit(program(), "replication", (p) => ({ ...p, rules: (p.rules as any[]).map((r) => ({ ...r, status: "Disabled" })) }))),
    ],
};
