import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "lambda-memory-bounds",
    cases: [
        pass("512 MB", program()),
        pass("4 GB with a raised maximum", edit(program(), "ingest", (p) => ({ ...p, memorySize: 4096 })), { config: { "lambda-memory-bounds": { maximumMb: 4096 } } }),
        fail("128 MB", "api", edit(program(), "api", (p) => ({ ...p, memorySize: 128 }))),
        fail("10 GB", "ingest", edit(program(), "ingest", (p) => ({ ...p, memorySize: 10240 }))),
        fail("left out (128 MB)", "canary", edit(program(), "canary", (p) => ({ ...p, memorySize: undefined }))),
    ],
};
