// Usage assumptions: what the program cannot know (traffic, document sizes, durations). Each is a
// command-line flag with a documented default; the defaults describe a modest production workload
// and are printed with every report so a reader knows what the figures assume.

export interface Usage {
    /** Api requests this stack serves per month (a standby serves none until it is promoted). */
    requests: number;
    /** Share of the api's reads that are listings (priced as LIST requests). */
    listShare: number;
    /** New documents written per month (on a standby: the replicas that arrive). */
    ingestPerMonth: number;
    avgObjectKb: number;
    /** Current document versions stored, GB. */
    storageGb: number;
    /** Share of the stored data overwritten or deleted per month (kept as noncurrent versions). */
    overwriteShare: number;
    apiDurationMs: number;
    ingestDurationMs: number;
    canaryDurationMs: number;
    /** Bytes each invocation writes to its log group (Lambda's START/END/REPORT lines are ~300 B). */
    logBytesPerInvocation: number;
    /** Share of invocations that start a new execution environment (decrypts the environment, opens a log stream). */
    coldStartRate: number;
    /** Share of asynchronous invocations that fail and are retried. */
    failureRate: number;
    /** Alarm state changes per month (each one publishes to the alarm topic). */
    alarmNotifications: number;
    /** Share of stored documents untouched for 30+ days (Intelligent-Tiering's Infrequent Access tier). */
    idle30dShare: number;
    /** Share of stored documents untouched for 90+ days (Archive Instant Access); part of idle30dShare. */
    idle90dShare: number;
    /** KMS requests S3 Bucket Keys avoid; AWS says "up to 99%". */
    bucketKeyReduction: number;
    /** Bytes of one S3 server access log record. */
    accessLogBytesPerRequest: number;
    /** The month after the first deploy the estimate describes: accumulating costs (logs kept, key rotations) are as of that month. */
    month: number;
}

export type UsageKey = keyof Usage;

interface FlagSpec {
    key: UsageKey;
    description: string;
    /** Default for a primary and for a standby. */
    defaults: { primary: number; standby: number };
    min: number;
    max?: number;
    integer?: boolean;
}

const same = (n: number) => ({ primary: n, standby: n });

/** The usage flags, in the order --help lists them. */
export const USAGE_FLAGS: Record<string, FlagSpec> = {
    "--requests": { key: "requests", defaults: { primary: 1_000_000, standby: 0 }, min: 0, integer: true, description: "api requests this stack serves per month (a standby serves none until promoted)" },
    "--list-share": { key: "listShare", defaults: same(0.1), min: 0, max: 1, description: "share of api reads that list documents" },
    "--ingest-per-month": { key: "ingestPerMonth", defaults: same(100_000), min: 0, integer: true, description: "new documents per month (on a standby: replicas arriving)" },
    "--avg-object-kb": { key: "avgObjectKb", defaults: same(256), min: 0.001, description: "average document size, KB" },
    "--storage-gb": { key: "storageGb", defaults: same(100), min: 0, description: "documents stored (current versions), GB" },
    "--overwrite-share": { key: "overwriteShare", defaults: same(0.05), min: 0, max: 1, description: "share of stored data overwritten or deleted per month" },
    "--api-ms": { key: "apiDurationMs", defaults: same(120), min: 1, description: "average api invocation, ms" },
    "--ingest-ms": { key: "ingestDurationMs", defaults: same(400), min: 1, description: "average ingest invocation, ms" },
    "--canary-ms": { key: "canaryDurationMs", defaults: same(250), min: 1, description: "average canary invocation, ms" },
    "--log-bytes": { key: "logBytesPerInvocation", defaults: same(1000), min: 0, description: "log bytes written per invocation" },
    "--cold-start-rate": { key: "coldStartRate", defaults: same(0.01), min: 0, max: 1, description: "share of invocations that start a new execution environment" },
    "--failure-rate": { key: "failureRate", defaults: same(0.001), min: 0, max: 1, description: "share of asynchronous invocations that fail" },
    "--alarm-notifications": { key: "alarmNotifications", defaults: same(20), min: 0, integer: true, description: "alarm state changes per month" },
    "--idle-30d-share": { key: "idle30dShare", defaults: same(0.6), min: 0, max: 1, description: "share of documents untouched for 30+ days" },
    "--idle-90d-share": { key: "idle90dShare", defaults: same(0.3), min: 0, max: 1, description: "share of documents untouched for 90+ days (part of the 30-day share)" },
    "--bucket-key-reduction": { key: "bucketKeyReduction", defaults: same(0.99), min: 0, max: 1, description: "share of S3's KMS requests a Bucket Key avoids (AWS: up to 99%)" },
    "--access-log-bytes": { key: "accessLogBytesPerRequest", defaults: same(500), min: 0, description: "bytes of one S3 server access log record" },
    "--month": { key: "month", defaults: same(12), min: 1, max: 120, integer: true, description: "month after the first deploy the estimate describes (logs kept, key rotations)" },
};

export function defaultUsage(role: "primary" | "standby"): Usage {
    const usage = {} as Usage;
    for (const spec of Object.values(USAGE_FLAGS)) {
        usage[spec.key] = spec.defaults[role];
    }
    return usage;
}

/** What `npm run cost` was asked for. */
export interface CostRequest {
    stacks: string[];
    json: boolean;
    help: boolean;
    /** Only the flags given; the rest default per stack role. */
    overrides: Partial<Usage>;
}

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Parses `--stack prod|dr|all --json --requests N ...`; every problem is reported at once. */
export function parseCostArgs(argv: string[], knownStacks: readonly string[]): CostRequest {
    const problems: string[] = [];
    const overrides: Partial<Usage> = {};
    let stack: string | undefined;
    let json = false;
    let help = false;
    const seen = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        const takeValue = (): string | undefined => {
            if (inline !== undefined) return inline;
            const next = argv[i + 1];
            if (next === undefined || (next.startsWith("--") && !/^--?\d/.test(next))) {
                problems.push(`${flag} needs a value`);
                return undefined;
            }
            i++;
            return next;
        };
        if (seen.has(flag) && flag.startsWith("--")) problems.push(`${flag} is given twice`);
        seen.add(flag);
        if (flag === "--json") json = true;
        else if (flag === "--help" || flag === "-h") help = true;
        else if (flag === "--stack") stack = takeValue();
        else if (flag in USAGE_FLAGS) {
            const spec = USAGE_FLAGS[flag];
            const raw = takeValue();
            if (raw === undefined) continue;
            const problem = checkNumber(flag, raw, spec);
            if (problem) problems.push(problem);
            else overrides[spec.key] = Number(raw.replace(/_/g, ""));
        } else {
            const known = ["--stack", "--json", "--help", ...Object.keys(USAGE_FLAGS)];
            const near = known.find((f) => editDistance(f, flag.toLowerCase()) <= 2);
            problems.push(`unknown option ${JSON.stringify(flag)}${near ? `; did you mean ${near}?` : ""}`);
            // Its value, if any, belongs to it: one problem, not two.
            if (flag.startsWith("--") && inline === undefined && argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) i++;
        }
    }
    let stacks: string[] = [];
    if (!help) {
        if (stack === undefined) problems.push(`--stack is required (${[...knownStacks, "all"].join("|")})`);
        else if (stack === "all") stacks = [...knownStacks];
        else if (knownStacks.includes(stack)) stacks = [stack];
        else problems.push(`--stack ${JSON.stringify(stack)} is not a stack (${[...knownStacks, "all"].join("|")})`);
    }
    if (overrides.idle30dShare !== undefined && overrides.idle90dShare !== undefined && overrides.idle90dShare > overrides.idle30dShare) {
        problems.push(`--idle-90d-share (${overrides.idle90dShare}) cannot exceed --idle-30d-share (${overrides.idle30dShare}): documents idle for 90 days were idle for 30`);
    }
    if (problems.length > 0) {
        throw new UsageError(`${problems.join("\n")}\n\n${usageText()}`);
    }
    return { stacks, json, help, overrides };
}

/** Levenshtein distance, to suggest the flag that was probably meant. */
function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

function checkNumber(flag: string, raw: string, spec: FlagSpec): string | undefined {
    const text = raw.replace(/_/g, "");
    if (!/^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text)) return `${flag} must be a number, not ${JSON.stringify(raw)}`;
    const n = Number(text);
    if (!Number.isFinite(n)) return `${flag} must be a finite number, not ${JSON.stringify(raw)}`;
    if (spec.integer && !Number.isInteger(n)) return `${flag} must be a whole number, not ${raw}`;
    if (n < spec.min || (spec.max !== undefined && n > spec.max)) {
        return `${flag} is ${raw}; allowed: ${spec.max === undefined ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`}`;
    }
    return undefined;
}

/** Applies a stack's role defaults and checks what only makes sense together. */
export function resolveUsage(role: "primary" | "standby", overrides: Partial<Usage>): Usage {
    const usage = { ...defaultUsage(role), ...overrides };
    if (usage.idle90dShare > usage.idle30dShare) {
        throw new UsageError(`--idle-90d-share (${usage.idle90dShare}) cannot exceed --idle-30d-share (${usage.idle30dShare})`);
    }
    if (role === "primary" && usage.requests < usage.ingestPerMonth) {
        throw new UsageError(`--requests (${usage.requests}) must be at least --ingest-per-month (${usage.ingestPerMonth}): every new document is written through the api`);
    }
    return usage;
}

export function usageText(): string {
    const width = Math.max(...Object.keys(USAGE_FLAGS).map((f) => f.length)) + 4;
    const rows = Object.entries(USAGE_FLAGS).map(([flag, s]) => {
        const d = s.defaults.primary === s.defaults.standby ? `${s.defaults.primary}` : `${s.defaults.primary} primary, ${s.defaults.standby} standby`;
        return `  ${(flag + " N").padEnd(width)}${s.description} (default ${d})`;
    });
    return [
        "usage: npm run cost -- --stack prod|dr|all [--json] [usage flags]",
        "Estimates the monthly bill of a stack from the program's settings and public list prices (tools/cost/prices.json).",
        "Usage flags:",
        ...rows,
    ].join("\n");
}
