// The alarm table of docs/architecture.md, rendered from the CloudWatch alarms each stack registers
// on the mock runtime: names, thresholds and descriptions are the program's, never retyped.
import { Inventory, RecordedResource, StackEvaluator, STACKS } from "../engine/evaluate";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** An alarm's cells but its stacks: name, the component that raises it, metric, condition, missing data, meaning. */
function cells(inv: Inventory, alarm: RecordedResource): string[] {
    const a = alarm.inputs;
    const owner = inv.resources.find((r) => r.urn === alarm.parent);
    const window = a.evaluationPeriods > 1 ? `${a.evaluationPeriods} × ${a.period} s in a row` : `${a.period} s`;
    return [
        `\`${a.name}\``,
        owner ? `\`${owner.type.split(":").pop()}\` ${owner.name}` : "",
        `${a.namespace} \`${a.metricName}\``,
        `${a.statistic ?? a.extendedStatistic} ≥ ${a.threshold} over ${window}`,
        a.treatMissingData === "breaching" ? "fires" : "stays OK",
        cell(a.alarmDescription),
    ];
}

/** One row per alarm, by name, with the stacks that have it as their configuration sets it. */
export async function alarmTable(evaluate: StackEvaluator): Promise<string> {
    const rows = new Map<string, { cells: string[]; stacks: string[] }>();
    for (const stack of STACKS) {
        const inv = await evaluate(stack);
        for (const alarm of inv.resources.filter((r) => r.type === ALARM)) {
            const row = cells(inv, alarm);
            const seen = rows.get(row.join("|")) ?? { cells: row, stacks: [] };
            seen.stacks.push(`\`${stack}\``);
            rows.set(row.join("|"), seen);
        }
    }
    return [
        "| alarm | stacks | raised by | metric | fires when | without data | what it means |",
        "|---|---|---|---|---|---|---|",
        ...[...rows.values()].sort((a, b) => a.cells[0].localeCompare(b.cells[0])).map(({ cells: [name, ...rest], stacks }) => `| ${[name, stacks.join(", "), ...rest].join(" | ")} |`),
    ].join("\n");
}
