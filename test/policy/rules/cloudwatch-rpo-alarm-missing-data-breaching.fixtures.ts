import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "cloudwatch-rpo-alarm-missing-data-breaching",
    cases: [
        pass("the canary lag alarm treats missing data as breaching", program()),
        pass("S3's ReplicationLatency (published only while replicating) may treat it as notBreaching", program("primary")),
        fail("notBreaching", "replication-lag", edit(program(), "replication-lag", (p) => ({ ...p, treatMissingData: "notBreaching" }))),
        fail("left out (CloudWatch's default: missing)", "replication-lag", edit(program(), "replication-lag", (p) => ({ ...p, treatMissingData: undefined }))),
        fail("ignore", "replication-lag", edit(program("standby"), "replication-lag", (p) => ({ ...p, treatMissingData: "ignore" }))),
    ],
};
