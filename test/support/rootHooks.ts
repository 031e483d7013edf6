// Mocha root hooks (.mocharc.json requires this file): a test of code that runs on Lambda fails if it
// leaves a promise rejection nothing handled (./unhandledRejections.ts), and what the whole run shares is
// released at its end.
import type { Context } from "mocha";
import { stopSharedPolicyHosts } from "./policyHost";
import { removeFixtures } from "./projectFixture";
import { describeRejections, runsLambdaCode, takeUnhandledRejections } from "./unhandledRejections";

export const mochaHooks = {
    async beforeEach(): Promise<void> {
        // What earlier tests left is theirs.
        await takeUnhandledRejections();
    },
    async afterEach(this: Context): Promise<void> {
        const reasons = await takeUnhandledRejections();
        if (reasons.length > 0 && runsLambdaCode(this.currentTest?.file)) {
            throw new Error(`${reasons.length} unhandled promise rejection(s) in "${this.currentTest?.fullTitle()}":\n${describeRejections(reasons)}`);
        }
    },
    async afterAll(): Promise<void> {
        await stopSharedPolicyHosts();
        // Not per suite: a suite's fixtures may still be read by work started as its file loaded (the
        // preflight suite's type checks run while the suites before it do).
        removeFixtures();
    },
};
