// Waiting for something done in the background (the local run, the fault proxy seeing a connection
// close): a bounded poll on a condition, never an assertion on how long it took.

/** Resolves once `condition` holds; fails after `timeoutMs` naming what it waited for. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
