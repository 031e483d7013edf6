import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { key, TY } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "kms-key-rotation",
    cases: [
        pass("the region key", key()),
        pass("an asymmetric signing key (cannot rotate: not applicable)", [{ type: TY.key, name: "signing", inputs: { keyUsage: "SIGN_VERIFY", customerMasterKeySpec: "RSA_2048", enableKeyRotation: false } }]),
        pass("an HMAC key (cannot rotate: not applicable)", [{ type: TY.key, name: "mac", inputs: { keyUsage: "GENERATE_VERIFY_MAC", keySpec: "HMAC_256" } }]),
        fail("rotation off", "key", edit(key(), "key", (p) => ({ ...p, enableKeyRotation: false }))),
        fail("rotation left out on a multi-Region primary key", "mrk", [{ type: TY.key, name: "mrk", inputs: { multiRegion: true, deletionWindowInDays: 30 } }]),
        fail("a rotation period longer than allowed", "key", edit(key(), "key", (p) => ({ ...p, rotationPeriodInDays: 730 }))),
        fail("a stricter configured maximum", "key", key(), { config: { "kms-key-rotation": { maximumRotationDays: 180 } } }),
    ],
};
