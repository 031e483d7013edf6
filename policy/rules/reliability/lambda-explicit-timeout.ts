// lambda-explicit-timeout: the timeout is chosen, not inherited.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { isSet } from "../../lib/values";

export const policy = resourceRule({
    name: "lambda-explicit-timeout",
    pillar: "reliability",
    description: "Lambda functions set their timeout explicitly instead of inheriting the 3-second default.",
    rationale: "The 3-second default kills a large upload's ingest half-way and hides the problem as retries; a chosen timeout is also what the duration alarm and the trigger bounds are measured against.",
    anchors: ["Serverless Rules ES1006"],
    satisfy: "Set timeout (seconds) from measured latency (tandem:<fn>TimeoutSeconds); the duration alarm fires at 80% of it.",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    types: [T.function],
    check: ({ props, report }) => {
        if (!isSet(props, "timeout")) {
            report("timeout is not set: the function inherits the 3-second default.");
        }
    },
});
