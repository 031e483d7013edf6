// The region's CloudWatch dashboard, laid out from what each component contributes: the states of all
// alarms first, then the replication row (the RPO on-call watches during an incident), then the
// requests row, then each function's row. A component contributes panels on its own metrics and the
// ARNs of its alarms; this module knows nothing about any of them.
import * as pulumi from "@pulumi/pulumi";

export const WIDTH = { full: 24, half: 12, third: 8 } as const;
const HEIGHT = 6;
const ROWS = ["replication", "requests", "functions"] as const;

/** One metric line: namespace, metric name, dimension names and values, then its rendering options. */
export type Metric = pulumi.Input<string | { stat?: string; label?: string }>[];

export interface Panel {
    row: (typeof ROWS)[number];
    title: string;
    metrics: Metric[];
    /** Fixed width; panels without one share what the fixed ones leave of their row. */
    width?: number;
    /** Draws the recovery point objective as a horizontal line. */
    rpoSeconds?: number;
}

/** What a component shows on the dashboard. */
export interface Watched {
    readonly alarmArns: pulumi.Output<string>[];
    readonly panels: Panel[];
}

function widget(panel: Panel, width: number, region: string) {
    const rpoLine = panel.rpoSeconds === undefined ? {} : { annotations: { horizontal: [{ label: "RPO", value: panel.rpoSeconds }] } };
    return {
        type: "metric",
        width,
        height: HEIGHT,
        properties: { title: panel.title, region, view: "timeSeries", stacked: false, period: 60, metrics: panel.metrics, ...rpoLine },
    };
}

export function dashboardBody(region: string, watched: Watched[]): pulumi.Output<string> {
    const panels = watched.flatMap((w) => w.panels);
    const rows = ROWS.flatMap((row) => {
        const inRow = panels.filter((p) => p.row === row);
        const flexible = inRow.filter((p) => p.width === undefined).length;
        const shared = (WIDTH.full - inRow.reduce((sum, p) => sum + (p.width ?? 0), 0)) / Math.max(flexible, 1);
        if (flexible > 0 && shared < 1) {
            throw new Error(`The dashboard's ${row} row has no width left for ${inRow.filter((p) => p.width === undefined).map((p) => p.title).join(", ")}: give every panel of a full row a width`);
        }
        return inRow.map((p) => widget(p, p.width ?? shared, region));
    });
    return pulumi.jsonStringify({
        widgets: [
            { type: "alarm", width: WIDTH.full, height: 4, properties: { title: `Alarms (${region})`, alarms: watched.flatMap((w) => w.alarmArns) } },
            ...rows,
        ],
    });
}
