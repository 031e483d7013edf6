// The one seed of the property-based tests: fixed so that a run is reproducible, printed so that a
// failure can be replayed, and overridable with FUZZ_SEED=<n> to explore other cases.

const DEFAULT_SEED = 20261130;

export function fuzzSeed(): number {
    const raw = process.env.FUZZ_SEED;
    const seed = raw === undefined || raw === "" ? DEFAULT_SEED : Number(raw);
    if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED=${JSON.stringify(raw)} is not an integer`);
    return seed;
}

/** Logs the seed once per suite, in mocha's indentation. */
export function printSeed(seed: number): void {
    console.log(`      fast-check seed ${seed} (replay or change it with FUZZ_SEED=<n>)`);
}
