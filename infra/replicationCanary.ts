import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PREFIX } from "../functions/contract";
import { canaryCallbackFactory } from "../functions/callbacks";
import { FunctionSettings } from "./config";
import { FunctionContext, objectArns, tandemFunction } from "./functionContext";
import { HardenedFunction } from "./hardenedFunction";
import { functionName } from "./naming";

export interface ReplicationCanaryArgs {
    context: FunctionContext;
    settings: FunctionSettings;
}

/**
 * The replication canary, run every minute by an EventBridge schedule: the primary writes a probe,
 * and each side publishes how old the newest replicated probe is (ReplicationLagSeconds), the live
 * recovery point. Only the primary may write probes.
 */
export class ReplicationCanary extends pulumi.ComponentResource {
    readonly fn: HardenedFunction;

    constructor(name: string, args: ReplicationCanaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:app:ReplicationCanary", name, {}, opts);
        const ctx = args.context;
        const [probes] = objectArns(ctx.bucketArn, PREFIX.probes);

        this.fn = new HardenedFunction(name, {
            ...tandemFunction(ctx, "canary", args.settings),
            description: `Tandem replication canary (${ctx.role}) in ${ctx.region}`,
            callbackFactory: canaryCallbackFactory,
            // A scheduled probe that failed is stale a minute later: no retries.
            asyncRetries: 0,
            statements: [
                { Sid: "ListProbes", Action: "s3:ListBucket", Resource: ctx.bucketArn },
                {
                    Sid: ctx.role === "primary" ? "ReadWriteProbes" : "ReadProbes",
                    Action: ctx.role === "primary" ? ["s3:GetObject", "s3:PutObject"] : "s3:GetObject",
                    Resource: probes,
                },
            ],
        }, { parent: this });

        const schedule = new aws.cloudwatch.EventRule(name, {
            name: functionName(ctx.app, "canary-schedule"),
            description: "Runs the replication canary every minute",
            scheduleExpression: "rate(1 minute)",
        }, { parent: this });

        const permission = new aws.lambda.Permission(name, {
            function: this.fn.function.name,
            action: "lambda:InvokeFunction",
            principal: "events.amazonaws.com",
            sourceArn: schedule.arn,
            sourceAccount: ctx.accountId,
        }, { parent: this });

        new aws.cloudwatch.EventTarget(name, {
            rule: schedule.name,
            arn: this.fn.function.arn,
            retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
        }, { parent: this, dependsOn: [permission] });

        this.registerOutputs({ functionArn: this.fn.function.arn, schedule: schedule.name });
    }
}
