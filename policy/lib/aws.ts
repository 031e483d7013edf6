// Resource type tokens of @pulumi/aws 7 the rules look at, and the relations between a function and
// what keeps it operable (alarms, failure destination, log group) that several rules share.
import { PolicyResource } from "@pulumi/policy";
import { StackGraph } from "./graph";
import { isUnknown, known, knownList, rawGet, rawPath } from "./values";

export const T = {
    function: "aws:lambda/function:Function",
    functionUrl: "aws:lambda/functionUrl:FunctionUrl",
    permission: "aws:lambda/permission:Permission",
    eventInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    queue: "aws:sqs/queue:Queue",
    redrivePolicy: "aws:sqs/redrivePolicy:RedrivePolicy",
    topic: "aws:sns/topic:Topic",
    key: "aws:kms/key:Key",
    replicaKey: "aws:kms/replicaKey:ReplicaKey",
    externalKey: "aws:kms/externalKey:ExternalKey",
    keyPolicy: "aws:kms/keyPolicy:KeyPolicy",
    alias: "aws:kms/alias:Alias",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    userPolicy: "aws:iam/userPolicy:UserPolicy",
    groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    userPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    groupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    rolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    stack: "pulumi:pulumi:Stack",
} as const;

export const KMS_KEYS: string[] = [T.key, T.replicaKey, T.externalKey];

/** A metric an alarm watches: directly, or as one of its metric-math queries. */
export interface WatchedMetric {
    alarm: PolicyResource;
    namespace: unknown;
    metricName: unknown;
    dimensions: Record<string, unknown>;
}

export function watchedMetrics(alarm: PolicyResource): WatchedMetric[] {
    const direct: WatchedMetric = {
        alarm,
        namespace: known(alarm.props, "namespace"),
        metricName: known(alarm.props, "metricName"),
        dimensions: (rawGet(alarm.props, "dimensions") ?? {}) as Record<string, unknown>,
    };
    const queries = knownList(alarm.props, "metricQueries").map((q) => ({
        alarm,
        namespace: rawPath(q, "metric", "namespace"),
        metricName: rawPath(q, "metric", "metricName"),
        dimensions: (rawPath(q, "metric", "dimensions") ?? {}) as Record<string, unknown>,
    }));
    return [direct, ...queries].filter((m) => m.metricName !== undefined);
}

/**
 * Alarms in `namespace` on one of `metricNames` whose `dimension` is `target`: the dimension's value
 * was computed from the target (propertyDependencies, known in a preview), or is the same known
 * string as one of the target's `literal` properties (its name).
 */
export function alarmsOn(graph: StackGraph, target: PolicyResource, namespace: string, metricNames: string[], dimension: string, literal: string[]): WatchedMetric[] {
    const names = literal.map((k) => rawGet(target.props, k)).filter((v) => typeof v === "string" && !isUnknown(v));
    return graph.ofType(T.metricAlarm).flatMap((alarm) => watchedMetrics(alarm).filter((m) => {
        if (m.namespace !== namespace || !metricNames.includes(m.metricName as string)) {
            return false;
        }
        const value = m.dimensions[dimension];
        if (value === undefined) {
            return false;
        }
        const computedFromTarget = [...(alarm.propertyDependencies.dimensions ?? []), ...(alarm.propertyDependencies.metricQueries ?? [])]
            .some((d) => d.urn === target.urn);
        return computedFromTarget || names.includes(value);
    }));
}

/** The function's own name when known (it links alarms, invoke configs and log groups by value). */
export function functionNames(fn: PolicyResource): string[] {
    return ["name", "arn"].map((k) => rawGet(fn.props, k)).filter((v): v is string => typeof v === "string" && !isUnknown(v));
}
