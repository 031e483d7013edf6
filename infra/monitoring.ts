import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { METRICS, SERVICES } from "../functions/contract";
import { alarmDashboardBody } from "./dashboard";
import { HardenedFunction } from "./hardenedFunction";
import { dashboardName } from "./naming";

export interface ReplicationMetrics {
    sourceBucket: pulumi.Input<string>;
    destinationBucket: pulumi.Input<string>;
    ruleId: string;
}

export interface MonitoringArgs {
    app: string;
    region: string;
    kmsKeyArn: pulumi.Input<string>;
    alarmEmails: string[];
    /** An existing topic (e.g. a foundation's) to alarm to instead of creating one. */
    existingTopicArn?: pulumi.Input<string>;
    functions: HardenedFunction[];
    /** Replication lag (canary or S3) above this many minutes raises an alarm. */
    rpoMinutes: number;
    /** Set when this stack replicates: S3's own replication metrics are alarmed too. */
    replication?: ReplicationMetrics;
    /** Whether the canary's lag is expected: on a standby always, on a primary while it replicates. */
    expectReplicationLag: boolean;
}

/** The api's own 5xx answers (handled S3 failures, which Lambda's Errors metric does not count). */
const API_SERVER_ERRORS_PER_PERIOD = 5;
/** Seconds a function may run before its duration alarm fires, as a share of its timeout. */
const DURATION_ALARM_SHARE = 0.8;

interface AlarmSpec {
    name: string;
    description: string;
    namespace: string;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    statistic?: string;
    extendedStatistic?: string;
    threshold: number;
    period: number;
    evaluationPeriods: number;
    treatMissingData: "breaching" | "notBreaching";
}

/**
 * What on-call sees: an encrypted SNS topic (with the configured email subscriptions), and alarms on
 * it for every function (errors, throttles, duration near the timeout), every failure queue, the api's
 * 5xx answers, and
 * replication (the canary's lag against the RPO; S3's failed operations and latency while this stack
 * replicates); plus one dashboard of the region.
 */
export class Monitoring extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;
    readonly alarms: aws.cloudwatch.MetricAlarm[];
    readonly dashboard: aws.cloudwatch.Dashboard;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:operations:Monitoring", name, {}, opts);

        if (args.existingTopicArn !== undefined) {
            if (args.alarmEmails.length > 0) {
                throw new Error("tandem:alarmEmails cannot subscribe to the foundation's alarm topic, which the foundation owns; subscribe there, or leave tandem:alarmEmails empty");
            }
            this.topicArn = pulumi.output(args.existingTopicArn);
        } else {
            const topic = new aws.sns.Topic(`${name}-alarms`, {
                name: `${args.app}-alarms`,
                displayName: `Tandem alarms (${args.region})`,
                kmsMasterKeyId: args.kmsKeyArn,
            }, { parent: this });
            this.topicArn = topic.arn;
            args.alarmEmails.forEach((email, i) => new aws.sns.TopicSubscription(`${name}-email-${i}`, {
                topic: topic.arn,
                protocol: "email",
                endpoint: email,
            }, { parent: this }));
        }

        this.alarms = alarmSpecs(args).map((spec) => new aws.cloudwatch.MetricAlarm(spec.name, {
            name: spec.name,
            alarmDescription: spec.description,
            namespace: spec.namespace,
            metricName: spec.metricName,
            dimensions: spec.dimensions,
            statistic: spec.statistic,
            extendedStatistic: spec.extendedStatistic,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: spec.threshold,
            period: spec.period,
            evaluationPeriods: spec.evaluationPeriods,
            treatMissingData: spec.treatMissingData,
            actionsEnabled: true,
            alarmActions: [this.topicArn],
            okActions: [this.topicArn],
        }, { parent: this }));

        this.dashboard = new aws.cloudwatch.Dashboard(name, {
            dashboardName: dashboardName(args.app, args.region),
            dashboardBody: alarmDashboardBody({
                region: args.region,
                functions: args.functions.map((f) => ({ title: f.functionName, functionName: f.function.name, failureQueueName: f.failureQueue.name })),
                replication: args.replication,
                alarmArns: this.alarms.map((a) => a.arn),
                rpoSeconds: args.rpoMinutes * 60,
            }),
        }, { parent: this });

        this.registerOutputs({ topicArn: this.topicArn, dashboard: this.dashboard.dashboardName });
    }
}

function alarmSpecs(args: MonitoringArgs): AlarmSpec[] {
    const rpoSeconds = args.rpoMinutes * 60;
    const specs: AlarmSpec[] = args.functions.flatMap((f) => {
        // The function's output (not the plain name) makes each alarm depend on its function.
        const fn = { FunctionName: f.function.name };
        return [
            {
                name: `${f.functionName}-errors`, description: `${f.functionName} failed (unhandled errors)`,
                namespace: "AWS/Lambda", metricName: "Errors", dimensions: fn, statistic: "Sum",
                threshold: 1, period: 300, evaluationPeriods: 1, treatMissingData: "notBreaching",
            },
            {
                name: `${f.functionName}-throttles`, description: `${f.functionName} was throttled: reserved concurrency reached`,
                namespace: "AWS/Lambda", metricName: "Throttles", dimensions: fn, statistic: "Sum",
                threshold: 1, period: 300, evaluationPeriods: 1, treatMissingData: "notBreaching",
            },
            {
                name: `${f.functionName}-duration`, description: `${f.functionName} p99 duration is above ${DURATION_ALARM_SHARE * 100}% of its ${f.timeoutSeconds}s timeout`,
                namespace: "AWS/Lambda", metricName: "Duration", dimensions: fn, extendedStatistic: "p99",
                threshold: Math.round(f.timeoutSeconds * 1000 * DURATION_ALARM_SHARE), period: 300, evaluationPeriods: 1, treatMissingData: "notBreaching",
            },
            {
                name: `${f.functionName}-failed-events`, description: `Events ${f.functionName} could not process are waiting in its failure queue`,
                namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: f.failureQueue.name },
                statistic: "Maximum", threshold: 1, period: 300, evaluationPeriods: 1, treatMissingData: "notBreaching",
            },
        ];
    });
    specs.push({
        name: `${args.app}-api-server-errors`, description: `The api answered ${API_SERVER_ERRORS_PER_PERIOD} or more requests with a 5xx in 5 minutes (S3 failing or unreachable; a standby refusing a write does not count)`,
        namespace: METRICS.namespace, metricName: METRICS.apiServerErrors, dimensions: { [METRICS.serviceDimension]: SERVICES.api },
        statistic: "Sum", threshold: API_SERVER_ERRORS_PER_PERIOD, period: 300, evaluationPeriods: 1, treatMissingData: "notBreaching",
    });
    if (args.expectReplicationLag) {
        specs.push({
            name: `${args.app}-replication-lag`, description: `The newest replicated canary probe is older than the RPO (${args.rpoMinutes} min); no data means no probe arrives`,
            namespace: METRICS.namespace, metricName: METRICS.replicationLag, dimensions: { [METRICS.serviceDimension]: SERVICES.canary },
            statistic: "Maximum", threshold: rpoSeconds, period: 60, evaluationPeriods: 3, treatMissingData: "breaching",
        });
    }
    if (args.replication) {
        const rule = { SourceBucket: args.replication.sourceBucket, DestinationBucket: args.replication.destinationBucket, RuleId: args.replication.ruleId };
        specs.push(
            {
                name: `${args.app}-replication-failed`, description: "S3 failed to replicate objects to the peer region",
                namespace: "AWS/S3", metricName: "OperationsFailedReplication", dimensions: rule, statistic: "Sum",
                threshold: 1, period: 300, evaluationPeriods: 1, treatMissingData: "notBreaching",
            },
            {
                name: `${args.app}-replication-latency`, description: `S3 replication latency is above the RPO (${args.rpoMinutes} min)`,
                namespace: "AWS/S3", metricName: "ReplicationLatency", dimensions: rule, statistic: "Maximum",
                threshold: rpoSeconds, period: 300, evaluationPeriods: 1, treatMissingData: "notBreaching",
            },
        );
    }
    return specs;
}
