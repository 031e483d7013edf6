import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PREFIX } from "../functions/contract";
import { apiCallbackFactory } from "../functions/callbacks";
import { FunctionSettings } from "./config";
import { FunctionContext, objectArns, tandemFunction } from "./functionContext";
import { HardenedFunction } from "./hardenedFunction";

export interface DocumentApiArgs {
    context: FunctionContext;
    settings: FunctionSettings;
    /** Let this account's CloudFront distributions invoke the URL (their requests are SigV4-signed). */
    edgeOrigin: boolean;
}

/**
 * The document api: the `api` function behind a Function URL that only SigV4-signed (AWS_IAM)
 * callers can invoke. On a standby the role cannot write at all, so the api's refusal of writes is
 * backed by IAM, not only by code.
 */
export class DocumentApi extends pulumi.ComponentResource {
    readonly fn: HardenedFunction;
    readonly url: aws.lambda.FunctionUrl;

    constructor(name: string, args: DocumentApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:app:DocumentApi", name, {}, opts);
        const ctx = args.context;
        const [documents, manifests, probes] = objectArns(ctx.bucketArn, PREFIX.objects, PREFIX.manifests, PREFIX.probes);

        this.fn = new HardenedFunction(name, {
            ...tandemFunction(ctx, "api", args.settings),
            description: `Tandem document api (${ctx.role}) in ${ctx.region}`,
            callbackFactory: apiCallbackFactory,
            statements: [
                // Without ListBucket S3 answers 403 instead of 404 for a missing key.
                { Sid: "ListDocuments", Action: "s3:ListBucket", Resource: ctx.bucketArn },
                { Sid: "ReadDocumentsManifestsProbes", Action: "s3:GetObject", Resource: [documents, manifests, probes] },
                ...(ctx.role === "primary"
                    ? [{ Sid: "WriteDocuments", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: documents }]
                    : []),
            ],
        }, { parent: this });

        this.url = new aws.lambda.FunctionUrl(name, {
            functionName: this.fn.function.name,
            authorizationType: "AWS_IAM",
            invokeMode: "BUFFERED",
        }, { parent: this });

        if (args.edgeOrigin) {
            // The edge may live in the other region's stack, whose distribution id this stack cannot
            // know: any distribution of this account, and nothing else, may invoke the URL.
            const fromEdge = {
                function: this.fn.function.name,
                principal: "cloudfront.amazonaws.com",
                sourceArn: `arn:aws:cloudfront::${ctx.accountId}:distribution/*`,
                sourceAccount: ctx.accountId,
            };
            new aws.lambda.Permission(`${name}-edge-url`, { ...fromEdge, action: "lambda:InvokeFunctionUrl", functionUrlAuthType: "AWS_IAM" }, { parent: this });
            new aws.lambda.Permission(`${name}-edge-invoke`, { ...fromEdge, action: "lambda:InvokeFunction", invokedViaFunctionUrl: true }, { parent: this });
        }

        this.registerOutputs({ url: this.url.functionUrl });
    }
}
