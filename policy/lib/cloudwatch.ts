// CloudWatch alarms and dashboards, and what they watch. A metric is identified by its namespace,
// its name and its exact set of dimensions (CloudWatch User Guide, "Metrics concepts: Dimensions":
// an alarm on a metric with a different dimension value watches a different metric, one nobody
// publishes). So an alarm watches a resource only when the dimension AWS keys the metric by holds
// that resource's attribute: a function's `name` for AWS/Lambda FunctionName, a queue's `name` for
// AWS/SQS QueueName, a bucket's name for AWS/S3 SourceBucket.
import { PolicyResource } from "@pulumi/policy";
import { refersTo, StackGraph } from "./graph";
import { T } from "./types";
import { asList, isUnknown, known, knownList, parseJsonValue, rawGet, rawPath } from "./values";

/** A metric an alarm watches: directly, or as one of its metric-math queries. */
export interface WatchedMetric {
    alarm: PolicyResource;
    namespace: unknown;
    metricName: unknown;
    dimensions: Record<string, unknown>;
    /** The resources the dimensions were computed from (the whole `dimensions` or `metricQueries` input). */
    deps: PolicyResource[];
    /** Reached through metricQueries rather than the alarm's own metric. */
    query: boolean;
}

function dimensionsOf(value: unknown): Record<string, unknown> {
    if (value === null || typeof value !== "object" || isUnknown(value)) {
        return {};
    }
    return Object.fromEntries(Object.keys(value).map((k) => [k, rawGet(value, k)]));
}

export function watchedMetrics(alarm: PolicyResource): WatchedMetric[] {
    const direct: WatchedMetric = {
        alarm,
        namespace: known(alarm.props, "namespace"),
        metricName: known(alarm.props, "metricName"),
        dimensions: dimensionsOf(rawGet(alarm.props, "dimensions")),
        deps: alarm.propertyDependencies.dimensions ?? [],
        query: false,
    };
    const queries = knownList(alarm.props, "metricQueries").map((q) => ({
        alarm,
        namespace: known(q, "metric", "namespace"),
        metricName: known(q, "metric", "metricName"),
        dimensions: dimensionsOf(rawPath(q, "metric", "dimensions")),
        deps: alarm.propertyDependencies.metricQueries ?? [],
        query: true,
    }));
    return [direct, ...queries].filter((m) => m.metricName !== undefined);
}

/** Every metric every alarm of the stack watches (computed once per stack). */
export function allWatchedMetrics(graph: StackGraph): WatchedMetric[] {
    return graph.cached("cloudwatch:watched", () => graph.ofType(T.metricAlarm).flatMap((a) => watchedMetrics(a)));
}

/** `Namespace:MetricName` (the form the rules' settings use). */
export function metricKey(namespace: unknown, metricName: unknown): string {
    return `${String(namespace)}:${String(metricName)}`;
}

/** Splits `Namespace:MetricName` at its last colon (namespaces such as AWS/S3 have no colon). */
export function parseMetricKey(key: string): { namespace: string; metricName: string } {
    const at = key.lastIndexOf(":");
    return { namespace: key.slice(0, at), metricName: key.slice(at + 1) };
}

/**
 * Metrics (of alarms) in `namespace` on one of `metricNames` whose `dimension` refers to `target` by
 * one of `attrs` (graph.refersTo: the exact attribute when known, the dependency otherwise).
 */
export function alarmsOn(graph: StackGraph, target: PolicyResource, namespace: string, metricNames: readonly string[], dimension: string, attrs: readonly string[]): WatchedMetric[] {
    return allWatchedMetrics(graph).filter((m) => m.namespace === namespace && metricNames.includes(m.metricName as string)
        && refersTo(m.dimensions[dimension], m.deps, target, attrs));
}

/** A metric a dashboard widget shows. */
export interface DashboardMetric {
    namespace: string;
    metricName: string;
    dimensions: Record<string, string>;
    /** The widget's region (properties.region), or the rendering option's; undefined = the dashboard's own region. */
    region?: string;
}

/**
 * The metrics a dashboard body's widgets reference. Each entry of a widget's `metrics` array is
 * `[Namespace, MetricName, DimName, DimValue, ..., {rendering options}]`, where "." repeats the value
 * at the same position of the previous entry and "..." the previous entry's values up to where this
 * one resumes (CloudWatch API Reference, "Dashboard Body Structure and Syntax: Metric Widget: Format
 * for Each Metric in the Array"). Expressions (`{expression: ...}` entries) reference no metric directly.
 */
export function dashboardMetrics(body: unknown): DashboardMetric[] | undefined {
    const parsed = parseJsonValue(body);
    if (!parsed.ok || parsed.value === null || typeof parsed.value !== "object") {
        return undefined;
    }
    const out: DashboardMetric[] = [];
    for (const widget of asList(rawGet(parsed.value, "widgets"))) {
        const metrics = rawPath(widget, "properties", "metrics");
        if (!Array.isArray(metrics)) {
            continue;
        }
        const widgetRegion = rawPath(widget, "properties", "region");
        let previous: string[] = [];
        for (const entry of metrics) {
            if (!Array.isArray(entry)) {
                continue;
            }
            const values = entry.filter((v) => typeof v === "string") as string[];
            const options = entry.find((v) => v !== null && typeof v === "object" && !Array.isArray(v));
            const region = rawGet(options, "region") ?? widgetRegion;
            const expanded: string[] = [];
            values.forEach((v, i) => {
                if (v === "...") {
                    const resumeAfter = values.length - i - 1;
                    expanded.push(...previous.slice(expanded.length, Math.max(expanded.length, previous.length - resumeAfter)));
                } else if (v === ".") {
                    expanded.push(previous[expanded.length] ?? ".");
                } else {
                    expanded.push(v);
                }
            });
            previous = expanded;
            if (expanded.length >= 2) {
                const dimensions: Record<string, string> = {};
                for (let i = 2; i + 1 < expanded.length; i += 2) {
                    dimensions[expanded[i]] = expanded[i + 1];
                }
                out.push({ namespace: expanded[0], metricName: expanded[1], dimensions, region: typeof region === "string" ? region : undefined });
            }
        }
    }
    return out;
}

/** Whether the metric's dimensions are exactly `names` (a metric with more or fewer dimensions is another metric). */
export function hasExactDimensions(m: WatchedMetric, names: readonly string[]): boolean {
    const keys = Object.keys(m.dimensions);
    return keys.length === names.length && names.every((n) => keys.includes(n));
}

/** Operators under which an alarm fires when the value rises (what every failure or lag alarm needs). */
export const RISING = ["GreaterThanThreshold", "GreaterThanOrEqualToThreshold"];

/** Whether the alarm fires when its metric rises past the threshold (metric-math alarms: decided by their expression, accepted). */
export function firesOnRise(alarm: PolicyResource): boolean {
    const op = known(alarm.props, "comparisonOperator");
    return op === undefined || RISING.includes(op as string);
}
