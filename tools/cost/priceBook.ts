// The price list the cost model reads (prices.json): every figure with its unit, the regions it
// applies to, where it comes from and when and how it was checked. Validated on load, so a malformed
// or unsourced entry stops the report instead of pricing something silently wrong.
import * as fs from "fs";
import * as path from "path";

export const VERIFICATION_LEVELS = ["official", "secondary", "unverified"] as const;
export type Verification = (typeof VERIFICATION_LEVELS)[number];

export interface PriceEntry {
    /** US dollars per `per` units. */
    usd: number;
    per: number;
    unit: string;
    regions: string[];
    source: string;
    /** ISO date the figure was last checked. */
    checked: string;
    verification: Verification;
    /** What was found and where (required unless unverified). */
    evidence?: string;
    /** KMS only: rotations after which a key's monthly charge stops growing. */
    maxBilledRotations?: number;
}

export interface PriceBook {
    currency: string;
    checked: string;
    prices: Record<string, PriceEntry>;
}

/** Every price the model uses: the file must have each of them (and may have no others). */
export const PRICE_KEYS = [
    "lambda.request", "lambda.duration.arm64", "lambda.duration.x86_64", "xray.trace.recorded",
    "s3.storage.standard", "s3.storage.intelligentTiering.frequent", "s3.storage.intelligentTiering.infrequent",
    "s3.storage.intelligentTiering.archiveInstant", "s3.intelligentTiering.monitoring", "s3.request.tier1",
    "s3.request.tier2", "s3.lifecycle.transition.intelligentTiering", "s3.replication.timeControl",
    "dataTransfer.interRegion", "dataTransfer.internet", "kms.key", "kms.rotation", "kms.request",
    "cloudwatch.alarm.standard", "cloudwatch.alarm.highResolution", "cloudwatch.alarm.composite",
    "cloudwatch.dashboard", "cloudwatch.metric.custom", "logs.ingestion.standard", "logs.storage",
    "sqs.request.standard", "sns.publish", "sns.delivery.email",
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];

export const PRICE_FILE = path.join(__dirname, "prices.json");

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Lists everything wrong with a parsed price file; an empty list means it is usable. */
export function priceBookProblems(raw: unknown): string[] {
    const problems: string[] = [];
    if (typeof raw !== "object" || raw === null) {
        return ["the price file is not a JSON object"];
    }
    const book = raw as Partial<PriceBook>;
    if (book.currency !== "USD") problems.push(`currency is ${JSON.stringify(book.currency)}; the model computes in USD`);
    if (typeof book.checked !== "string" || !ISO_DATE.test(book.checked)) problems.push("checked must be an ISO date (YYYY-MM-DD)");
    const prices = (book.prices ?? {}) as Record<string, Partial<PriceEntry>>;
    for (const key of PRICE_KEYS) {
        if (!(key in prices)) problems.push(`${key}: missing`);
    }
    for (const [key, p] of Object.entries(prices)) {
        const at = (what: string) => problems.push(`${key}: ${what}`);
        if (!(PRICE_KEYS as readonly string[]).includes(key)) at("not a price the model uses (remove it or teach the model)");
        if (typeof p.usd !== "number" || !Number.isFinite(p.usd) || p.usd < 0) at("usd must be a non-negative number");
        if (typeof p.per !== "number" || !(p.per > 0)) at("per must be a positive number");
        if (typeof p.unit !== "string" || p.unit.trim() === "") at("unit is missing");
        if (!Array.isArray(p.regions) || p.regions.length === 0 || !p.regions.every((r) => typeof r === "string" && /^[a-z]{2}(-[a-z]+)+-\d$/.test(r))) {
            at("regions must be a non-empty list of AWS region names");
        }
        if (typeof p.source !== "string" || !/^https:\/\/aws\.amazon\.com\//.test(p.source)) at("source must be the https://aws.amazon.com/ pricing page");
        if (typeof p.checked !== "string" || !ISO_DATE.test(p.checked) || Number.isNaN(Date.parse(p.checked))) at("checked must be an ISO date (YYYY-MM-DD)");
        if (!(VERIFICATION_LEVELS as readonly string[]).includes(p.verification as string)) at(`verification must be one of ${VERIFICATION_LEVELS.join(", ")}`);
        if (p.verification !== "unverified" && (typeof p.evidence !== "string" || p.evidence.trim() === "")) at("evidence is required for a verified price");
        if (p.maxBilledRotations !== undefined && !(Number.isInteger(p.maxBilledRotations) && p.maxBilledRotations >= 0)) at("maxBilledRotations must be a non-negative integer");
    }
    return problems;
}

export function parsePriceBook(raw: unknown): PriceBook {
    const problems = priceBookProblems(raw);
    if (problems.length > 0) {
        throw new Error(`The price file is not usable:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    return raw as PriceBook;
}

export function loadPriceBook(file = PRICE_FILE): PriceBook {
    return parsePriceBook(JSON.parse(fs.readFileSync(file, "utf8")));
}

/** Prices of one region: `usd(key, quantity)` converts a quantity in the entry's unit to dollars. */
export class RegionPrices {
    constructor(readonly book: PriceBook, readonly region: string) {
        const missing = PRICE_KEYS.filter((k) => !book.prices[k].regions.includes(region));
        if (missing.length > 0) {
            throw new Error(`prices.json has no price for ${region}: ${missing.join(", ")}. Add the region's list prices (with source and date) to tools/cost/prices.json.`);
        }
    }

    entry(key: PriceKey): PriceEntry {
        return this.book.prices[key];
    }

    /** Dollars per single unit. */
    rate(key: PriceKey): number {
        const e = this.entry(key);
        return e.usd / e.per;
    }

    usd(key: PriceKey, quantity: number): number {
        return quantity * this.rate(key);
    }
}
