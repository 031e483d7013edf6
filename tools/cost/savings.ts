// What the design choices save: the same usage re-priced with each choice flipped. A saving is the
// alternative's total minus the actual total, so it counts every line the choice touches. Document
// storage has three answers, not two: ./storageChoices.ts compares them.
import { estimate } from "./estimate";
import { PriceBook } from "./priceBook";
import { StackSettings } from "./stackSettings";
import { Usage } from "./usage";

export interface Saving {
    id: "bucketKeys" | "arm64" | "logRetention";
    /** The choice the program made, and the one it is compared with. */
    actual: string;
    alternative: string;
    actualUsd: number;
    alternativeUsd: number;
    /** alternativeUsd - actualUsd: positive when the program's choice is the cheaper one. */
    savingUsd: number;
}

interface Alternative {
    id: Saving["id"];
    applies: (s: StackSettings) => boolean;
    describe: (s: StackSettings) => { actual: string; alternative: string };
    flip: (s: StackSettings) => StackSettings;
}

const kmsBuckets = (s: StackSettings) => s.buckets.filter((b) => b.sseKms);
const allArm = (s: StackSettings) => s.functions.every((f) => f.architecture === "arm64");
const withLogs = (s: StackSettings) => s.functions.filter((f) => f.logGroup);

const ALTERNATIVES: Alternative[] = [
    {
        id: "bucketKeys",
        applies: (s) => kmsBuckets(s).length > 0,
        describe: (s) => kmsBuckets(s).every((b) => b.bucketKey)
            ? { actual: "S3 Bucket Keys on", alternative: "one KMS request per object read or write" }
            : { actual: "S3 Bucket Keys off", alternative: "S3 Bucket Keys on" },
        flip: (s) => {
            const on = !kmsBuckets(s).every((b) => b.bucketKey);
            return { ...s, buckets: s.buckets.map((b) => (b.sseKms ? { ...b, bucketKey: on } : b)) };
        },
    },
    {
        id: "arm64",
        applies: (s) => s.functions.length > 0,
        describe: (s) => allArm(s) ? { actual: "arm64 functions", alternative: "x86_64 at the same duration" } : { actual: "x86_64 functions", alternative: "arm64 at the same duration" },
        flip: (s) => {
            const architecture = allArm(s) ? "x86_64" : "arm64";
            return { ...s, functions: s.functions.map((f) => ({ ...f, architecture })) };
        },
    },
    {
        id: "logRetention",
        applies: (s) => withLogs(s).some((f) => f.logGroup!.retentionDays !== undefined),
        describe: (s) => ({
            actual: `log retention ${[...new Set(withLogs(s).map((f) => f.logGroup!.retentionDays ?? "never"))].join("/")} days`,
            alternative: "log groups that never expire",
        }),
        flip: (s) => ({ ...s, functions: s.functions.map((f) => (f.logGroup ? { ...f, logGroup: { ...f.logGroup, retentionDays: undefined } } : f)) }),
    },
];

export function savings(settings: StackSettings, usage: Usage, book: PriceBook): Saving[] {
    const actualUsd = estimate(settings, usage, book).totalUsd;
    return ALTERNATIVES.filter((a) => a.applies(settings)).map((a) => {
        const alternativeUsd = estimate(a.flip(settings), usage, book).totalUsd;
        return { id: a.id, ...a.describe(settings), actualUsd, alternativeUsd, savingUsd: alternativeUsd - actualUsd };
    });
}
