// What on-call uses: CloudWatch alarms (by resolution), dashboards, the custom metrics they read
// (and S3 replication metrics, billed as custom metrics), the alarm topic's notifications and the
// failure queues' messages.
import { fmt, line, LineItem } from "../lineItem";
import { RegionPrices } from "../priceBook";
import { StackSettings } from "../stackSettings";
import { Workload } from "../workload";

export function operationsLines(s: StackSettings, w: Workload, prices: RegionPrices): LineItem[] {
    const items: LineItem[] = [];
    const a = s.alarms;
    if (a.standard > 0) items.push(line(prices, "cloudwatch.alarms.standard", "CloudWatch", "alarms, standard resolution", "cloudwatch.alarm.standard", a.standard, `${a.standard} alarm metrics (period ≥ 60 s)`));
    if (a.highResolution > 0) items.push(line(prices, "cloudwatch.alarms.highResolution", "CloudWatch", "alarms, high resolution", "cloudwatch.alarm.highResolution", a.highResolution, `${a.highResolution} alarm metrics (period < 60 s)`));
    if (a.composite > 0) items.push(line(prices, "cloudwatch.alarms.composite", "CloudWatch", "composite alarms", "cloudwatch.alarm.composite", a.composite, `${a.composite} composite alarms`));
    if (s.dashboards > 0) items.push(line(prices, "cloudwatch.dashboards", "CloudWatch", "dashboards", "cloudwatch.dashboard", s.dashboards, `${s.dashboards} dashboard(s)`));
    const replicationMetrics = w.dataBucket?.replication?.metrics ?? 0;
    const metrics = s.customMetrics.length + replicationMetrics;
    if (metrics > 0) {
        items.push(line(prices, "cloudwatch.metrics.custom", "CloudWatch", "custom metrics", "cloudwatch.metric.custom", metrics,
            [...s.customMetrics, ...(replicationMetrics > 0 ? [`${replicationMetrics} S3 replication metrics`] : [])].join("; ")));
    }
    if (s.topics.length > 0) {
        items.push(line(prices, "sns.publishes", "SNS", "alarm notifications published", "sns.publish", w.alarmPublishes, `${fmt(w.alarmPublishes)} alarm state changes`));
        const emails = s.topics.reduce((n, t) => n + t.emailSubscriptions, 0);
        if (emails > 0) {
            items.push(line(prices, "sns.email", "SNS", "alarm emails", "sns.delivery.email", w.alarmPublishes * emails, `${fmt(w.alarmPublishes)} notifications × ${emails} email subscriptions`));
        }
    }
    if (s.queues.length > 0) {
        const queued = w.functions.filter((f) => f.fn.failureQueue !== undefined);
        const failed = queued.reduce((n, f) => n + f.failedEvents, 0);
        items.push(line(prices, "sqs.requests", "SQS", `failure queues (${s.queues.length})`, "sqs.request.standard", failed,
            `${fmt(failed)} failed events sent by ${queued.map((f) => f.fn.name).join(", ") || "no function"} (nothing polls the queues)`));
    }
    return items;
}
