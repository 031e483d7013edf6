// The monthly estimate of one stack: every line item, the total, the assumptions it rests on and the
// warnings a reader should see (a function whose assumed load exceeds its reserved concurrency...).
import { LineItem } from "./lineItem";
import { computeLines } from "./model/compute";
import { encryptionLines } from "./model/encryption";
import { operationsLines } from "./model/operations";
import { storageLines } from "./model/storage";
import { PriceBook, RegionPrices } from "./priceBook";
import { StackSettings } from "./stackSettings";
import { Usage } from "./usage";
import { Workload, workload } from "./workload";

export interface Estimate {
    stack: string;
    region: string;
    role: "primary" | "standby";
    usage: Usage;
    lines: LineItem[];
    totalUsd: number;
    warnings: string[];
    /** What the figures leave out or assume beyond the usage flags. */
    notes: string[];
    free: Record<string, number>;
    unpriced: Record<string, number>;
}

/** What every estimate leaves out, said once per report. */
export const GENERAL_NOTES = [
    "List prices before free tiers (they are per account, shared by both stacks), Savings Plans and volume discounts.",
    "CloudWatch Logs storage is billed on compressed bytes; the figure uses the raw bytes written (an upper bound).",
    "Not included: CloudWatch API calls from viewing dashboards, Logs Insights queries, X-Ray trace retrieval, requests by people and tools outside the application.",
];

export function estimate(settings: StackSettings, usage: Usage, book: PriceBook): Estimate {
    const prices = new RegionPrices(book, settings.region);
    const w = workload(settings, usage);
    const lines = [
        ...computeLines(w.functions, usage, prices),
        ...storageLines(w, usage, prices),
        ...encryptionLines(settings, w, usage, prices),
        ...operationsLines(settings, w, prices),
    ];
    return {
        stack: settings.stack,
        region: settings.region,
        role: settings.role,
        usage,
        lines,
        totalUsd: lines.reduce((sum, l) => sum + l.usd, 0),
        warnings: warnings(settings, w, usage),
        notes: notes(settings, w),
        free: settings.free,
        unpriced: settings.unpriced,
    };
}

function warnings(s: StackSettings, w: Workload, usage: Usage): string[] {
    const out: string[] = [];
    for (const f of w.functions) {
        const assumedMs = f.fn.trigger.kind === "http" ? usage.apiDurationMs : f.fn.trigger.kind === "objectCreated" ? usage.ingestDurationMs : usage.canaryDurationMs;
        if (f.fn.trigger.kind !== "none" && assumedMs > f.fn.timeoutSeconds * 1000) {
            out.push(`${f.fn.name}: the assumed ${assumedMs} ms exceeds its ${f.fn.timeoutSeconds} s timeout; every invocation would time out (billed at the timeout)`);
        }
        if (f.fn.reservedConcurrency !== undefined && f.averageConcurrency > f.fn.reservedConcurrency) {
            out.push(`${f.fn.name}: the assumed load needs ${f.averageConcurrency.toFixed(1)} concurrent executions on average, above its reserved concurrency of ${f.fn.reservedConcurrency}: it would be throttled`);
        }
        if (f.fn.trigger.kind === "none") {
            out.push(`${f.fn.name}: no trigger found (Function URL, S3 notification or schedule); priced at zero invocations`);
        }
    }
    for (const b of w.otherBuckets) {
        out.push(`${b.name}: no usage model for this bucket; its storage and requests are not estimated`);
    }
    for (const [type, count] of Object.entries(s.unpriced)) {
        out.push(`${type} ×${count}: not priced by this model (add it to tools/cost)`);
    }
    return out;
}

function notes(s: StackSettings, w: Workload): string[] {
    const out: string[] = [];
    if (s.role === "standby") {
        out.push("Standby: replicas of the primary's documents, manifests and probes arrive here (their replication transfer and PUTs are billed to the primary); it serves api requests only when promoted.");
        out.push("Replica creation fires this bucket's ObjectCreated notification, so ingest runs here too.");
    }
    if (w.dataBucket?.replication) {
        out.push(`Replica storage and its KMS requests are billed to the peer region's stack (${w.dataBucket.replication.destinationRegion ?? "peer"}).`);
    }
    if (s.customMetrics.length > 0) {
        out.push("Custom metrics are those the alarms and dashboard read; any other metric the functions publish is extra.");
    }
    return out;
}
