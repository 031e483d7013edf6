// Renders estimates as a text table (for people) or JSON (for tools). Prices that could not be
// verified are marked in the table so nobody mistakes them for checked figures.
import { Estimate, GENERAL_NOTES } from "./estimate";
import { PriceBook, PriceKey } from "./priceBook";
import { Saving } from "./savings";
import { StorageChoice } from "./storageChoices";
import { USAGE_FLAGS } from "./usage";

export interface StackReport {
    estimate: Estimate;
    savings: Saving[];
    storageChoices: StorageChoice[];
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/** Units short enough for the table (the price file spells them out). */
const SHORT_UNITS: Record<PriceKey, string> = {
    "lambda.request": "requests", "lambda.duration.arm64": "GB-s", "lambda.duration.x86_64": "GB-s", "xray.trace.recorded": "traces",
    "s3.storage.standard": "GB-mo", "s3.storage.intelligentTiering.frequent": "GB-mo", "s3.storage.intelligentTiering.infrequent": "GB-mo",
    "s3.storage.intelligentTiering.archiveInstant": "GB-mo", "s3.intelligentTiering.monitoring": "objects", "s3.request.tier1": "requests",
    "s3.request.tier2": "requests", "s3.lifecycle.transition.intelligentTiering": "transitions", "s3.replication.timeControl": "GB",
    "dataTransfer.interRegion": "GB", "dataTransfer.internet": "GB", "kms.key": "keys", "kms.rotation": "rotations", "kms.request": "requests",
    "cloudwatch.alarm.standard": "alarms", "cloudwatch.alarm.highResolution": "alarms", "cloudwatch.alarm.composite": "alarms",
    "cloudwatch.dashboard": "dashboards", "cloudwatch.metric.custom": "metrics", "logs.ingestion.standard": "GB", "logs.storage": "GB-mo",
    "sqs.request.standard": "requests", "sns.publish": "publishes", "sns.delivery.email": "emails",
};

function quantity(q: number, price: PriceKey): string {
    const short = SHORT_UNITS[price];
    const n = q >= 1e6 ? `${(q / 1e6).toFixed(2)}M` : q >= 1e3 ? `${(q / 1e3).toFixed(1)}k` : q >= 10 || Number.isInteger(q) ? q.toFixed(0) : q >= 0.01 || q === 0 ? q.toFixed(2) : q.toPrecision(2);
    return `${n} ${short}`;
}

export function textReport(reports: StackReport[], book: PriceBook): string {
    const out: string[] = [];
    const counts = { official: 0, secondary: 0, unverified: 0 };
    for (const p of Object.values(book.prices)) counts[p.verification]++;
    for (const { estimate: e, savings, storageChoices } of reports) {
        out.push(`Tandem: monthly cost estimate for stack ${e.stack} (${e.region}, ${e.role}), month ${e.usage.month} after the first deploy`);
        out.push("");
        const rows = e.lines.map((l) => [
            l.service,
            l.description + (book.prices[l.price].verification === "unverified" ? " *" : ""),
            quantity(l.quantity, l.price),
            usd(l.usd),
        ]);
        const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ["Service", "Item", "Quantity"][c].length));
        const row = (r: string[]) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padStart(widths[2])}  ${r[3].padStart(9)}`;
        out.push(row(["Service", "Item", "Quantity", "USD/month"]));
        out.push("-".repeat(widths[0] + widths[1] + widths[2] + 15));
        rows.forEach((r) => out.push(row(r)));
        out.push("-".repeat(widths[0] + widths[1] + widths[2] + 15));
        out.push(row(["", `Total for ${e.stack}`, "", usd(e.totalUsd)]));
        out.push("");
        if (savings.length > 0) {
            out.push("What the design choices save (the same usage re-priced with the choice flipped):");
            for (const s of savings) {
                const verb = s.savingUsd >= 0 ? `saves ${usd(s.savingUsd)}/month` : `costs ${usd(-s.savingUsd)}/month more`;
                out.push(`  ${s.actual} vs ${s.alternative}: ${verb} (${usd(s.actualUsd)} vs ${usd(s.alternativeUsd)})`);
            }
            out.push("");
        }
        if (storageChoices.length > 0) {
            out.push(`Document storage at this usage (tandem:documentStorage; the stack's total with each choice, prices checked ${book.checked}):`);
            const configured = storageChoices.find((c) => c.configured)!;
            const rows = storageChoices.map((c) => {
                const marks = [c.configured && "configured", c.cheapest && "cheapest"].filter(Boolean).join(", ");
                const delta = c.configured ? "" : `(${c.totalUsd >= configured.totalUsd ? "+" : "-"}${usd(Math.abs(c.totalUsd - configured.totalUsd))})`;
                return [c.choice, usd(c.totalUsd), delta, c.description + (marks ? `  <- ${marks}` : "")];
            });
            const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
            for (const r of rows) out.push(`  ${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])} ${r[2].padEnd(widths[2])}  ${r[3]}`);
            out.push("");
        }
        const flags = Object.entries(USAGE_FLAGS).map(([flag, spec]) => `${flag} ${e.usage[spec.key]}`);
        out.push(`Usage assumed: ${flags.join(" ")}`);
        if (e.warnings.length > 0) {
            out.push("Warnings:");
            e.warnings.forEach((w) => out.push(`  ! ${w}`));
        }
        const free = Object.entries(e.free).map(([t, n]) => `${t.startsWith("pulumi:providers:") ? "Provider" : t.split(":").pop()} ×${n}`);
        if (free.length > 0) out.push(`No charge of their own: ${free.join(", ")}`);
        e.notes.forEach((n) => out.push(`Note: ${n}`));
        out.push("");
    }
    if (reports.length > 1) {
        out.push(`Total for ${reports.map((r) => r.estimate.stack).join(" + ")}: ${usd(reports.reduce((n, r) => n + r.estimate.totalUsd, 0))}/month`);
        out.push("");
    }
    out.push(`Prices: tools/cost/prices.json, checked ${book.checked}: ${counts.official} read on AWS pricing pages, ${counts.secondary} from dated secondary sources, ${counts.unverified} unverified (marked *).`);
    GENERAL_NOTES.forEach((n) => out.push(n));
    return out.join("\n");
}

export function jsonReport(reports: StackReport[], book: PriceBook): unknown {
    return {
        pricesChecked: book.checked,
        unverifiedPrices: Object.entries(book.prices).filter(([, p]) => p.verification === "unverified").map(([k]) => k),
        notes: GENERAL_NOTES,
        estimates: reports.map(({ estimate: e, savings, storageChoices }) => ({
            stack: e.stack,
            region: e.region,
            role: e.role,
            usage: e.usage,
            lines: e.lines.map((l) => ({ ...l, usd: round(l.usd), verification: book.prices[l.price].verification })),
            totalUsd: round(e.totalUsd),
            savings: savings.map((s) => ({ ...s, actualUsd: round(s.actualUsd), alternativeUsd: round(s.alternativeUsd), savingUsd: round(s.savingUsd) })),
            storageChoices: storageChoices.map((c) => ({ ...c, totalUsd: round(c.totalUsd) })),
            warnings: e.warnings,
            notes: e.notes,
            free: e.free,
            unpriced: e.unpriced,
        })),
        totalUsd: round(reports.reduce((n, r) => n + r.estimate.totalUsd, 0)),
    };
}

/** Dollars to a hundredth of a cent: enough for tiny lines, no float noise. */
const round = (n: number) => Math.round(n * 10000) / 10000;
