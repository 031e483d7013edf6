// What a dependency between two resources means, so the diagram can say it on the edge. A resource
// depends on another through one of its inputs (propertyDependencies); the input and the two types
// tell the relation. Arrows go from the resource that refers to the one it refers to, except where
// the sentence reads the other way round (a key encrypts what names it).

export interface Relation {
    /** Shown on the edge; undefined draws a plain arrow. */
    label?: string;
    /** Draw the arrow from the dependency to the dependent. */
    reverse?: boolean;
    /** Leave the edge out. */
    omit?: boolean;
}

interface Rule extends Relation {
    /** Short type names (the part after the last ':'), or "*" for any. */
    from: string;
    property: string | RegExp;
    to: string;
    why?: string;
}

const RULES: Rule[] = [
    { from: "Alias", property: "targetKeyId", to: "Key", label: "names" },
    { from: "RolePolicy", property: "policy", to: "*", label: "allows" },
    { from: "*", property: /^(kmsKeyId|kmsMasterKeyId|kmsKeyArn|rules)$/, to: "Key", label: "encrypts", reverse: true },
    { from: "Function", property: "loggingConfig", to: "LogGroup", label: "logs to" },
    { from: "Function", property: "role", to: "Role", label: "runs as" },
    { from: "Function", property: "environment", to: "*", label: "uses" },
    { from: "RolePolicy", property: "role", to: "Role", label: "attached to" },
    { from: "MetricAlarm", property: /^(alarmActions|okActions|insufficientDataActions)$/, to: "*", label: "notifies" },
    { from: "MetricAlarm", property: /^(dimensions|metricQueries)$/, to: "*", label: "watches" },
    {
        from: "Dashboard", property: "dashboardBody", to: "MetricAlarm", omit: true,
        why: "the dashboard's alarm widget lists every alarm, and each alarm already points at what it watches",
    },
    { from: "Dashboard", property: "dashboardBody", to: "*", label: "shows" },
    { from: "FunctionUrl", property: "functionName", to: "Function", label: "invokes" },
    { from: "BucketNotification", property: "lambdaFunctions", to: "Function", label: "invokes" },
    { from: "BucketNotification", property: "bucket", to: "Bucket", label: "on new objects in" },
    { from: "Permission", property: "function", to: "Function", label: "lets invoke" },
    { from: "Permission", property: "sourceArn", to: "*", label: "caller" },
    { from: "EventTarget", property: "arn", to: "Function", label: "invokes" },
    { from: "EventTarget", property: "rule", to: "EventRule", label: "scheduled by" },
    { from: "FunctionEventInvokeConfig", property: "functionName", to: "Function", label: "configures" },
    { from: "FunctionEventInvokeConfig", property: "destinationConfig", to: "Queue", label: "failures to" },
    { from: "BucketLogging", property: "targetBucket", to: "Bucket", label: "logs to" },
    { from: "BucketReplicationConfig", property: "bucket", to: "Bucket", label: "replicates" },
    { from: "BucketReplicationConfig", property: "role", to: "Role", label: "runs as" },
    { from: "TopicSubscription", property: "topic", to: "Topic", label: "subscribes to" },
    { from: "Distribution", property: "origins", to: "*", label: "reads from" },
];

/** The last segment of a type token: `aws:s3/bucket:Bucket` -> `Bucket`. */
export const shortType = (type: string) => type.slice(type.lastIndexOf(":") + 1);

const matches = (pattern: string, value: string) => pattern === "*" || pattern === value;

/** The relation of `fromType` depending on `toType` through `property`. */
export function relation(fromType: string, property: string, toType: string): Relation {
    const from = shortType(fromType);
    const to = shortType(toType);
    const rule = RULES.find((r) => matches(r.from, from) && matches(r.to, to) && (typeof r.property === "string" ? r.property === property : r.property.test(property)));
    return rule ? { label: rule.label, reverse: rule.reverse, omit: rule.omit } : {};
}
