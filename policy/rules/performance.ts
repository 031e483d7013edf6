// Performance efficiency: functions run on Graviton with memory (and so CPU) sized within bounds.
import { T } from "../lib/aws";
import { resourceRule, TandemPolicy } from "../lib/rule";
import { known, knownList } from "../lib/values";

export const arm64 = resourceRule({
    name: "lambda-arm64",
    pillar: "performance-efficiency",
    description: "Lambda functions run on arm64 (Graviton): better price-performance than x86_64.",
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

/** Lambda's default when memorySize is not set. */
const DEFAULT_MEMORY_MB = 128;

export const memoryBounds = resourceRule<{ minimumMb: number; maximumMb: number }>({
    name: "lambda-memory-bounds",
    pillar: "performance-efficiency",
    description: "Lambda memory (which also sets the CPU share) stays within the configured bounds.",
    anchors: ["Serverless Rules ES1005", "Serverless Lens PERF 1", "AWS Lambda Power Tuning"],
    satisfy: "Size memorySize from measurement (npm run bench, Lambda Power Tuning) within [minimumMb, maximumMb]; below 256 MB a function gets a small fraction of a vCPU, above 3008 MB it rarely pays off for I/O-bound code.",
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

export const performancePolicies: TandemPolicy[] = [arm64, memoryBounds];
