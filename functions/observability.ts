// Structured JSON logs and CloudWatch Embedded Metric Format (EMF) metrics.
//
// Written here rather than taken from Powertools for AWS Lambda because Powertools' logger + metrics
// cost more bundle and cold start than the whole budget allows (measured in docs/functions.md: about
// 340 KiB zipped against a 256 KiB goal, and ~25 ms of module loading per cold start). The surface
// mirrors Powertools' (`info(message, attributes)`, `addMetric(name, unit, value)` +
// `publishStoredMetrics()`) so the two can be swapped behind these interfaces.
//
// Every line is one JSON object on stdout, which Lambda ships to CloudWatch Logs as-is; CloudWatch
// extracts the metrics from lines that carry an `_aws` member (EMF).

import type { InvocationContext } from "./invocation";

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

export interface Logger {
    debug(message: string, attributes?: Record<string, unknown>): void;
    info(message: string, attributes?: Record<string, unknown>): void;
    warn(message: string, attributes?: Record<string, unknown>): void;
    error(message: string, attributes?: Record<string, unknown>): void;
    /** Starts an invocation: request id, trace id and cold-start flag are added to every line until the next. */
    startInvocation(context: InvocationContext | undefined): void;
}

export type MetricUnit = "Seconds" | "Milliseconds" | "Count" | "Bytes" | "Percent" | "None";

export interface Metrics {
    /** Stores one value; values of the same name are published together (EMF allows up to 100 values). */
    addMetric(name: string, unit: MetricUnit, value: number): void;
    /** Writes the stored values as one EMF line and clears them. Writes nothing when none are stored. */
    publishStoredMetrics(): void;
}

/** Where a line goes. Defaults to stdout; tests and the local runner may capture it. */
export type LineWriter = (line: string) => void;

const LEVELS: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

function stdoutWriter(line: string): void {
    process.stdout.write(line + "\n");
}

/** Lambda's advanced logging controls set AWS_LAMBDA_LOG_LEVEL; anything unknown means INFO. */
export function logLevelFrom(value: string | undefined): LogLevel {
    const upper = (value ?? "").toUpperCase();
    if (upper === "TRACE" || upper === "DEBUG") return "DEBUG";
    if (upper === "WARN") return "WARN";
    if (upper === "ERROR" || upper === "FATAL") return "ERROR";
    return "INFO";
}

/** Turns an error (or anything thrown) into plain JSON fields, keeping the AWS SDK's useful ones. */
export function errorFields(error: unknown): Record<string, unknown> {
    if (error instanceof Error) {
        const e = error as Error & { code?: unknown; $metadata?: { httpStatusCode?: number; requestId?: string }; $fault?: unknown };
        const fields: Record<string, unknown> = { name: e.name, message: e.message };
        if (e.code !== undefined) fields.code = e.code;
        if (e.$fault !== undefined) fields.fault = e.$fault;
        if (e.$metadata?.httpStatusCode !== undefined) fields.httpStatusCode = e.$metadata.httpStatusCode;
        if (e.$metadata?.requestId !== undefined) fields.awsRequestId = e.$metadata.requestId;
        if (e.stack !== undefined) fields.stack = e.stack.split("\n").slice(0, 8).join("\n");
        if (e.cause !== undefined) fields.cause = errorFields(e.cause);
        return fields;
    }
    return { message: String(error) };
}

function replacer(_key: string, value: unknown): unknown {
    if (value instanceof Error) return errorFields(value);
    if (typeof value === "bigint") return value.toString();
    return value;
}

export interface LoggerOptions {
    service: string;
    level?: LogLevel;
    write?: LineWriter;
    /** Keys added to every line (e.g. region, role). */
    keys?: Record<string, unknown>;
    now?: () => number;
}

export function createLogger(options: LoggerOptions): Logger {
    const write = options.write ?? stdoutWriter;
    const threshold = LEVELS[options.level ?? "INFO"];
    const now = options.now ?? Date.now;
    const base = { service: options.service, ...(options.keys ?? {}) };
    let invocation: Record<string, unknown> = {};
    let coldStart = true;

    function emit(level: LogLevel, message: string, attributes?: Record<string, unknown>): void {
        if (LEVELS[level] < threshold) return;
        const line: Record<string, unknown> = {
            timestamp: new Date(now()).toISOString(),
            level,
            message,
            ...base,
            ...invocation,
            ...(attributes ?? {}),
        };
        let text: string;
        try {
            text = JSON.stringify(line, replacer);
        } catch (error) {
            // A circular or otherwise unserializable attribute must not lose the line.
            text = JSON.stringify({ timestamp: line.timestamp, level, message, ...base, ...invocation, logError: String(error) });
        }
        try {
            write(text);
        } catch {
            // Logging never breaks the request.
        }
    }

    return {
        debug: (m, a) => emit("DEBUG", m, a),
        info: (m, a) => emit("INFO", m, a),
        warn: (m, a) => emit("WARN", m, a),
        error: (m, a) => emit("ERROR", m, a),
        startInvocation(context) {
            invocation = {};
            if (context?.awsRequestId) invocation.requestId = context.awsRequestId;
            if (context?.functionName) invocation.functionName = context.functionName;
            const trace = process.env._X_AMZN_TRACE_ID;
            if (trace) invocation.xrayTraceId = trace.split(";")[0].replace(/^Root=/, "");
            invocation.coldStart = coldStart;
            coldStart = false;
        },
    };
}

export interface MetricsOptions {
    namespace: string;
    /** The value of the single dimension (METRICS.serviceDimension). */
    service: string;
    /** The dimension's name. */
    dimension: string;
    write?: LineWriter;
    now?: () => number;
    /** Extra properties written on the line (searchable in Logs Insights); never dimensions. */
    properties?: () => Record<string, unknown>;
}

const UNITS: Record<MetricUnit, true> = { Seconds: true, Milliseconds: true, Count: true, Bytes: true, Percent: true, None: true };

/**
 * EMF metrics with exactly one dimension set: `[[dimension]]` with value `service`. Nothing else is ever
 * added as a dimension, so the alarms can be built on exactly that set.
 */
export function createMetrics(options: MetricsOptions): Metrics {
    const write = options.write ?? stdoutWriter;
    const now = options.now ?? Date.now;
    const stored = new Map<string, { unit: MetricUnit; values: number[] }>();
    return {
        addMetric(name, unit, value) {
            if (UNITS[unit] !== true) throw new Error(`Unknown metric unit ${unit}`);
            if (!Number.isFinite(value)) throw new Error(`Metric ${name} must be a finite number, got ${value}`);
            if (name === options.dimension || name === "_aws") throw new Error(`Metric name ${name} is reserved`);
            const entry = stored.get(name);
            if (entry === undefined) {
                stored.set(name, { unit, values: [value] });
            } else {
                if (entry.unit !== unit) throw new Error(`Metric ${name} was stored with unit ${entry.unit}, not ${unit}`);
                if (entry.values.length >= 100) throw new Error(`Metric ${name} has 100 values already`);
                entry.values.push(value);
            }
        },
        publishStoredMetrics() {
            if (stored.size === 0) return;
            const extra = options.properties?.() ?? {};
            const line: Record<string, unknown> = { ...extra };
            const definitions: Array<{ Name: string; Unit: MetricUnit }> = [];
            for (const [name, { unit, values }] of stored) {
                definitions.push({ Name: name, Unit: unit });
                line[name] = values.length === 1 ? values[0] : values;
            }
            line[options.dimension] = options.service;
            line._aws = {
                Timestamp: now(),
                CloudWatchMetrics: [{ Namespace: options.namespace, Dimensions: [[options.dimension]], Metrics: definitions }],
            };
            stored.clear();
            try {
                write(JSON.stringify(line));
            } catch {
                // Metrics never break the request.
            }
        },
    };
}
