// S3: document storage (Standard or Intelligent-Tiering by access tier, noncurrent versions kept by
// the lifecycle, manifests), requests, lifecycle transitions, server access logs; replication out of
// this region (transfer, replica PUTs, Replication Time Control); documents served to the internet.
import { fmt, line, LineItem } from "../lineItem";
import { RegionPrices } from "../priceBook";
import { Usage } from "../usage";
import { KB, Workload } from "../workload";

export function storageLines(w: Workload, usage: Usage, prices: RegionPrices): LineItem[] {
    const items: LineItem[] = [];
    const d = w.dataBucket;
    if (d) {
        const b = d.bucket.name;
        const t = d.tiering;
        const tieredGb = t.frequentGb + t.infrequentGb + t.archiveInstantGb;
        const standardGb = d.currentGb - tieredGb;
        if (standardGb > 0) {
            const why = t.how === "no tiering" ? "neither written in nor moved to Intelligent-Tiering"
                : t.how === "too small" ? `documents under ${fmt(t.minObjectBytes / KB)} KiB are not tiered`
                : "documents younger than the tiering age";
            items.push(line(prices, `s3.storage.standard:${b}`, "S3", `${b}: documents in S3 Standard`, "s3.storage.standard", standardGb,
                `${fmt(standardGb)} of ${fmt(d.currentGb)} GB stored (${why})`));
        }
        if (tieredGb > 0) {
            items.push(
                line(prices, `s3.storage.it.frequent:${b}`, "S3", `${b}: Intelligent-Tiering, frequent access`, "s3.storage.intelligentTiering.frequent", t.frequentGb,
                    `${fmt(tieredGb)} GB × ${+(1 - usage.idle30dShare).toFixed(3)} read within 30 days`),
                line(prices, `s3.storage.it.infrequent:${b}`, "S3", `${b}: Intelligent-Tiering, infrequent access`, "s3.storage.intelligentTiering.infrequent", t.infrequentGb,
                    `${fmt(tieredGb)} GB × ${+(usage.idle30dShare - usage.idle90dShare).toFixed(3)} idle 30-90 days`),
                line(prices, `s3.storage.it.archiveInstant:${b}`, "S3", `${b}: Intelligent-Tiering, archive instant access`, "s3.storage.intelligentTiering.archiveInstant", t.archiveInstantGb,
                    `${fmt(tieredGb)} GB × ${usage.idle90dShare} idle 90+ days`),
                line(prices, `s3.it.monitoring:${b}`, "S3", `${b}: Intelligent-Tiering monitoring`, "s3.intelligentTiering.monitoring", t.monitoredObjects,
                    `${fmt(t.monitoredObjects)} objects of ${usage.avgObjectKb} KB (current and noncurrent)`),
            );
            if (t.transitions > 0) {
                items.push(line(prices, `s3.transitions:${b}`, "S3", `${b}: lifecycle transitions to Intelligent-Tiering`, "s3.lifecycle.transition.intelligentTiering", t.transitions,
                    `${fmt(t.transitions)} new documents/month`));
            }
        }
        if (d.noncurrentGb > 0) {
            const days = d.bucket.lifecycle.noncurrentVersionDays;
            items.push(line(prices, `s3.storage.noncurrent:${b}`, "S3", `${b}: noncurrent versions (${days === undefined ? "never expire" : `kept ${days} days`})`, "s3.storage.standard", d.noncurrentGb,
                `${fmt(d.currentGb)} GB × ${usage.overwriteShare} overwritten/month × ${days === undefined ? `${usage.month} months` : `${days} days`}`));
        }
        items.push(
            line(prices, `s3.storage.manifests:${b}`, "S3", `${b}: ingest manifests`, "s3.storage.standard", d.manifestGb, `${fmt(d.objects)} manifests of ~400 B`),
            line(prices, `s3.requests.tier1:${b}`, "S3", `${b}: PUT and LIST requests`, "s3.request.tier1", d.requests.puts + d.requests.lists,
                `${fmt(d.requests.puts)} PUT + ${fmt(d.requests.lists)} LIST`),
            line(prices, `s3.requests.tier2:${b}`, "S3", `${b}: GET and HEAD requests`, "s3.request.tier2", d.requests.gets, `${fmt(d.requests.gets)} GET/HEAD`),
        );
        if (d.internetGb > 0) {
            items.push(line(prices, `transfer.internet:${b}`, "Data transfer", "documents served to clients", "dataTransfer.internet", d.internetGb,
                `${fmt(d.requests.gets)} reads × ${usage.avgObjectKb} KB (api responses and presigned downloads)`));
        }
        const r = d.replication;
        if (r) {
            const to = r.destinationRegion ?? "the peer region";
            items.push(
                line(prices, `replication.transfer:${b}`, "Data transfer", `replication to ${to}`, "dataTransfer.interRegion", r.gb, `${fmt(r.objects)} objects, ${fmt(r.gb)} GB`),
                line(prices, `replication.requests:${b}`, "S3", `replication PUT requests into ${to}`, "s3.request.tier1", r.objects, `${fmt(r.objects)} replicated objects`),
            );
            if (r.timeControl) {
                items.push(line(prices, `replication.rtc:${b}`, "S3", "Replication Time Control", "s3.replication.timeControl", r.gb, `${fmt(r.gb)} GB replicated under the 15-minute SLA`));
            }
        }
    }
    const logs = w.accessLogs;
    if (logs) {
        const days = logs.bucket.lifecycle.expirationDays;
        items.push(line(prices, `s3.storage.accessLogs:${logs.bucket.name}`, "S3", `${logs.bucket.name}: server access logs (${days === undefined ? "never expire" : `kept ${days} days`})`, "s3.storage.standard", logs.gbStored,
            `${fmt(logs.gbPerMonth)} GB/month (${usage.accessLogBytesPerRequest} B a request) at month ${usage.month}`));
    }
    return items;
}
