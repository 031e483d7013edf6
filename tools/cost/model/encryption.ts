// KMS: one charge per key (plus each rotated key material AWS still bills), and the requests the
// services make on the region key: S3 for object reads and writes (cut by S3 Bucket Keys), Lambda
// for encrypted environments, CloudWatch Logs for encrypted log streams, SQS and SNS for messages.
import { fmt, line, LineItem } from "../lineItem";
import { RegionPrices } from "../priceBook";
import { DAYS_PER_MONTH, StackSettings } from "../stackSettings";
import { Usage } from "../usage";
import { KMS_REQUESTS_PER_ENCRYPTED_PUBLISH, Workload } from "../workload";

/** Rotations AWS bills for a key at `month`: one per rotation period elapsed, up to the price's cap. */
export function billedRotations(rotationPeriodDays: number, month: number, cap: number): number {
    return Math.min(Math.floor((month * DAYS_PER_MONTH) / rotationPeriodDays), cap);
}

export function encryptionLines(s: StackSettings, w: Workload, usage: Usage, prices: RegionPrices): LineItem[] {
    const items: LineItem[] = [];
    if (s.kmsKeys.length > 0) {
        items.push(line(prices, "kms.keys", "KMS", "customer managed keys", "kms.key", s.kmsKeys.length, s.kmsKeys.map((k) => k.name).join(", ")));
        const cap = prices.entry("kms.rotation").maxBilledRotations ?? Infinity;
        const rotations = s.kmsKeys.map((k) => (k.rotation ? billedRotations(k.rotationPeriodDays, usage.month, cap) : 0));
        const total = rotations.reduce((a, b) => a + b, 0);
        if (total > 0 || s.kmsKeys.some((k) => k.rotation)) {
            items.push(line(prices, "kms.rotations", "KMS", "rotated key material still billed", "kms.rotation", total,
                s.kmsKeys.map((k, i) => `${k.name}: ${k.rotation ? `rotates every ${k.rotationPeriodDays} days, ${rotations[i]} billed rotation(s) at month ${usage.month}` : "no rotation"}`).join("; ")));
        }
    }
    const d = w.dataBucket;
    if (d && d.bucket.sseKms) {
        const reduction = d.bucket.bucketKey ? usage.bucketKeyReduction : 0;
        const requests = d.requests.kmsObjectOperations * (1 - reduction);
        items.push(line(prices, `kms.requests.s3:${d.bucket.name}`, "KMS", `${d.bucket.name}: S3 requests to KMS (Bucket Key ${d.bucket.bucketKey ? "on" : "off"})`, "kms.request", requests,
            `${fmt(d.requests.kmsObjectOperations)} encrypted object reads/writes${d.replicasIn > 0 ? ` (incl. ${fmt(d.replicasIn)} replicas in)` : ""}${d.replication ? ` (incl. ${fmt(d.replication.objects)} replicated out)` : ""}${reduction > 0 ? ` × ${+(1 - reduction).toFixed(4)} with the Bucket Key` : ", one KMS request each"}`));
    }
    let lambdaRequests = 0;
    const lambdaBasis: string[] = [];
    for (const f of w.functions) {
        // Lambda decrypts an encrypted environment when it starts an execution environment; each
        // environment writes its own log stream, for which CloudWatch Logs takes a data key (assumed:
        // AWS does not document how often Logs calls KMS).
        const why = [f.fn.environmentKms && "environment", f.fn.logGroup?.kms && "log stream"].filter(Boolean);
        if (why.length > 0) {
            lambdaRequests += f.coldStarts * why.length;
            lambdaBasis.push(`${f.fn.name}: ${fmt(f.coldStarts)} cold starts × ${why.join(" + ")}`);
        }
    }
    if (lambdaBasis.length > 0) {
        items.push(line(prices, "kms.requests.lambda", "KMS", "function environments and log streams", "kms.request", lambdaRequests, lambdaBasis.join("; ")));
    }
    let messageRequests = 0;
    const messageBasis: string[] = [];
    for (const q of s.queues.filter((q) => q.kms)) {
        // SQS reuses a data key for the queue's reuse period: at most one GenerateDataKey per period.
        const sent = w.functions.filter((f) => f.fn.failureQueue === q.name).reduce((n, f) => n + f.failedEvents, 0);
        const periods = (DAYS_PER_MONTH * 86400) / q.dataKeyReuseSeconds;
        messageRequests += Math.min(sent, periods);
        messageBasis.push(`${q.name}: ${fmt(sent)} failed events, ≤1 data key per ${q.dataKeyReuseSeconds} s`);
    }
    for (const t of s.topics.filter((t) => t.kms)) {
        messageRequests += w.alarmPublishes * KMS_REQUESTS_PER_ENCRYPTED_PUBLISH;
        messageBasis.push(`${t.name}: ${fmt(w.alarmPublishes)} alarm notifications × ${KMS_REQUESTS_PER_ENCRYPTED_PUBLISH}`);
    }
    if (messageBasis.length > 0) {
        items.push(line(prices, "kms.requests.messages", "KMS", "encrypted queues and alarm topic", "kms.request", messageRequests, messageBasis.join("; ")));
    }
    return items;
}
