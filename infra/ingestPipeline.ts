import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PREFIX } from "../functions/contract";
import { ingestCallbackFactory } from "../functions/callbacks";
import { AlarmTarget } from "./alarms";
import { FunctionSettings } from "./config";
import { Panel, Watched } from "./dashboard";
import { FunctionContext, objectArns, tandemFunction } from "./functionContext";
import { FunctionAlarmThresholds, HardenedFunction } from "./hardenedFunction";

export interface IngestPipelineArgs {
    context: FunctionContext;
    settings: FunctionSettings;
    alarms: AlarmTarget & Partial<FunctionAlarmThresholds>;
}

/**
 * Ingest: every object created under `objects/` notifies the `ingest` function, which writes its
 * manifest under `manifests/`. The notification and the invoke permission are made here, explicitly
 * (not with bucket.onObjectCreated), so they carry this stack's provider and region, and S3 may invoke
 * the function only for this bucket in this account.
 */
export class IngestPipeline extends pulumi.ComponentResource implements Watched {
    readonly alarmArns: pulumi.Output<string>[];
    readonly panels: Panel[];

    constructor(name: string, args: IngestPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:app:IngestPipeline", name, {}, opts);
        const ctx = args.context;
        const [documents, manifests] = objectArns(ctx.bucketArn, PREFIX.objects, PREFIX.manifests);

        const fn = new HardenedFunction(name, {
            ...tandemFunction(ctx, "ingest", args.settings),
            description: `Tandem ingest: manifests for new documents in ${ctx.region}`,
            callbackFactory: ingestCallbackFactory,
            role: {
                statements: [
                    // Without ListBucket S3 answers 403 instead of 404 for a manifest not written yet.
                    { Sid: "ListManifests", Action: "s3:ListBucket", Resource: ctx.bucketArn },
                    { Sid: "ReadDocumentVersions", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: documents },
                    { Sid: "ReadWriteManifests", Action: ["s3:GetObject", "s3:PutObject"], Resource: manifests },
                ],
                permissionsBoundary: ctx.permissionsBoundary,
            },
            alarms: args.alarms,
        }, { parent: this });
        this.alarmArns = fn.alarmArns;
        this.panels = fn.panels;

        const permission = new aws.lambda.Permission(name, {
            function: fn.functionName,
            action: "lambda:InvokeFunction",
            principal: "s3.amazonaws.com",
            sourceArn: ctx.bucketArn,
            sourceAccount: ctx.accountId,
        }, { parent: this });

        new aws.s3.BucketNotification(name, {
            bucket: ctx.bucketName,
            lambdaFunctions: [{
                id: "ingest-new-documents",
                lambdaFunctionArn: fn.functionArn,
                events: ["s3:ObjectCreated:*"],
                filterPrefix: PREFIX.objects,
            }],
        }, { parent: this, dependsOn: [permission] });

        this.registerOutputs({ functionArn: fn.functionArn });
    }
}
