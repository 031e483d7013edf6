// Mocha root hooks (.mocharc.json requires this file): what the whole run shares is released at its end.
import { stopSharedPolicyHosts } from "./policyHost";

export const mochaHooks = {
    async afterAll(): Promise<void> {
        await stopSharedPolicyHosts();
    },
};
