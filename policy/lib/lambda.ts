// A Lambda function and what surrounds it: the resources that name it (by its name or ARN, as each
// API takes it) and the triggers that invoke it.
import { PolicyResource } from "@pulumi/policy";
import { StackGraph } from "./graph";
import { BUCKET, functionNotifications } from "./s3";
import { T } from "./types";
import { isUnknown, known, rawGet } from "./values";

/** The Lambda APIs take a function's name or its ARN wherever they take a FunctionName. */
export const FUNCTION_REF_ATTRS = ["name", "arn"];
/** Where only an ARN will do (an S3 notification, an EventBridge target, a destination). */
export const FUNCTION_ARN_ATTRS = ["arn", "qualifiedArn"];

/** The function's own name when known. */
export function functionName(fn: PolicyResource): string | undefined {
    const v = rawGet(fn.props, "name");
    return typeof v === "string" && !isUnknown(v) ? v : undefined;
}

export function functionUrls(graph: StackGraph, fn: PolicyResource): PolicyResource[] {
    return graph.referencing(fn, [T.functionUrl], "functionName", FUNCTION_REF_ATTRS);
}

export function invokeConfigs(graph: StackGraph, fn: PolicyResource): PolicyResource[] {
    return graph.referencing(fn, [T.eventInvokeConfig], "functionName", FUNCTION_REF_ATTRS);
}

export function permissionsOf(graph: StackGraph, fn: PolicyResource): PolicyResource[] {
    return graph.referencing(fn, [T.permission], "function", FUNCTION_REF_ATTRS);
}

/** The function a resource's input names (by name or ARN). */
export function functionsNamedBy(graph: StackGraph, r: PolicyResource, prop: string, attrs: readonly string[] = FUNCTION_REF_ATTRS): PolicyResource[] {
    return graph.referenced(r, prop, [T.function], attrs);
}

/** EventBridge targets that invoke the function (their `arn` is the function's ARN). */
export function eventTargetsOf(graph: StackGraph, fn: PolicyResource): PolicyResource[] {
    return graph.referencing(fn, [T.eventTarget], "arn", FUNCTION_ARN_ATTRS);
}

/** The rule an EventBridge target belongs to (its `rule` input is the rule's name). */
export function ruleOfTarget(graph: StackGraph, target: PolicyResource): PolicyResource[] {
    return graph.referenced(target, "rule", [T.eventRule], ["name", "id"]);
}

/** S3 event notifications that invoke the function, with their bucket. */
export function bucketNotificationsOf(graph: StackGraph, fn: PolicyResource): { bucket: PolicyResource; notification: ReturnType<typeof functionNotifications>[number] }[] {
    return graph.cached(`lambda:notifications`, () => graph.ofType(...BUCKET).flatMap((bucket) => functionNotifications(graph, bucket).map((notification) => ({ bucket, notification }))))
        .filter(({ notification }) => graph.candidatesFor(notification.functionArn, graph.inputSources(notification.source, "lambdaFunctions"), [T.function], FUNCTION_ARN_ATTRS)
            .some((f) => f.urn === fn.urn));
}

/** Seconds between two runs of a `rate(...)` or `cron(...)` schedule (cron: at least a minute). */
export function schedulePeriodSeconds(expression: unknown): number | undefined {
    if (typeof expression !== "string") {
        return undefined;
    }
    const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i.exec(expression.trim());
    if (rate) {
        const unit = rate[2].toLowerCase().replace(/s$/, "");
        return Number(rate[1]) * ({ minute: 60, hour: 3600, day: 86400 } as Record<string, number>)[unit];
    }
    // A cron expression's finest step is a minute (EventBridge User Guide, "Schedule expressions").
    return /^cron\(/i.test(expression.trim()) ? 60 : undefined;
}

/** The function's timeout in seconds (Lambda's default is 3). Throws while unknown. */
export function timeoutSeconds(fn: PolicyResource): number {
    const t = known(fn.props, "timeout");
    return typeof t === "number" ? t : 3;
}
