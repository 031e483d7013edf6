import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaCodePathOptions } from "../functions/callbacks";
import { AlarmSpec, AlarmTarget, raiseAlarms } from "./alarms";
import { FunctionSettings } from "./config";
import { Panel, Watched, WIDTH } from "./dashboard";
import { adopted, CreateOrAdopt } from "./existing";
import { FunctionDeployment } from "./functionContext";
import { policyJson, serviceTrustPolicy, Statement } from "./iamDocument";
import { functionLogGroupName } from "./naming";

/** CallbackFunction serializes JavaScript: only the Node.js runtimes run it. */
export type NodeRuntime = Extract<aws.lambda.Runtime, `nodejs${string}`>;
export type Architecture = "arm64" | "x86_64";

/** The role's policy: what the handler needs; logging, tracing, the failure queue and the key are added. */
export interface NewRoleArgs {
    statements: Statement[];
    permissionsBoundary?: pulumi.Input<string>;
}

/**
 * A role made elsewhere, by ARN. Nothing is attached to it: it must already let Lambda assume it and
 * allow what the handler needs, writing to the function's log group, sending traces, sending to the
 * failure queue and using the region key.
 */
export interface ExistingRole {
    arn: pulumi.Input<string>;
}

export interface FunctionAlarmThresholds {
    /** Unhandled errors in five minutes. */
    errors: number;
    /** Throttled invocations in five minutes. */
    throttles: number;
    /** The p99 duration alarm fires at this share of the timeout (0 to 1). */
    durationShareOfTimeout: number;
    /** Events waiting in the failure queue. */
    failedEvents: number;
}

export const FUNCTION_ALARM_DEFAULTS: FunctionAlarmThresholds = { errors: 1, throttles: 1, durationShareOfTimeout: 0.8, failedEvents: 1 };

export interface HardenedFunctionArgs extends FunctionSettings, FunctionDeployment {
    functionName: string;
    description: string;
    /** Returns the handler; runs once per cold start (clients are made there). */
    callbackFactory: aws.lambda.CallbackFactory<any, any>;
    environment: Record<string, pulumi.Input<string>>;
    role: CreateOrAdopt<ExistingRole, NewRoleArgs>;
    /** Default nodejs22.x. */
    runtime?: NodeRuntime;
    /** Default arm64 (Graviton: cheaper per GB-second than x86_64). */
    architecture?: Architecture;
    /** Retries of a failed asynchronous invocation before the event goes to the failure queue (0-2). */
    asyncRetries?: number;
    alarms: AlarmTarget & Partial<FunctionAlarmThresholds>;
}

/** Failed events wait two weeks (the SQS maximum) for someone to look at them. */
const FAILURE_RETENTION_SECONDS = 14 * 24 * 3600;
/** SQS asks KMS for a new data key at most once a day instead of every five minutes. */
const QUEUE_DATA_KEY_REUSE_SECONDS = 24 * 3600;
/** An event older than this is not worth retrying: it goes to the failure queue. */
const MAX_EVENT_AGE_SECONDS = 3600;
const ALARM_PERIOD_SECONDS = 300;

/**
 * One Lambda function, hardened: its own role with exactly the statements it is given (never the
 * broad managed policies CallbackFunction would attach) or an adopted role, its log group created
 * first with retention and KMS, arm64 on nodejs22.x unless told otherwise, X-Ray active, explicit
 * memory / timeout / reserved concurrency, the environment encrypted with the region key, failed
 * asynchronous events sent to a KMS-encrypted SQS queue, and alarms on its errors, throttles,
 * duration near the timeout and failed events. The code is the inline-bundled callback, without the
 * SDK the runtime already has.
 */
export class HardenedFunction extends pulumi.ComponentResource implements Watched {
    readonly functionName: pulumi.Output<string>;
    readonly functionArn: pulumi.Output<string>;
    readonly alarmArns: pulumi.Output<string>[];
    readonly panels: Panel[];

    constructor(name: string, args: HardenedFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:compute:HardenedFunction", name, {}, opts);
        const runtime = args.runtime ?? aws.lambda.Runtime.NodeJS22dX;
        if (!runtime.startsWith("nodejs")) {
            throw new Error(`HardenedFunction ${name}: runtime is ${runtime}; allowed: a Node.js runtime (nodejs22.x, ...), the only kind CallbackFunction's serialized JavaScript runs on`);
        }

        const logGroup = new aws.cloudwatch.LogGroup(name, {
            name: functionLogGroupName(args.functionName),
            retentionInDays: args.logRetentionDays,
            kmsKeyId: args.kmsKeyArn,
        }, { parent: this });

        const failureQueue = new aws.sqs.Queue(`${name}-failures`, {
            name: `${args.functionName}-failures`,
            kmsMasterKeyId: args.kmsKeyArn,
            kmsDataKeyReusePeriodSeconds: QUEUE_DATA_KEY_REUSE_SECONDS,
            messageRetentionSeconds: FAILURE_RETENTION_SECONDS,
        }, { parent: this });

        const existingRole = adopted(`HardenedFunction ${name}: role`, args.role);
        let roleArn: pulumi.Input<string>;
        let roleReady: pulumi.Resource[] = [];
        if (existingRole !== undefined) {
            roleArn = existingRole.arn;
        } else {
            const newRole = args.role as NewRoleArgs;
            const role = new aws.iam.Role(name, {
                name: `${args.functionName}-${args.region}`,
                description: `Execution role of ${args.functionName} in ${args.region}`,
                assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", args.accountId),
                permissionsBoundary: newRole.permissionsBoundary,
            }, { parent: this });

            roleReady = [new aws.iam.RolePolicy(name, {
                role: role.id,
                policy: policyJson([
                    ...newRole.statements,
                    {
                        Sid: "WriteOwnLogs",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: pulumi.interpolate`${logGroup.arn}:*`,
                    },
                    {
                        // X-Ray's write actions have no resource-level permissions: "*" is the only form.
                        Sid: "SendTraces",
                        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                        Resource: "*",
                    },
                    { Sid: "SendFailedEvents", Action: "sqs:SendMessage", Resource: failureQueue.arn },
                    {
                        // Decrypts the environment; encrypts messages for the failure queue.
                        Sid: "UseRegionKey",
                        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: args.kmsKeyArn,
                    },
                ]),
            }, { parent: this })];
            roleArn = role.arn;
        }

        const fn = new aws.lambda.CallbackFunction(name, {
            name: args.functionName,
            description: args.description,
            callbackFactory: args.callbackFactory,
            codePathOptions: lambdaCodePathOptions(),
            role: roleArn,
            runtime,
            architectures: [args.architecture ?? "arm64"],
            memorySize: args.memoryMb,
            timeout: args.timeoutSeconds,
            reservedConcurrentExecutions: args.reservedConcurrency,
            tracingConfig: { mode: "Active" },
            kmsKeyArn: args.kmsKeyArn,
            environment: { variables: args.environment },
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        }, { parent: this, dependsOn: roleReady });

        new aws.lambda.FunctionEventInvokeConfig(name, {
            functionName: fn.name,
            maximumRetryAttempts: args.asyncRetries ?? 2,
            maximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS,
            destinationConfig: { onFailure: { destination: failureQueue.arn } },
        }, { parent: this });

        this.functionName = fn.name;
        this.functionArn = fn.arn;
        // The function's and the queue's outputs (not the plain names) make each alarm and panel depend on them.
        const watched = { title: args.functionName, functionName: fn.name, queueName: failureQueue.name, timeoutSeconds: args.timeoutSeconds };
        this.alarmArns = raiseAlarms(this, name, args.alarms, functionAlarms(watched, { ...FUNCTION_ALARM_DEFAULTS, ...definedOnly(args.alarms) }));
        this.panels = functionPanels(watched);

        this.registerOutputs({
            functionArn: fn.arn,
            roleArn,
            logGroup: logGroup.name,
            failureQueueUrl: failureQueue.url,
        });
    }
}

interface WatchedFunction {
    title: string;
    functionName: pulumi.Output<string>;
    queueName: pulumi.Output<string>;
    timeoutSeconds: number;
}

/** The thresholds given, leaving out the ones given as undefined (which would override the defaults). */
function definedOnly(given: Partial<FunctionAlarmThresholds>): Partial<FunctionAlarmThresholds> {
    const keys = Object.keys(FUNCTION_ALARM_DEFAULTS) as (keyof FunctionAlarmThresholds)[];
    return Object.fromEntries(keys.filter((k) => given[k] !== undefined).map((k) => [k, given[k]]));
}

function functionAlarms(f: WatchedFunction, t: FunctionAlarmThresholds): AlarmSpec[] {
    if (!(t.durationShareOfTimeout > 0 && t.durationShareOfTimeout <= 1)) {
        throw new Error(`${f.title}: durationShareOfTimeout is ${t.durationShareOfTimeout}; allowed: above 0 and at most 1 (a share of the ${f.timeoutSeconds}s timeout)`);
    }
    const fn = { FunctionName: f.functionName };
    const every5Minutes = { period: ALARM_PERIOD_SECONDS, evaluationPeriods: 1, treatMissingData: "notBreaching" } as const;
    return [
        {
            key: "errors", name: `${f.title}-errors`, description: `${f.title} failed (unhandled errors)`,
            namespace: "AWS/Lambda", metricName: "Errors", dimensions: fn, statistic: "Sum", threshold: t.errors, ...every5Minutes,
        },
        {
            key: "throttles", name: `${f.title}-throttles`, description: `${f.title} was throttled: reserved concurrency reached`,
            namespace: "AWS/Lambda", metricName: "Throttles", dimensions: fn, statistic: "Sum", threshold: t.throttles, ...every5Minutes,
        },
        {
            key: "duration", name: `${f.title}-duration`, description: `${f.title} p99 duration is above ${t.durationShareOfTimeout * 100}% of its ${f.timeoutSeconds}s timeout`,
            namespace: "AWS/Lambda", metricName: "Duration", dimensions: fn, extendedStatistic: "p99",
            threshold: Math.round(f.timeoutSeconds * 1000 * t.durationShareOfTimeout), ...every5Minutes,
        },
        {
            key: "failed-events", name: `${f.title}-failed-events`, description: `Events ${f.title} could not process are waiting in its failure queue`,
            namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: f.queueName },
            statistic: "Maximum", threshold: t.failedEvents, ...every5Minutes,
        },
    ];
}

function functionPanels(f: WatchedFunction): Panel[] {
    const lambda = (metric: string, stat: string) => ["AWS/Lambda", metric, "FunctionName", f.functionName, { stat }];
    return [
        { row: "functions", width: WIDTH.third, title: `${f.title}: invocations, errors, throttles`, metrics: [lambda("Invocations", "Sum"), lambda("Errors", "Sum"), lambda("Throttles", "Sum")] },
        { row: "functions", width: WIDTH.third, title: `${f.title}: duration p50 / p99 (ms)`, metrics: [lambda("Duration", "p50"), lambda("Duration", "p99")] },
        { row: "functions", width: WIDTH.third, title: `${f.title}: failed events waiting`, metrics: [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", f.queueName, { stat: "Maximum" }]] },
    ];
}
