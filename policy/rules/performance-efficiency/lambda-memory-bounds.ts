// lambda-memory-bounds: memory (and so CPU) within measured bounds.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { known } from "../../lib/values";

/** Lambda's default when memorySize is not set. */
const DEFAULT_MEMORY_MB = 128;

export const policy = resourceRule<{ minimumMb: number; maximumMb: number }>({
    name: "lambda-memory-bounds",
    pillar: "performance-efficiency",
    description: "Lambda memory (which also sets the CPU share) stays within the configured bounds.",
    rationale: "Below 256 MB a function gets a small fraction of a vCPU and hashing a large document crawls; above 3008 MB I/O-bound handlers pay for CPU they never use.",
    anchors: ["Serverless Rules ES1005", "Serverless Lens PERF 1", "AWS Lambda Power Tuning"],
    satisfy: "Size memorySize from measurement (npm run bench, Lambda Power Tuning) within [minimumMb, maximumMb].",
    enforcementLevel: "mandatory",
    severity: "low",
    configSchema: {
        properties: {
            minimumMb: { type: "integer", minimum: 128, maximum: 10240, default: 256, description: "Smallest memory allowed, in MB." },
            maximumMb: { type: "integer", minimum: 128, maximum: 10240, default: 3008, description: "Largest memory allowed, in MB." },
        },
    },
}, {
    types: [T.function],
    check: ({ props, config, report }) => {
        const memory = known(props, "memorySize") ?? DEFAULT_MEMORY_MB;
        if (typeof memory !== "number" || memory < config.minimumMb || memory > config.maximumMb) {
            report(`memorySize is ${JSON.stringify(memory)} MB; allowed: ${config.minimumMb}-${config.maximumMb} MB.`);
        }
    },
});
