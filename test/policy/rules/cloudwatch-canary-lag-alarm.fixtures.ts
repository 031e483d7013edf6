import { drop, edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const primaryNotReplicating = () => drop(program(), "replication", "replication-role", "replication-policy", "replication-failed", "replication-latency", "replication-lag");

export const fixtures: RuleFixtures = {
    rule: "cloudwatch-canary-lag-alarm",
    cases: [
        pass("a replicating primary", program()),
        pass("a standby", program("standby")),
        pass("a promoted standby whose peer is down (not replicating: no lag to watch)", primaryNotReplicating()),
        fail("a standby without the lag alarm", "tandem-prod", drop(program("standby"), "replication-lag")),
        fail("a replicating primary without it", "tandem-prod", drop(program(), "replication-lag")),
        fail("the alarm watches another service's metric", "tandem-prod", edit(program("standby"), "replication-lag", (p) => ({ ...p, dimensions: { service: "tandem-api" } }))),
        fail("the alarm dropped the canary's dimension", "tandem-prod", edit(program(), "replication-lag", (p) => ({ ...p, dimensions: {} }))),
    ],
};
