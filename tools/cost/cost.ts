// npm run cost -- --stack prod|dr|all [--json] [--requests N --storage-gb N ...]
// Estimates the monthly bill of a stack line by line from the settings the program actually gives
// its resources (evaluated on the mock runtime) and the list prices in tools/cost/prices.json,
// plus usage assumptions given as flags (see --help). Also shows what the design choices save, and
// what each document storage choice would cost at that usage.
import { Io, runCli } from "../cli";
import { evaluateStack, StackEvaluator, StackName, STACKS } from "../engine/evaluate";
import { estimate } from "./estimate";
import { loadPriceBook } from "./priceBook";
import { jsonReport, StackReport, textReport } from "./report";
import { savings } from "./savings";
import { stackSettings } from "./stackSettings";
import { storageChoices } from "./storageChoices";
import { parseCostArgs, resolveUsage, usageText, UsageError } from "./usage";

/** The command, testable in-process: returns the exit code. `evaluate` runs the program for a stack. */
export async function runCost(argv: string[], io: Io, evaluate: StackEvaluator = evaluateStack): Promise<number> {
    let request;
    try {
        request = parseCostArgs(argv, STACKS);
    } catch (e) {
        if (e instanceof UsageError) {
            io.err(e.message);
            return 2;
        }
        throw e;
    }
    if (request.help) {
        io.out(usageText());
        return 0;
    }
    const book = loadPriceBook();
    const reports: StackReport[] = [];
    for (const stack of request.stacks) {
        const settings = stackSettings(await evaluate(stack as StackName));
        let usage;
        try {
            usage = resolveUsage(settings.role, request.overrides);
        } catch (e) {
            if (e instanceof UsageError) {
                io.err(`${stack}: ${e.message}`);
                return 2;
            }
            throw e;
        }
        reports.push({ estimate: estimate(settings, usage, book), savings: savings(settings, usage, book), storageChoices: storageChoices(settings, usage, book) });
    }
    io.out(request.json ? JSON.stringify(jsonReport(reports, book), null, 2) : textReport(reports, book));
    return 0;
}

runCli(module, (argv, io) => runCost(argv, io));
