// Promise rejections nothing handled, recorded for the whole run. Mocha traps them and re-emits them on
// `process`, where nothing listens by default: one would pass unseen. In the code that runs on Lambda one
// is a bug — the runtime aborts the invocation on it (Runtime.UnhandledPromiseRejection) — so the root
// hooks fail a test of the functions or of the local app that leaves one. A failing Pulumi program
// leaves them by design (the SDK rejects the outputs of a failed registration, and Pulumi's language host
// fails the program on an unhandled rejection): the other suites' are dropped.
const unhandled: unknown[] = [];
process.on("unhandledRejection", (reason) => unhandled.push(reason));

/** The unhandled rejections since the last call, once those of the current turn have been reported. */
export async function takeUnhandledRejections(): Promise<unknown[]> {
    await new Promise((resolve) => setImmediate(resolve));
    return unhandled.splice(0);
}

/** Whether a test file's code runs on Lambda: the functions, and the local app that runs them. */
export function runsLambdaCode(file: string | undefined): boolean {
    return file !== undefined && /[\\/]test[\\/](functions|local)[\\/]/.test(file);
}

export function describeRejections(reasons: unknown[]): string {
    return reasons.map((reason) => (reason instanceof Error ? (reason.stack ?? reason.message) : String(reason))).join("\n");
}
