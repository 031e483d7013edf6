// npm run cost: flags are checked before anything is evaluated, every problem is named, and a run
// prints every line with a total that adds up.
import { strict as assert } from "assert";
import { runCost } from "../../tools/cost/cost";
import { parseCostArgs, resolveUsage, UsageError } from "../../tools/cost/usage";
import { evaluatedStack } from "../support/evaluatedStacks";

const STACKS = ["prod", "dr"] as const;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runCost(argv, { out: (t) => (out += t), err: (t) => (err += t) }, evaluatedStack);
    return { code, out, err };
}

function parseError(argv: string[]): string {
    try {
        parseCostArgs(argv, STACKS);
    } catch (e) {
        assert.ok(e instanceof UsageError, String(e));
        return e.message;
    }
    assert.fail(`${argv.join(" ")} was accepted`);
}

describe("cost: the command line", () => {
    it("names each bad flag, all at once, with the usage", () => {
        const message = parseError(["--stack", "prod", "--requets", "5", "--storage-gb", "lots", "--failure-rate", "2", "--month", "1.5", "--avg-object-kb"]);
        assert.match(message, /unknown option "--requets"; did you mean --requests\?/);
        assert.match(message, /--storage-gb must be a number, not "lots"/);
        assert.match(message, /--failure-rate is 2; allowed: 0 to 1/);
        assert.match(message, /--month must be a whole number, not 1\.5/);
        assert.match(message, /--avg-object-kb needs a value/);
        assert.match(message, /usage: npm run cost -- --stack prod\|dr\|all/);
    });

    it("requires a known stack", () => {
        assert.match(parseError([]), /--stack is required \(prod\|dr\|all\)/);
        assert.match(parseError(["--stack", "staging"]), /--stack "staging" is not a stack \(prod\|dr\|all\)/);
        assert.match(parseError(["--stack", "prod", "--stack", "dr"]), /--stack is given twice/);
    });

    it("refuses usage that contradicts itself", () => {
        assert.match(parseError(["--stack", "prod", "--idle-30d-share", "0.2", "--idle-90d-share", "0.5"]), /--idle-90d-share \(0\.5\) cannot exceed --idle-30d-share \(0\.2\)/);
        assert.throws(() => resolveUsage("primary", { requests: 10, ingestPerMonth: 100 }), /--requests \(10\) must be at least --ingest-per-month \(100\)/);
        assert.doesNotThrow(() => resolveUsage("standby", { requests: 0, ingestPerMonth: 100 }));
    });

    it("accepts --flag=value, underscores and role defaults", () => {
        const r = parseCostArgs(["--stack=all", "--requests=2_000_000", "--json"], STACKS);
        assert.deepEqual(r.stacks, ["prod", "dr"]);
        assert.equal(r.overrides.requests, 2_000_000);
        assert.equal(r.json, true);
        assert.equal(resolveUsage("standby", {}).requests, 0);
        assert.equal(resolveUsage("primary", {}).requests, 1_000_000);
    });

    it("exits 2 with the problem on stderr and nothing on stdout", async () => {
        const { code, out, err } = await run(["--stack", "prod", "--bogus"]);
        assert.equal(code, 2);
        assert.equal(out, "");
        assert.match(err, /unknown option "--bogus"/);
    });

    it("prints both stacks as JSON whose totals add up", async () => {
        const { code, out, err } = await run(["--stack", "all", "--json", "--requests", "3000000"]);
        assert.equal(code, 0, err);
        const report = JSON.parse(out);
        assert.deepEqual(report.estimates.map((e: any) => [e.stack, e.region, e.role]), [["prod", "us-east-1", "primary"], ["dr", "us-west-2", "standby"]]);
        for (const e of report.estimates) {
            const sum = e.lines.reduce((n: number, l: any) => n + l.usd, 0);
            assert.ok(Math.abs(sum - e.totalUsd) < 0.01, `${e.stack}: lines add to ${sum}, total says ${e.totalUsd}`);
            assert.deepEqual(e.savings.map((s: any) => s.id), ["bucketKeys", "arm64", "logRetention"]);
            assert.equal(e.usage.requests, 3_000_000, "a flag applies to every stack");
        }
        assert.ok(Math.abs(report.totalUsd - report.estimates[0].totalUsd - report.estimates[1].totalUsd) < 0.001);
        assert.ok(report.unverifiedPrices.includes("cloudwatch.dashboard"));
    });

    it("prints a table with the total, the savings and the assumptions", async () => {
        const { code, out } = await run(["--stack", "dr"]);
        assert.equal(code, 0);
        assert.match(out, /monthly cost estimate for stack dr \(us-west-2, standby\)/);
        assert.match(out, /Total for dr\s+\$\d+\.\d\d/);
        assert.match(out, /S3 Bucket Keys on vs one KMS request per object read or write: saves \$\d+\.\d\d\/month/);
        assert.match(out, /Usage assumed: --requests 0 /);
        assert.match(out, /dashboards \*/, "unverified prices are marked");
    });

    describe("document storage at the configured usage", () => {
        const choicesOf = async (argv: string[]) => {
            const { code, out, err } = await run([...argv, "--json"]);
            assert.equal(code, 0, err);
            return JSON.parse(out).estimates as Array<{ stack: string; storageChoices: Array<{ choice: string; totalUsd: number; configured: boolean; cheapest: boolean }> }>;
        };

        it("the default stacks are configured with the cheapest of the three choices at the default usage", async () => {
            for (const e of await choicesOf(["--stack", "all"])) {
                assert.deepEqual(e.storageChoices.map((c) => c.choice), ["standard", "intelligent-tiering-by-lifecycle", "intelligent-tiering-on-write"]);
                const configured = e.storageChoices.find((c) => c.configured)!;
                assert.equal(configured.choice, "standard", e.stack);
                assert.ok(configured.cheapest, `${e.stack}: ${JSON.stringify(e.storageChoices)}`);
                assert.ok(e.storageChoices.every((c) => c.totalUsd >= configured.totalUsd - 0.005));
            }
        });

        it("names another choice as the cheapest when the usage favours it (large, mostly idle documents)", async () => {
            const [prod] = await choicesOf(["--stack", "prod", "--avg-object-kb", "4096", "--storage-gb", "5000", "--idle-30d-share", "0.8", "--idle-90d-share", "0.5"]);
            assert.deepEqual(prod.storageChoices.filter((c) => c.cheapest).map((c) => c.choice), ["intelligent-tiering-on-write"]);
            assert.ok(!prod.storageChoices.find((c) => c.configured)!.cheapest);
        });

        it("prints the comparison with the date the prices were checked", async () => {
            const { out } = await run(["--stack", "prod"]);
            assert.match(out, /Document storage at this usage \(tandem:documentStorage; the stack's total with each choice, prices checked \d{4}-\d{2}-\d{2}\):/);
            assert.match(out, /  standard +\$\d+\.\d\d +S3 Standard  <- configured, cheapest/);
            assert.match(out, /  intelligent-tiering-on-write +\$\d+\.\d\d \(\+\$\d+\.\d\d\) +written in Intelligent-Tiering/);
        });
    });
});
