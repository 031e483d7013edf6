import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { METRICS, PREFIX, SERVICES } from "../functions/contract";
import { apiCallbackFactory } from "../functions/callbacks";
import { AlarmTarget, raiseAlarms } from "./alarms";
import { FunctionSettings } from "./config";
import { Panel, Watched } from "./dashboard";
import { FunctionContext, objectArns, tandemFunction } from "./functionContext";
import { FunctionAlarmThresholds, HardenedFunction } from "./hardenedFunction";

export interface DocumentApiArgs {
    context: FunctionContext;
    settings: FunctionSettings;
    /** Let this account's CloudFront distributions invoke the URL (their requests are SigV4-signed). */
    edgeOrigin: boolean;
    /** The function's alarms, and `serverErrors`: 5xx answers in five minutes that raise an alarm. */
    alarms: AlarmTarget & Partial<FunctionAlarmThresholds> & { serverErrors?: number };
}

/** The api's own 5xx answers (handled S3 failures, which Lambda's Errors metric does not count). */
const SERVER_ERRORS_PER_PERIOD = 5;

/**
 * The document api: the `api` function behind a Function URL that only SigV4-signed (AWS_IAM)
 * callers can invoke. On a standby the role cannot write at all, so the api's refusal of writes is
 * backed by IAM, not only by code. Alarms on its function and on the 5xx answers it gives.
 */
export class DocumentApi extends pulumi.ComponentResource implements Watched {
    readonly url: pulumi.Output<string>;
    readonly alarmArns: pulumi.Output<string>[];
    readonly panels: Panel[];

    constructor(name: string, args: DocumentApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:app:DocumentApi", name, {}, opts);
        const ctx = args.context;
        const [documents, manifests, probes] = objectArns(ctx.bucketArn, PREFIX.objects, PREFIX.manifests, PREFIX.probes);

        const fn = new HardenedFunction(name, {
            ...tandemFunction(ctx, "api", args.settings),
            description: `Tandem document api (${ctx.role}) in ${ctx.region}`,
            callbackFactory: apiCallbackFactory,
            role: {
                statements: [
                    // Without ListBucket S3 answers 403 instead of 404 for a missing key.
                    { Sid: "ListDocuments", Action: "s3:ListBucket", Resource: ctx.bucketArn },
                    { Sid: "ReadDocumentsManifestsProbes", Action: "s3:GetObject", Resource: [documents, manifests, probes] },
                    ...(ctx.role === "primary"
                        ? [{ Sid: "WriteDocuments", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: documents }]
                        : []),
                ],
                permissionsBoundary: ctx.permissionsBoundary,
            },
            alarms: args.alarms,
        }, { parent: this });

        const url = new aws.lambda.FunctionUrl(name, {
            functionName: fn.functionName,
            authorizationType: "AWS_IAM",
            invokeMode: "BUFFERED",
        }, { parent: this });

        if (args.edgeOrigin) {
            // The edge may live in the other region's stack, whose distribution id this stack cannot
            // know: any distribution of this account, and nothing else, may invoke the URL.
            const fromEdge = {
                function: fn.functionName,
                principal: "cloudfront.amazonaws.com",
                sourceArn: `arn:aws:cloudfront::${ctx.accountId}:distribution/*`,
                sourceAccount: ctx.accountId,
            };
            new aws.lambda.Permission(`${name}-edge-url`, { ...fromEdge, action: "lambda:InvokeFunctionUrl", functionUrlAuthType: "AWS_IAM" }, { parent: this });
            new aws.lambda.Permission(`${name}-edge-invoke`, { ...fromEdge, action: "lambda:InvokeFunction", invokedViaFunctionUrl: true }, { parent: this });
        }

        const serverErrors = args.alarms.serverErrors ?? SERVER_ERRORS_PER_PERIOD;
        const service = { [METRICS.serviceDimension]: SERVICES.api };
        this.alarmArns = [...fn.alarmArns, ...raiseAlarms(this, name, args.alarms, [{
            key: "server-errors", name: `${ctx.app}-api-server-errors`,
            description: `The api answered ${serverErrors} or more requests with a 5xx in 5 minutes (S3 failing or unreachable; a standby refusing a write does not count)`,
            namespace: METRICS.namespace, metricName: METRICS.apiServerErrors, dimensions: service,
            statistic: "Sum", threshold: serverErrors, period: 300, evaluationPeriods: 1, treatMissingData: "notBreaching",
        }])];
        this.panels = [
            { row: "requests", title: "api: requests answered with a 5xx", metrics: [[METRICS.namespace, METRICS.apiServerErrors, METRICS.serviceDimension, SERVICES.api, { stat: "Sum" }]] },
            ...fn.panels,
        ];
        this.url = url.functionUrl;
        this.registerOutputs({ url: this.url });
    }
}
