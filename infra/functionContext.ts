import * as pulumi from "@pulumi/pulumi";
import { ENV, METRICS, StackRole } from "../functions/contract";

/** Where and how any function is deployed: account, region, key, log retention, boundary. */
export interface FunctionDeployment {
    accountId: string;
    region: string;
    kmsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    permissionsBoundary?: pulumi.Input<string>;
}

/** What every Tandem function is deployed with, whatever its trigger. */
export interface FunctionContext extends FunctionDeployment {
    app: string;
    peerRegion: string;
    role: StackRole;
    bucketName: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    presignExpirySeconds: number;
    maxInlineBytes: number;
}

export function deploymentOf(ctx: FunctionContext): FunctionDeployment {
    const { accountId, region, kmsKeyArn, logRetentionDays, permissionsBoundary } = ctx;
    return { accountId, region, kmsKeyArn, logRetentionDays, permissionsBoundary };
}

/** The environment of the function contract (functions/contract.ts) for one service. */
export function functionEnvironment(ctx: FunctionContext, service: string): Record<string, pulumi.Input<string>> {
    return {
        [ENV.bucket]: ctx.bucketName,
        [ENV.role]: ctx.role,
        [ENV.peerRegion]: ctx.peerRegion,
        [ENV.presignExpirySeconds]: String(ctx.presignExpirySeconds),
        [ENV.maxInlineBytes]: String(ctx.maxInlineBytes),
        [ENV.service]: service,
        [ENV.metricsNamespace]: METRICS.namespace,
    };
}

/** `arn:aws:s3:::bucket/prefix*` for each prefix. */
export function objectArns(bucketArn: pulumi.Input<string>, ...prefixes: string[]): pulumi.Output<string>[] {
    return prefixes.map((p) => pulumi.interpolate`${bucketArn}/${p}*`);
}
