// The pack started exactly as `pulumi preview --policy-pack policy` starts it: @pulumi/pulumi's
// run-policy-pack entry, with its type-checking TypeScript setup and the pack's own tsconfig. It must
// type-check, serve, and judge the program as the lighter host does.
import { strict as assert } from "assert";
import * as os from "os";
import { evaluatedStack } from "../support/evaluatedStacks";
import { sharedPolicyHost } from "../support/policyHost";

// Type-checking the pack takes seconds of its own process: started as this file loads, at the lowest
// CPU priority, and, as the file is named, judged after the other policy suites, by when it has long
// been ready.
const cliHost = sharedPolicyHost("cli", { lowPriority: true });

describe("policy pack under the CLI's own analyzer entry (run-policy-pack)", function () {
    it("type-checks, serves the same policies and passes the dr stack", async function () {
        this.timeout(180_000);
        const [cli, light] = await Promise.all([cliHost, sharedPolicyHost("transpiled")]);
        assert.deepEqual(cli.info, light.info);
        assert.equal(os.getPriority(cli.pid), os.constants.priority.PRIORITY_LOW, "started at the lowest CPU priority");
        const report = await cli.run(await evaluatedStack("dr"));
        assert.equal(report.mandatoryCount, 0);
        assert.deepEqual(report.exemptions.map((e) => e.policy).sort(), ["s3-access-logging", "s3-bucket-key-enabled", "s3-cross-region-replication", "s3-sse-kms-customer-key"]);
    });
});
