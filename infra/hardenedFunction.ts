import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaCodePathOptions } from "../functions/callbacks";
import { FunctionSettings } from "./config";
import { FunctionDeployment } from "./functionContext";
import { policyJson, serviceTrustPolicy, Statement } from "./iamDocument";
import { functionLogGroupName } from "./naming";

export interface HardenedFunctionArgs extends FunctionSettings, FunctionDeployment {
    functionName: string;
    description: string;
    /** Returns the handler; runs once per cold start (clients are made there). */
    callbackFactory: aws.lambda.CallbackFactory<any, any>;
    environment: Record<string, pulumi.Input<string>>;
    /** What the handler itself needs; logging, tracing, the failure queue and the key are added here. */
    statements: Statement[];
    /** Retries of a failed asynchronous invocation before the event goes to the failure queue (0-2). */
    asyncRetries?: number;
}

/** Failed events wait two weeks (the SQS maximum) for someone to look at them. */
const FAILURE_RETENTION_SECONDS = 14 * 24 * 3600;
/** SQS asks KMS for a new data key at most once a day instead of every five minutes. */
const QUEUE_DATA_KEY_REUSE_SECONDS = 24 * 3600;
/** An event older than this is not worth retrying: it goes to the failure queue. */
const MAX_EVENT_AGE_SECONDS = 3600;

/**
 * One Lambda function, hardened: its own role with exactly the statements it is given (never the
 * broad managed policies CallbackFunction would attach), its log group created first with retention
 * and KMS, arm64 on nodejs22.x, X-Ray active, explicit memory / timeout / reserved concurrency, the
 * environment encrypted with the region key, and failed asynchronous events sent to a KMS-encrypted
 * SQS queue. The code is the inline-bundled callback, without the SDK the runtime already has.
 */
export class HardenedFunction extends pulumi.ComponentResource {
    readonly function: aws.lambda.CallbackFunction<any, any>;
    readonly role: aws.iam.Role;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly failureQueue: aws.sqs.Queue;
    readonly functionName: string;
    readonly timeoutSeconds: number;

    constructor(name: string, args: HardenedFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:compute:HardenedFunction", name, {}, opts);
        this.functionName = args.functionName;
        this.timeoutSeconds = args.timeoutSeconds;

        this.logGroup = new aws.cloudwatch.LogGroup(name, {
            name: functionLogGroupName(args.functionName),
            retentionInDays: args.logRetentionDays,
            kmsKeyId: args.kmsKeyArn,
        }, { parent: this });

        this.failureQueue = new aws.sqs.Queue(`${name}-failures`, {
            name: `${args.functionName}-failures`,
            kmsMasterKeyId: args.kmsKeyArn,
            kmsDataKeyReusePeriodSeconds: QUEUE_DATA_KEY_REUSE_SECONDS,
            messageRetentionSeconds: FAILURE_RETENTION_SECONDS,
        }, { parent: this });

        this.role = new aws.iam.Role(name, {
            name: `${args.functionName}-${args.region}`,
            description: `Execution role of ${args.functionName} in ${args.region}`,
            assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", args.accountId),
            permissionsBoundary: args.permissionsBoundary,
        }, { parent: this });

        const rolePolicy = new aws.iam.RolePolicy(name, {
            role: this.role.id,
            policy: policyJson([
                ...args.statements,
                {
                    Sid: "WriteOwnLogs",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: pulumi.interpolate`${this.logGroup.arn}:*`,
                },
                {
                    // X-Ray's write actions have no resource-level permissions: "*" is the only form.
                    Sid: "SendTraces",
                    Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                    Resource: "*",
                },
                { Sid: "SendFailedEvents", Action: "sqs:SendMessage", Resource: this.failureQueue.arn },
                {
                    // Decrypts the environment; encrypts messages for the failure queue.
                    Sid: "UseRegionKey",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: args.kmsKeyArn,
                },
            ]),
        }, { parent: this });

        this.function = new aws.lambda.CallbackFunction(name, {
            name: args.functionName,
            description: args.description,
            callbackFactory: args.callbackFactory,
            codePathOptions: lambdaCodePathOptions(),
            role: this.role.arn,
            runtime: aws.lambda.Runtime.NodeJS22dX,
            architectures: ["arm64"],
            memorySize: args.memoryMb,
            timeout: args.timeoutSeconds,
            reservedConcurrentExecutions: args.reservedConcurrency,
            tracingConfig: { mode: "Active" },
            kmsKeyArn: args.kmsKeyArn,
            environment: { variables: args.environment },
            loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
        }, { parent: this, dependsOn: [rolePolicy] });

        new aws.lambda.FunctionEventInvokeConfig(name, {
            functionName: this.function.name,
            maximumRetryAttempts: args.asyncRetries ?? 2,
            maximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS,
            destinationConfig: { onFailure: { destination: this.failureQueue.arn } },
        }, { parent: this });

        this.registerOutputs({
            functionArn: this.function.arn,
            roleArn: this.role.arn,
            logGroup: this.logGroup.name,
            failureQueueUrl: this.failureQueue.url,
        });
    }
}
