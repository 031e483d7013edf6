// Pulumi mocks that answer like AWS would: ids and ARNs in AWS's formats, physical names as the
// provider would choose them, tags merged with the provider's default tags, and lookups answered from
// a small model of what already exists (the peer stack, a Terraform foundation).
import { createHash } from "crypto";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import TAGGABLE_TYPES from "../../policy/taggableTypes.json";
import { GLOBAL_SERVICES, TYPES } from "./resourceTypes";

export const MOCK_ACCOUNT_ID = "123456789012";

export interface MockWorld {
    accountId: string;
    /** Regions whose Tandem stack is deployed: the peer lookups succeed only there. */
    deployedRegions: string[];
    /** Terraform state outputs by state location (local path, or `s3://bucket/key`). */
    terraformOutputs: Record<string, Record<string, unknown>>;
    /** Preview: computed outputs are unknown, as on a first `pulumi preview`. */
    preview: boolean;
}

/** The output values of a terraform.tfstate file, keyed by output name. */
export function terraformOutputs(stateFile: string): Record<string, unknown> {
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { outputs?: Record<string, { value: unknown }> };
    return Object.fromEntries(Object.entries(state.outputs ?? {}).map(([name, o]) => [name, o.value]));
}

/** A Function URL as Lambda makes it; the same for the resource and for a lookup from the other stack. */
function functionUrl(account: string, region: string, functionName: string) {
    const urlId = digest(region, functionName).slice(0, 32);
    return { functionUrl: `https://${urlId}.lambda-url.${region}.on.aws/`, urlId, functionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}` };
}

export function defaultWorld(): MockWorld {
    return { accountId: MOCK_ACCOUNT_ID, deployedRegions: ["us-east-1", "us-west-2"], terraformOutputs: {}, preview: false };
}

/**
 * A failed invoke as the engine reports it: the SDK rejects with the gRPC error's `details` only
 * (@pulumi/pulumi runtime/invoke.js: `innerReject(new Error(err.details))`), so without them the
 * provider's message would be lost.
 */
function invokeError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

const TAGGABLE = new Set<string>(TAGGABLE_TYPES);
const digest = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex");
const uuid = (seed: string) => {
    const h = digest(seed);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The mock implementation of the Pulumi engine's resource and invoke calls. */
export class WorldMocks implements pulumi.runtime.Mocks {
    /** Region and default tags of each explicit provider, by provider name (a provider reference is `urn::id`). */
    private readonly providerRegions = new Map<string, string>();
    private readonly providerTags = new Map<string, Record<string, string>>();

    constructor(private readonly world: MockWorld) {}

    /** The region a resource lives in: its own `region` input, else its provider's; IAM is global. */
    regionOf(type: string, providerRef: string | undefined, inputs: Record<string, any>): string | undefined {
        if (type === TYPES.provider) {
            return inputs.region;
        }
        if (GLOBAL_SERVICES.includes(type.split(":")[1]?.split("/")[0])) {
            return "global";
        }
        const providerName = providerRef?.split("::")[3];
        return inputs.region ?? (providerName ? this.providerRegions.get(providerName) : undefined);
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        const { type, name, inputs } = args;
        if (type === TYPES.provider) {
            const id = uuid(`provider:${name}`);
            // The engine's provider reference is `<urn>::<id>`; only the name part matters for lookups here.
            this.providerRegions.set(name, inputs.region);
            // Provider configuration reaches the engine JSON-encoded, nested values included.
            const defaultTags = typeof inputs.defaultTags === "string" ? JSON.parse(inputs.defaultTags) : inputs.defaultTags;
            this.providerTags.set(name, defaultTags?.tags ?? {});
            return { id, state: inputs };
        }
        if (!args.custom) {
            return { id: undefined, state: {} };
        }
        const providerName = args.provider?.split("::")[3];
        const region = this.regionOf(type, args.provider, inputs) ?? "us-east-1";
        // As in AWS, tagsAll holds the provider's default tags merged with the resource's own.
        const tagsAll = TAGGABLE.has(type)
            ? { ...(providerName ? this.providerTags.get(providerName) : {}), ...(inputs.tags ?? {}) }
            : undefined;
        if (this.world.preview) {
            return { id: undefined, state: { ...inputs } };
        }
        const computed = this.computed(type, name, region, inputs);
        return { id: computed.id, state: { ...inputs, ...computed.state, ...(tagsAll ? { tagsAll } : {}) } };
    }

    private computed(type: string, logicalName: string, region: string, inputs: Record<string, any>): { id: string; state: Record<string, unknown> } {
        const account = this.world.accountId;
        const physical: string = inputs.name ?? `${logicalName}-${digest(type, logicalName).slice(0, 7)}`;
        switch (type) {
            case TYPES.bucket: {
                const bucket: string = inputs.bucket ?? physical;
                return { id: bucket, state: { bucket, arn: `arn:aws:s3:::${bucket}`, region, bucketDomainName: `${bucket}.s3.amazonaws.com`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` } };
            }
            case TYPES.key: {
                const keyId = uuid(`${region}:${logicalName}`);
                return { id: keyId, state: { keyId, arn: `arn:aws:kms:${region}:${account}:key/${keyId}` } };
            }
            case TYPES.alias:
                return { id: inputs.name, state: { arn: `arn:aws:kms:${region}:${account}:${inputs.name}`, targetKeyArn: `arn:aws:kms:${region}:${account}:key/${inputs.targetKeyId}` } };
            case TYPES.role:
                return { id: physical, state: { name: physical, arn: `arn:aws:iam::${account}:role/${physical}`, uniqueId: `AROA${digest(physical).slice(0, 17).toUpperCase()}` } };
            case TYPES.rolePolicy:
                return { id: `${inputs.role}:${physical}`, state: { name: physical } };
            case TYPES.function:
                return {
                    id: physical,
                    state: {
                        name: physical,
                        arn: `arn:aws:lambda:${region}:${account}:function:${physical}`,
                        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${account}:function:${physical}/invocations`,
                        qualifiedArn: `arn:aws:lambda:${region}:${account}:function:${physical}:$LATEST`,
                        version: "$LATEST",
                    },
                };
            case TYPES.functionUrl:
                return { id: inputs.functionName, state: functionUrl(account, region, inputs.functionName) };
            case TYPES.distribution: {
                const id = `E${digest(logicalName).slice(0, 13).toUpperCase()}`;
                return { id, state: { arn: `arn:aws:cloudfront::${account}:distribution/${id}`, domainName: `d${digest(id).slice(0, 13)}.cloudfront.net`, hostedZoneId: "Z2FDTNDATAQYW2" } };
            }
            case TYPES.queue:
                return { id: `https://sqs.${region}.amazonaws.com/${account}/${physical}`, state: { name: physical, arn: `arn:aws:sqs:${region}:${account}:${physical}`, url: `https://sqs.${region}.amazonaws.com/${account}/${physical}` } };
            case TYPES.topic: {
                const arn = `arn:aws:sns:${region}:${account}:${physical}`;
                return { id: arn, state: { name: physical, arn } };
            }
            case TYPES.logGroup:
                return { id: physical, state: { name: physical, arn: `arn:aws:logs:${region}:${account}:log-group:${physical}` } };
            case TYPES.alarm:
                return { id: physical, state: { name: physical, arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${physical}` } };
            case TYPES.dashboard:
                return { id: inputs.dashboardName, state: { dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${inputs.dashboardName}` } };
            case TYPES.eventRule:
                return { id: physical, state: { name: physical, arn: `arn:aws:events:${region}:${account}:rule/${physical}` } };
            default: {
                const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
                return { id: physical, state: { arn: `arn:aws:${service}:${region}:${account}:${physical}` } };
            }
        }
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        const account = this.world.accountId;
        const providerName = args.provider?.split("::")[3];
        const region = args.inputs.region ?? (providerName ? this.providerRegions.get(providerName) : undefined);
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: account, arn: `arn:aws:iam::${account}:user/deployer`, userId: "AIDAEXAMPLEDEPLOYER", id: account };
            case "aws:s3/getBucket:getBucket":
                this.requireDeployed(region, `NotFound: bucket ${args.inputs.bucket} does not exist`);
                return { id: args.inputs.bucket, bucket: args.inputs.bucket, arn: `arn:aws:s3:::${args.inputs.bucket}`, region, bucketRegion: region };
            case "aws:kms/getAlias:getAlias": {
                this.requireDeployed(region, `NotFoundException: Alias ${args.inputs.name} is not found`);
                const keyId = uuid(`${region}:region-key`);
                return {
                    id: `arn:aws:kms:${region}:${account}:${args.inputs.name}`, name: args.inputs.name, arn: `arn:aws:kms:${region}:${account}:${args.inputs.name}`,
                    targetKeyId: keyId, targetKeyArn: `arn:aws:kms:${region}:${account}:key/${keyId}`,
                };
            }
            case "aws:lambda/getFunctionUrl:getFunctionUrl":
                this.requireDeployed(region, `ResourceNotFoundException: Function not found: ${args.inputs.functionName}`);
                return { id: args.inputs.functionName, functionName: args.inputs.functionName, authorizationType: "AWS_IAM", region, ...functionUrl(account, region!, args.inputs.functionName) };
            case "terraform:state:getLocalReference":
                return { outputs: this.terraformState(String(args.inputs.path)) };
            case "terraform:state:getS3Reference":
                return { outputs: this.terraformState(`s3://${args.inputs.bucket}/${args.inputs.key}`) };
            default:
                throw invokeError(`The mock runtime has no answer for the invoke ${args.token}`);
        }
    }

    private requireDeployed(region: string | undefined, error: string): void {
        if (!region || !this.world.deployedRegions.includes(region)) {
            throw invokeError(`${error} in ${region}`);
        }
    }

    /** Outputs as @pulumi/terraform returns them: the world's, else read from a local state file. */
    private terraformState(location: string): Record<string, unknown> {
        const given = this.world.terraformOutputs[location];
        if (given) {
            return given;
        }
        if (location.startsWith("s3://") || !fs.existsSync(location)) {
            throw invokeError(`no Terraform state at ${location}`);
        }
        return terraformOutputs(location);
    }
}
