// The three answers to tandem:documentStorage priced at one usage: the stack re-priced with its document
// bucket set up as the program sets it up for each choice (the lifecycle rule of infra/bucketLifecycle.ts,
// the write class of infra/functionContext.ts), so the comparison can never describe another program.
import { documentTieringRule } from "../../infra/bucketLifecycle";
import { CONFIG_KEYS, DOCUMENT_STORAGE, DocumentStorage } from "../../infra/config";
import { documentStorageClass } from "../../infra/functionContext";
import { estimate } from "./estimate";
import { PriceBook } from "./priceBook";
import { BucketCost, lifecycleSettings, StackSettings } from "./stackSettings";
import { Usage } from "./usage";
import { documentBucket } from "./workload";

export interface StorageChoice {
    choice: DocumentStorage;
    description: string;
    /** The stack's monthly total with this choice. */
    totalUsd: number;
    configured: boolean;
    cheapest: boolean;
}

/** The choice a document bucket was deployed with, read back from what the program registered. */
export function configuredStorage(bucket: BucketCost): DocumentStorage {
    if (bucket.writeStorageClass === "INTELLIGENT_TIERING") return "intelligent-tiering-on-write";
    return bucket.lifecycle.intelligentTiering ? "intelligent-tiering-by-lifecycle" : "standard";
}

/** Every choice's monthly total for the stack; empty when the stack has no document bucket. */
export function storageChoices(settings: StackSettings, usage: Usage, book: PriceBook): StorageChoice[] {
    const documents = documentBucket(settings);
    if (!documents) return [];
    const configured = configuredStorage(documents);
    const tieringDays = documents.lifecycle.intelligentTiering?.days ?? (CONFIG_KEYS.intelligentTieringDays.default as number);
    const priced = DOCUMENT_STORAGE.map((choice) => {
        const rule = documentTieringRule(choice, tieringDays);
        const bucket: BucketCost = {
            ...documents,
            writeStorageClass: documentStorageClass(choice),
            lifecycle: { ...documents.lifecycle, intelligentTiering: rule && lifecycleSettings([rule]).intelligentTiering },
        };
        const repriced = { ...settings, buckets: settings.buckets.map((b) => (b === documents ? bucket : b)) };
        return { choice, description: describe(choice, tieringDays), totalUsd: estimate(repriced, usage, book).totalUsd, configured: choice === configured };
    });
    const least = Math.min(...priced.map((p) => p.totalUsd));
    // Cents apart is a tie: the cheapest is every choice within half a cent of the least.
    return priced.map((p) => ({ ...p, cheapest: p.totalUsd - least < 0.005 }));
}

function describe(choice: DocumentStorage, days: number): string {
    switch (choice) {
        case "standard": return "S3 Standard";
        case "intelligent-tiering-by-lifecycle": return `moved to Intelligent-Tiering by lifecycle after ${days} days`;
        case "intelligent-tiering-on-write": return "written in Intelligent-Tiering";
    }
}
