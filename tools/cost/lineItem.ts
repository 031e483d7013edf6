// One line of the bill: what is charged, how much of it, at which price, and how the figure was
// computed (so a reader can redo the arithmetic).
import { PriceKey, RegionPrices } from "./priceBook";

export type Service = "Lambda" | "X-Ray" | "CloudWatch Logs" | "S3" | "Data transfer" | "KMS" | "CloudWatch" | "SQS" | "SNS";

export interface LineItem {
    /** Stable identifier, e.g. "lambda.duration:api". */
    id: string;
    service: Service;
    description: string;
    quantity: number;
    unit: string;
    price: PriceKey;
    usd: number;
    /** How the quantity was derived from the settings and the usage. */
    basis: string;
}

/** A line priced from the price book: `quantity` is in the price entry's unit. */
export function line(prices: RegionPrices, id: string, service: Service, description: string, price: PriceKey, quantity: number, basis: string): LineItem {
    return { id, service, description, quantity, unit: prices.entry(price).unit, price, usd: prices.usd(price, quantity), basis };
}

/** Compact numbers for the basis text: 1.2M, 43.8k, 0.0123. */
export function fmt(n: number): string {
    const abs = Math.abs(n);
    if (abs >= 1e9) return `${+(n / 1e9).toFixed(2)}G`;
    if (abs >= 1e6) return `${+(n / 1e6).toFixed(2)}M`;
    if (abs >= 1e4) return `${+(n / 1e3).toFixed(1)}k`;
    if (abs >= 100) return `${Math.round(n)}`;
    if (abs >= 1) return `${+n.toFixed(2)}`;
    if (abs === 0) return "0";
    return `${+n.toPrecision(3)}`;
}
