// Mocha root hooks (.mocharc.json requires this file): what the whole run shares is released at its end.
import { stopSharedPolicyHosts } from "./policyHost";
import { removeFixtures } from "./projectFixture";

export const mochaHooks = {
    async afterAll(): Promise<void> {
        await stopSharedPolicyHosts();
        // Not per suite: a suite's fixtures may still be read by work started as its file loaded (the
        // preflight suite's type checks run while the suites before it do).
        removeFixtures();
    },
};
