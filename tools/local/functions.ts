// The program's Lambda functions as the local run runs them: the handler CallbackFunction bundles
// (the callback factory, found by the service name the function's environment declares), built
// with the environment the program registered plus what Lambda itself sets and what the emulator
// needs. Lambda's defined variables:
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
import { apiCallbackFactory, canaryCallbackFactory, ingestCallbackFactory } from "../../functions/callbacks";
import { ENV, SERVICES } from "../../functions/contract";
import type { IdMap } from "./ids";
import { TEST_CREDENTIALS } from "./moto";
import { ProgramStack, regionOf, resourcesOf } from "./program";
import { TYPE } from "./resourceTypes";

export type FunctionKind = keyof typeof SERVICES;

export const FACTORIES = {
    api: apiCallbackFactory,
    ingest: ingestCallbackFactory,
    canary: canaryCallbackFactory,
} satisfies Record<FunctionKind, () => unknown>;

export interface LocalFunction {
    kind: FunctionKind;
    name: string;
    arn: string;
    region: string;
    /** Lambda's defaults when unset: 3 s and 128 MB (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html). */
    timeoutMs: number;
    memoryMb: number;
    /** The application log level Lambda passes as AWS_LAMBDA_LOG_LEVEL (JSON log format only). */
    logLevel?: string;
    /** The variables the program registered, with moto's identifiers. */
    environment: Record<string, string>;
}

function kindOf(service: string | undefined, name: string): FunctionKind {
    const kind = (Object.keys(SERVICES) as FunctionKind[]).find((k) => SERVICES[k] === service);
    if (kind === undefined) {
        throw new Error(`Lambda function ${name} declares ${ENV.service}=${service ?? "(unset)"}; the local run runs ${Object.values(SERVICES).join(", ")}`);
    }
    return kind;
}

export function functionsOf(stack: ProgramStack, ids: IdMap): LocalFunction[] {
    return resourcesOf(stack, TYPE.function).map((fn) => {
        const name = String(fn.state.name ?? fn.id);
        const environment = ids.translate((fn.inputs.environment?.variables ?? {}) as Record<string, string>);
        return {
            kind: kindOf(environment[ENV.service], name),
            name,
            arn: String(fn.state.arn),
            region: regionOf(stack, fn),
            timeoutMs: Number(fn.inputs.timeout ?? 3) * 1000,
            memoryMb: Number(fn.inputs.memorySize ?? 128),
            logLevel: fn.inputs.loggingConfig?.logFormat === "JSON" ? fn.inputs.loggingConfig?.applicationLogLevel : undefined,
            environment,
        };
    });
}

export interface Endpoints {
    /** moto, for every service. */
    moto: string;
    /** Where the function's S3 requests go (the local S3 endpoint, or moto itself). */
    s3?: string;
}

/** The environment the function runs with: Lambda's variables, the registered ones, the emulator's. */
export function runtimeEnvironment(fn: LocalFunction, endpoints: Endpoints): Record<string, string> {
    return {
        AWS_REGION: fn.region,
        AWS_DEFAULT_REGION: fn.region,
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
        ...(fn.logLevel !== undefined ? { AWS_LAMBDA_LOG_LEVEL: fn.logLevel } : {}),
        ...fn.environment,
        AWS_ENDPOINT_URL: endpoints.moto,
        ...(endpoints.s3 !== undefined ? { AWS_ENDPOINT_URL_S3: endpoints.s3 } : {}),
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        // This machine's Node 20 (the SDK warns once per process that it will need Node 22).
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
}

/**
 * Runs `fn` with process.env extended by `env`, then restores it. For the callback factories, which
 * read their whole configuration synchronously at cold start.
 */
export function withEnv<T>(env: Record<string, string>, fn: () => T): T {
    const saved = new Map<string, string | undefined>();
    for (const name of Object.keys(env)) saved.set(name, process.env[name]);
    Object.assign(process.env, env);
    try {
        return fn();
    } finally {
        for (const [name, value] of saved) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    }
}

/** The function's handler, cold-started now with its runtime environment. */
export function coldStart<K extends FunctionKind>(fn: LocalFunction & { kind: K }, endpoints: Endpoints): ReturnType<(typeof FACTORIES)[K]> {
    return withEnv(runtimeEnvironment(fn, endpoints), FACTORIES[fn.kind] as () => ReturnType<(typeof FACTORIES)[K]>);
}
