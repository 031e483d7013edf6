// The one way every tool is started: arguments parsed by `node:util` parseArgs (strict: an unknown or
// malformed flag is a usage error, exit 2), output written through an Io whose writes are awaited
// before the process exits. A piped stdout (`npm run plan -- --json | jq`) is written asynchronously
// by Node; exiting with writes still queued cuts the output at the pipe's 64 KiB buffer.
import { parseArgs, ParseArgsConfig } from "node:util";

export interface Io {
    out(text: string): void;
    err(text: string): void;
}

/** A command line that cannot be run; the message says what is wrong and how to call the tool. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface CommandSpec<O extends Options> {
    /** `usage: npm run … -- …` and a line per flag. */
    usage: string;
    options: O;
}

/** The parsed flags; `--help` is always accepted. */
export function parseCommandArgs<O extends Options>(argv: string[], spec: CommandSpec<O>) {
    try {
        return parseArgs({ args: argv, options: { ...spec.options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false }).values;
    } catch (e) {
        throw new UsageError(`${(e as Error).message}\n${spec.usage}`);
    }
}

/** An integer flag within bounds, or a UsageError naming the flag. */
export function integerFlag(flag: string, raw: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (raw === undefined) {
        return fallback;
    }
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
        throw new UsageError(`--${flag} is ${JSON.stringify(raw)}; allowed: an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`}`);
    }
    return value;
}

/** One of the allowed values, or a UsageError naming the flag. */
export function choiceFlag<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
    if (raw !== undefined && !(allowed as readonly string[]).includes(raw)) {
        throw new UsageError(`--${flag} is ${JSON.stringify(raw)}; allowed: ${allowed.join(", ")}`);
    }
    return raw as T | undefined;
}

/** An Io over stdout/stderr that remembers its last write on each, so the runner can wait for them. */
export function processIo(): Io & { flushed(): Promise<void> } {
    let pending: Promise<void>[] = [];
    const writer = (stream: NodeJS.WriteStream) => (text: string) => {
        pending.push(new Promise<void>((resolve) => stream.write(text.endsWith("\n") ? text : `${text}\n`, () => resolve())));
    };
    return {
        out: writer(process.stdout),
        err: writer(process.stderr),
        async flushed() {
            while (pending.length > 0) {
                const waiting = pending;
                pending = [];
                await Promise.all(waiting);
            }
        },
    };
}

/** Runs a tool's main function: usage errors give 2, other failures 1, each with its message (no stack trace: the message says what to fix). */
export async function runMain(main: (argv: string[], io: Io) => Promise<number>, argv: string[], io: Io): Promise<number> {
    try {
        return await main(argv, io);
    } catch (e) {
        io.err(e instanceof Error ? e.message : String(e));
        return e instanceof UsageError ? 2 : 1;
    }
}

/** When `module` is the entry point: runs its main, then exits once everything written has reached stdout and stderr. */
export function runCli(module: NodeModule, main: (argv: string[], io: Io) => Promise<number>): void {
    if (require.main !== module) {
        return;
    }
    const io = processIo();
    void runMain(main, process.argv.slice(2), io).then(async (code) => {
        await io.flushed();
        process.exit(code);
    });
}
