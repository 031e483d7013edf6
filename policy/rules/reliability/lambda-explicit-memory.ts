// lambda-explicit-memory: memory is chosen, not inherited.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { isSet } from "../../lib/values";

export const policy = resourceRule({
    name: "lambda-explicit-memory",
    pillar: "reliability",
    description: "Lambda functions set their memory explicitly instead of inheriting the 128 MB default.",
    rationale: "Memory also sets the CPU share; at 128 MB streaming and hashing a document is slow enough to hit the timeout under load.",
    anchors: ["Serverless Rules ES1005"],
    satisfy: "Set memorySize (MB) from measurement (tandem:<fn>MemoryMb).",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    types: [T.function],
    check: ({ props, report }) => {
        if (!isSet(props, "memorySize")) {
            report("memorySize is not set: the function inherits 128 MB and the CPU share that comes with it.");
        }
    },
});
