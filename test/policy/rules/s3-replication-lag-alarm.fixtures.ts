import { drop, edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { PEER_BUCKET, program, RULE_ID } from "../harness/scaffold";

const setDims = (dims: Record<string, unknown>) => edit(program(), "replication-latency", (p) => ({ ...p, dimensions: { ...(p.dimensions as object), ...dims } }));

export const fixtures: RuleFixtures = {
    rule: "s3-replication-lag-alarm",
    cases: [
        pass("the latency alarm names the rule", program()),
        pass("a preview", program(), { preview: true }),
        fail("the latency alarm removed", "replication", drop(program(), "replication-latency")),
        fail("a RuleId matching no rule", "replication", setDims({ RuleId: "replicate-everything" })),
        fail("the destination bucket's ARN in DestinationBucket", "replication", setDims({ DestinationBucket: `arn:aws:s3:::${PEER_BUCKET}` })),
        fail("the SourceBucket holds the bucket's ARN", "replication", setDims({ SourceBucket: ref("data", "arn") })),
        fail("dimensions without RuleId", "replication", edit(program(), "replication-latency", (p) => ({ ...p, dimensions: { SourceBucket: ref("data", "bucket"), DestinationBucket: PEER_BUCKET } }))),
        fail("the rule renamed, the alarm not", "replication", edit(program(), "replication", (p) => ({ ...p, rules: (p.rules as any[]).map((r) => ({ ...r, id: `${RULE_ID}-v2` })) }))),
    ],
};
