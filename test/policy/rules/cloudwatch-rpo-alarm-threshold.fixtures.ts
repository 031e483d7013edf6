import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "cloudwatch-rpo-alarm-threshold",
    cases: [
        pass("thresholds at the 15-minute RPO", program()),
        pass("a longer configured RPO", edit(program(), "replication-lag", (p) => ({ ...p, threshold: 3600 })), { config: { "cloudwatch-rpo-alarm-threshold": { rpoMinutes: 60 } } }),
        fail("the canary's threshold an hour", "replication-lag", edit(program(), "replication-lag", (p) => ({ ...p, threshold: 3600 }))),
        fail("S3 latency threshold above the RPO", "replication-latency", edit(program(), "replication-latency", (p) => ({ ...p, threshold: 1800 }))),
        fail("a falling comparison", "replication-lag", edit(program("standby"), "replication-lag", (p) => ({ ...p, comparisonOperator: "LessThanThreshold" }))),
        fail("the average hides the worst lag", "replication-latency", edit(program(), "replication-latency", (p) => ({ ...p, statistic: "Average" }))),
        fail("a detection window longer than the RPO", "replication-lag", edit(program(), "replication-lag", (p) => ({ ...p, period: 600, evaluationPeriods: 3 }))),
    ],
};
