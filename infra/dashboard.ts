// The body of the region's CloudWatch dashboard: alarm states first, then replication (the RPO
// on-call watches during an incident), then each function and its failure queue.
import * as pulumi from "@pulumi/pulumi";
import { METRICS, SERVICES } from "../functions/contract";
import type { ReplicationMetrics } from "./monitoring";

export interface DashboardInput {
    region: string;
    functions: { title: string; functionName: pulumi.Input<string>; failureQueueName: pulumi.Input<string> }[];
    replication?: ReplicationMetrics;
    alarmArns: pulumi.Input<string>[];
    rpoSeconds: number;
}

const FULL = 24;
const HALF = 12;
const THIRD = 8;
const HEIGHT = 6;

type Metric = pulumi.Input<string | { stat?: string; label?: string }>[];

function metricWidget(title: string, region: string, metrics: Metric[], width: number, extra: object = {}) {
    return { type: "metric", width, height: HEIGHT, properties: { title, region, view: "timeSeries", stacked: false, period: 60, metrics, ...extra } };
}

export function alarmDashboardBody(input: DashboardInput): pulumi.Output<string> {
    const { region } = input;
    const rpoLine = { annotations: { horizontal: [{ label: "RPO", value: input.rpoSeconds }] } };
    const replicationWidgets = [
        metricWidget("Replication lag: age of the newest replicated canary probe (s)", region,
            [[METRICS.namespace, METRICS.replicationLag, METRICS.serviceDimension, SERVICES.canary, { stat: "Maximum" }]],
            input.replication ? HALF : FULL, rpoLine),
    ];
    if (input.replication) {
        const r = input.replication;
        const dims = ["SourceBucket", r.sourceBucket, "DestinationBucket", r.destinationBucket, "RuleId", r.ruleId];
        replicationWidgets.push(metricWidget("S3 replication: latency (s) and failed operations", region, [
            ["AWS/S3", "ReplicationLatency", ...dims, { stat: "Maximum" }],
            ["AWS/S3", "OperationsFailedReplication", ...dims, { stat: "Sum" }],
            ["AWS/S3", "OperationsPendingReplication", ...dims, { stat: "Maximum" }],
        ], HALF, rpoLine));
    }
    const functionWidgets = input.functions.flatMap((f) => [
        metricWidget(`${f.title}: invocations, errors, throttles`, region, [
            ["AWS/Lambda", "Invocations", "FunctionName", f.functionName, { stat: "Sum" }],
            ["AWS/Lambda", "Errors", "FunctionName", f.functionName, { stat: "Sum" }],
            ["AWS/Lambda", "Throttles", "FunctionName", f.functionName, { stat: "Sum" }],
        ], THIRD),
        metricWidget(`${f.title}: duration p50 / p99 (ms)`, region, [
            ["AWS/Lambda", "Duration", "FunctionName", f.functionName, { stat: "p50" }],
            ["AWS/Lambda", "Duration", "FunctionName", f.functionName, { stat: "p99" }],
        ], THIRD),
        metricWidget(`${f.title}: failed events waiting`, region, [
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", f.failureQueueName, { stat: "Maximum" }],
        ], THIRD),
    ]);
    const apiErrors = metricWidget("api: requests answered with a 5xx", region,
        [[METRICS.namespace, METRICS.apiServerErrors, METRICS.serviceDimension, SERVICES.api, { stat: "Sum" }]], FULL);
    return pulumi.jsonStringify({
        widgets: [
            { type: "alarm", width: FULL, height: 4, properties: { title: `Alarms (${region})`, alarms: input.alarmArns } },
            ...replicationWidgets,
            apiErrors,
            ...functionWidgets,
        ],
    });
}
