import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { METRICS, PREFIX, SERVICES } from "../functions/contract";
import { canaryCallbackFactory } from "../functions/callbacks";
import { AlarmTarget, raiseAlarms } from "./alarms";
import { FunctionSettings } from "./config";
import { Panel, Watched } from "./dashboard";
import { FunctionContext, objectArns, tandemFunction } from "./functionContext";
import { FunctionAlarmThresholds, HardenedFunction } from "./hardenedFunction";
import { functionName } from "./naming";

export interface ReplicationCanaryArgs {
    context: FunctionContext;
    settings: FunctionSettings;
    /** How often the canary runs: an EventBridge rate expression. Default `rate(1 minute)`. */
    schedule?: string;
    /** Recovery point objective: the lag alarm's threshold and the dashboard's RPO line. */
    rpoMinutes: number;
    /** Alarm on the lag where lag is expected (a standby; a primary while it replicates). Default true. */
    lagAlarm?: boolean;
    alarms: AlarmTarget & Partial<FunctionAlarmThresholds>;
}

const DEFAULT_SCHEDULE = "rate(1 minute)";
/** Lag alarm: three periods in a row above the RPO (or without a probe) before on-call is woken. */
const LAG_EVALUATION_PERIODS = 3;

/**
 * The replication canary, run on an EventBridge schedule (every minute by default): the primary writes
 * a probe, and each side publishes how old the newest replicated probe is (ReplicationLagSeconds), the
 * live recovery point, alarmed against the RPO. Only the primary may write probes.
 */
export class ReplicationCanary extends pulumi.ComponentResource implements Watched {
    readonly alarmArns: pulumi.Output<string>[];
    readonly panels: Panel[];

    constructor(name: string, args: ReplicationCanaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:app:ReplicationCanary", name, {}, opts);
        const ctx = args.context;
        const [probes] = objectArns(ctx.bucketArn, PREFIX.probes);
        const schedule = rateSchedule(name, args.schedule ?? DEFAULT_SCHEDULE);
        const rpoSeconds = args.rpoMinutes * 60;
        const lagAlarm = args.lagAlarm ?? true;
        if (lagAlarm && rpoSeconds <= schedule.periodSeconds) {
            throw new Error(`ReplicationCanary ${name}: the RPO (${args.rpoMinutes} min) must be longer than the probe period (${schedule.every}): the newest probe is up to a period old even when replication is instant, so the lag alarm would never rest`);
        }

        const fn = new HardenedFunction(name, {
            ...tandemFunction(ctx, "canary", args.settings),
            description: `Tandem replication canary (${ctx.role}) in ${ctx.region}`,
            callbackFactory: canaryCallbackFactory,
            // A scheduled probe that failed is stale by the next run: no retries.
            asyncRetries: 0,
            role: {
                statements: [
                    { Sid: "ListProbes", Action: "s3:ListBucket", Resource: ctx.bucketArn },
                    {
                        Sid: ctx.role === "primary" ? "ReadWriteProbes" : "ReadProbes",
                        Action: ctx.role === "primary" ? ["s3:GetObject", "s3:PutObject"] : "s3:GetObject",
                        Resource: probes,
                    },
                ],
                permissionsBoundary: ctx.permissionsBoundary,
            },
            alarms: args.alarms,
        }, { parent: this });

        const rule = new aws.cloudwatch.EventRule(name, {
            name: functionName(ctx.app, "canary-schedule"),
            description: `Runs the replication canary ${schedule.every}`,
            scheduleExpression: schedule.expression,
        }, { parent: this });

        const permission = new aws.lambda.Permission(name, {
            function: fn.functionName,
            action: "lambda:InvokeFunction",
            principal: "events.amazonaws.com",
            sourceArn: rule.arn,
            sourceAccount: ctx.accountId,
        }, { parent: this });

        new aws.cloudwatch.EventTarget(name, {
            rule: rule.name,
            arn: fn.functionArn,
            // 60 s is the shortest age EventBridge accepts; a late probe only delays the measurement.
            retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
        }, { parent: this, dependsOn: [permission] });

        const lag = { [METRICS.serviceDimension]: SERVICES.canary };
        this.alarmArns = [...fn.alarmArns, ...(lagAlarm ? raiseAlarms(this, name, args.alarms, [{
            key: "replication-lag", name: `${ctx.app}-replication-lag`,
            description: `The newest replicated canary probe is older than the RPO (${args.rpoMinutes} min); no data means no probe arrives`,
            namespace: METRICS.namespace, metricName: METRICS.replicationLag, dimensions: lag, statistic: "Maximum",
            // One period per probe: a shorter one would see missing data (breaching) between probes.
            threshold: rpoSeconds, period: schedule.periodSeconds, evaluationPeriods: LAG_EVALUATION_PERIODS, treatMissingData: "breaching",
        }]) : [])];
        this.panels = [
            {
                row: "replication", title: "Replication lag: age of the newest replicated canary probe (s)", rpoSeconds,
                metrics: [[METRICS.namespace, METRICS.replicationLag, METRICS.serviceDimension, SERVICES.canary, { stat: "Maximum" }]],
            },
            ...fn.panels,
        ];

        this.registerOutputs({ functionArn: fn.functionArn, schedule: rule.name });
    }
}

const RATE = /^rate\((\d+) (minute|hour|day)(s?)\)$/;
const UNIT_SECONDS = { minute: 60, hour: 3600, day: 86400 } as const;

/**
 * A rate expression as EventBridge takes it: `rate(value unit)`, a positive integer and minute(s),
 * hour(s) or day(s), singular for 1 and plural above ("Rate expressions reference", Amazon
 * EventBridge User Guide). Cron is refused: the lag alarm needs the probe period.
 */
function rateSchedule(name: string, expression: string): { expression: string; periodSeconds: number; every: string } {
    const match = RATE.exec(expression);
    const value = Number(match?.[1]);
    if (!match || value < 1 || (value === 1) !== (match[3] === "")) {
        throw new Error(`ReplicationCanary ${name}: schedule is ${JSON.stringify(expression)}; allowed: a rate expression, rate(1 minute), rate(5 minutes), rate(1 hour)...`);
    }
    const unit = match[2] as keyof typeof UNIT_SECONDS;
    return { expression, periodSeconds: value * UNIT_SECONDS[unit], every: value === 1 ? `every ${unit}` : `every ${value} ${unit}s` };
}
