import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "lambda-supported-runtime",
    cases: [
        pass("nodejs22.x", program()),
        pass("a container image brings its own runtime (not applicable)", edit(program(), "api", (p) => ({ ...p, packageType: "Image", runtime: undefined, imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1" }))),
        fail("nodejs16.x", "api", edit(program(), "api", (p) => ({ ...p, runtime: "nodejs16.x" }))),
        fail("python3.8", "ingest", edit(program(), "ingest", (p) => ({ ...p, runtime: "python3.8" }))),
        fail("no runtime on a zip function", "canary", edit(program(), "canary", (p) => ({ ...p, runtime: undefined }))),
    ],
};
