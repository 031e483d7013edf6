// CloudWatch alarms as the components raise them: each component (a function, the api, the canary,
// replication) defines the alarms on what it runs, with its thresholds as arguments, and Monitoring
// gives them the topic to notify. An alarm's logical name is its component's name and what it
// watches (`api-errors`), never its physical name, so renaming the app renames alarms in place.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Where a component's alarms notify; Monitoring makes it. */
export interface AlarmTarget {
    /** The topic every alarm notifies when it fires and when it recovers. */
    topicArn: pulumi.Input<string>;
    /**
     * What an alarm, known by its physical name, was registered as by earlier versions of the program:
     * aliases that let an update keep the alarm instead of deleting and recreating it.
     */
    formerly?: (physicalName: string) => pulumi.Alias[];
}

export interface AlarmSpec {
    /** What it watches, unique in its component: with the component's name, the logical name. */
    key: string;
    /** Its name in CloudWatch. */
    name: string;
    description: string;
    namespace: string;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    statistic?: string;
    extendedStatistic?: string;
    threshold: number;
    period: number;
    evaluationPeriods: number;
    treatMissingData: "breaching" | "notBreaching";
}

/** The alarms of `owner` (the component named `ownerName`); returns their ARNs. */
export function raiseAlarms(owner: pulumi.ComponentResource, ownerName: string, target: AlarmTarget, specs: AlarmSpec[]): pulumi.Output<string>[] {
    return specs.map((spec) => new aws.cloudwatch.MetricAlarm(`${ownerName}-${spec.key}`, {
        name: spec.name,
        alarmDescription: spec.description,
        namespace: spec.namespace,
        metricName: spec.metricName,
        dimensions: spec.dimensions,
        statistic: spec.statistic,
        extendedStatistic: spec.extendedStatistic,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: spec.threshold,
        period: spec.period,
        evaluationPeriods: spec.evaluationPeriods,
        treatMissingData: spec.treatMissingData,
        actionsEnabled: true,
        alarmActions: [target.topicArn],
        okActions: [target.topicArn],
    }, { parent: owner, aliases: target.formerly?.(spec.name) }).arn);
}
