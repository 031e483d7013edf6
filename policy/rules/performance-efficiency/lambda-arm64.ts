// lambda-arm64: functions run on Graviton.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { knownList } from "../../lib/values";

export const policy = resourceRule({
    name: "lambda-arm64",
    pillar: "performance-efficiency",
    description: "Lambda functions run on arm64 (Graviton): better price-performance than x86_64.",
    rationale: "arm64 functions cost about 20% less per GB-second and run this pure-JavaScript code at least as fast; nothing in the bundle is x86-only.",
    anchors: ["Serverless Lens PERF 1", "Well-Architected PERF02-BP01", "AWS Compute Optimizer: Lambda on Graviton"],
    satisfy: "Set architectures: [\"arm64\"] (HardenedFunction does); bundle no x86-only native modules.",
    enforcementLevel: "mandatory",
    severity: "low",
}, {
    types: [T.function],
    check: ({ props, report }) => {
        const architectures = knownList(props, "architectures");
        if (architectures.length !== 1 || architectures[0] !== "arm64") {
            report(`architectures is ${JSON.stringify(architectures.length > 0 ? architectures : ["x86_64"])}: use ["arm64"].`);
        }
    },
});
