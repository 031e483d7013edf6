// What every handler is given by Lambda (the parts the functions use) and the one rule for how long
// an invocation may keep working.

/** The Lambda context, as far as the functions use it. */
export interface InvocationContext {
    awsRequestId?: string;
    functionName?: string;
    functionVersion?: string;
    getRemainingTimeInMillis?: () => number;
}

/**
 * Time left for work: the Lambda's remaining time minus a margin (to answer or fail cleanly before
 * Lambda stops the function), or a default outside Lambda. Never less than 100 ms.
 */
export function remainingBudget(context: InvocationContext | undefined, fallbackMs: number, marginMs: number): number {
    const remaining = typeof context?.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : fallbackMs + marginMs;
    return Math.max(100, Math.floor(remaining - marginMs));
}
