// A figure of `npm run bench`: a value, the baseline measured in the same run, their ratio, and the goal
// it is held to (goals from the issues that asked for each figure).
export interface Figure {
    name: string;
    value: number;
    unit: string;
    baseline: number;
    ratio: number;
    /** What the baseline is, in a few words. */
    against: string;
}

export interface Goal {
    text: string;
    met: (f: Figure) => boolean;
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

export function figure(name: string, value: number, unit: string, baseline: number, against: string): Figure {
    return { name, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline, 4), against };
}

export function percentile(xs: number[], p: number): number {
    const sorted = [...xs].sort((a, b) => a - b);
    if (sorted.length === 0) return NaN;
    const rank = (p / 100) * (sorted.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export const median = (xs: number[]) => percentile(xs, 50);

/** Goals by figure name or name prefix (the longest prefix that has one applies). */
const GOALS: Record<string, Goal> = {
    archive: { text: "≤ 0.1× and ≤ 256 KiB", met: (f) => f.ratio <= 0.1 && f.value <= 256 },
    coldInit: { text: "≤ 1.1× the SDK alone", met: (f) => f.ratio <= 1.1 },
    "coldInit.vsEmpty": { text: "none (how much of a cold start is the SDK)", met: () => true },
    "archive.api.withPowertools": { text: "none (what Powertools would add)", met: () => true },
    "coldInit.powertoolsRequire": { text: "none (what Powertools would add)", met: () => true },
    "ingest.throughput": { text: "≥ 0.9×", met: (f) => f.ratio >= 0.9 },
    "ingest.sdkChecksum": { text: "none (what a read costs when the SDK checks the stored checksum: storage.ts does not let it)", met: () => true },
    "ingest.throttled": { text: "≥ 3× (its peak RSS: ingest.rss.throttled)", met: (f) => f.ratio >= 3 },
    "ingest.rss": { text: "≤ 160 MiB", met: (f) => f.value <= 160 },
    "api.p50": { text: "≤ 1.25×", met: (f) => f.ratio <= 1.25 },
    "api.p99.concurrent": { text: "≤ 1.3×", met: (f) => f.ratio <= 1.3 },
    "api.failedRounds.concurrent": { text: "none", met: (f) => f.value === 0 },
    "plan.seconds": { text: "≤ 10 s at 2,000 resources", met: (f) => f.value <= 10 },
    "plan.peakMB": { text: "≤ 512 MB at 2,000 resources", met: (f) => f.value <= 512 },
};

export function goalOf(name: string): Goal | undefined {
    const parts = name.split(".");
    for (let n = parts.length; n > 0; n--) {
        const goal = GOALS[parts.slice(0, n).join(".")];
        if (goal) return goal;
    }
    return undefined;
}

/** `name: value unit (baseline …, ratio …; goal …: met|NOT met)` */
export function figureLine(f: Figure): string {
    const goal = goalOf(f.name);
    const verdict = goal === undefined ? "" : `; goal ${goal.text}: ${goal.met(f) ? "met" : "NOT met"}`;
    return `${f.name}: ${f.value} ${f.unit} (baseline ${f.baseline} ${f.unit}: ${f.against}; ratio ${f.ratio}${verdict})`;
}
