// Lambda (requests and duration at each function's memory and architecture), X-Ray traces for
// functions with active tracing, and CloudWatch Logs for each function's log group.
import { fmt, line, LineItem } from "../lineItem";
import { RegionPrices } from "../priceBook";
import { Usage } from "../usage";
import { FunctionWorkload } from "../workload";

export function computeLines(functions: FunctionWorkload[], usage: Usage, prices: RegionPrices): LineItem[] {
    return functions.flatMap((w) => {
        const f = w.fn;
        const name = f.name;
        const items: LineItem[] = [
            line(prices, `lambda.requests:${name}`, "Lambda", `${name}: requests`, "lambda.request", w.invocations,
                `${fmt(w.invocations)} invocations (${triggerText(w)})`),
            line(prices, `lambda.duration:${name}`, "Lambda", `${name}: duration (${f.architecture}, ${f.memoryMb} MB)`,
                f.architecture === "arm64" ? "lambda.duration.arm64" : "lambda.duration.x86_64", w.gbSeconds,
                `${fmt(w.invocations)} × ${fmt(w.billedMs)} ms × ${f.memoryMb / 1024} GB`),
        ];
        if (f.tracing) {
            items.push(line(prices, `xray.traces:${name}`, "X-Ray", `${name}: traces (active tracing)`, "xray.trace.recorded", w.tracesRecorded,
                `default sampling (1/s + 5%) of ${fmt(w.invocations)} invocations`));
        }
        if (f.logGroup) {
            const retention = f.logGroup.retentionDays === undefined ? "never expires" : `${f.logGroup.retentionDays}-day retention`;
            items.push(
                line(prices, `logs.ingestion:${name}`, "CloudWatch Logs", `${name}: log ingestion`, "logs.ingestion.standard", w.logGbPerMonth,
                    `${fmt(w.invocations)} × ${usage.logBytesPerInvocation} B`),
                line(prices, `logs.storage:${name}`, "CloudWatch Logs", `${name}: log storage (${retention})`, "logs.storage", w.logGbStored,
                    `${fmt(w.logGbPerMonth)} GB/month held ${retention === "never expires" ? `for ${usage.month} months` : `up to ${f.logGroup.retentionDays} days`}, at month ${usage.month}`),
            );
        }
        return items;
    });
}

function triggerText(w: FunctionWorkload): string {
    const t = w.fn.trigger;
    const retries = w.failedEvents > 0 ? `, + ${fmt(w.failedEvents * w.fn.asyncRetries)} retries` : "";
    switch (t.kind) {
        case "http": return "Function URL requests";
        case "objectCreated": return `objects created under ${t.prefix || "the bucket"}${retries}`;
        case "schedule": return `${t.expression}${retries}`;
        case "none": return "no trigger found";
    }
}
