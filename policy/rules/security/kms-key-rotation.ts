// kms-key-rotation: symmetric customer keys rotate automatically.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { known } from "../../lib/values";

const SYMMETRIC = "SYMMETRIC_DEFAULT";

export const policy = resourceRule<{ maximumRotationDays: number }>({
    name: "kms-key-rotation",
    pillar: "security",
    description: "Customer managed symmetric KMS keys (multi-Region primaries included) rotate their key material automatically.",
    rationale: "Rotation limits how much data one key version protects and how long a leaked version stays useful; KMS keeps old versions for decryption, so rotation never breaks reads.",
    anchors: ["Checkov CKV_AWS_7", "Security Hub KMS.4", "AWS Config cmk-backing-key-rotation-enabled"],
    satisfy: "Set enableKeyRotation: true on the Key (RegionKey does) and rotationPeriodInDays no longer than maximumRotationDays. Asymmetric and HMAC keys cannot rotate automatically and are not checked.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            maximumRotationDays: { type: "integer", minimum: 90, maximum: 2560, default: 365, description: "Longest rotation period allowed, in days." },
        },
    },
}, {
    types: [T.key],
    check: ({ props, config, report, notApplicable }) => {
        const spec = known(props, "keySpec") ?? known(props, "customerMasterKeySpec") ?? SYMMETRIC;
        const usage = known(props, "keyUsage") ?? "ENCRYPT_DECRYPT";
        if (spec !== SYMMETRIC || usage !== "ENCRYPT_DECRYPT") {
            notApplicable(`only symmetric encryption keys can rotate automatically (this key is ${spec}, ${usage})`);
        }
        if (known(props, "customKeyStoreId") !== undefined) {
            notApplicable("keys in a custom key store cannot rotate automatically");
        }
        if (known(props, "enableKeyRotation") !== true) {
            report(`Automatic rotation is off${known(props, "multiRegion") === true ? " on this multi-Region primary key (its replicas share its key material and rotate with it)" : ""}: set enableKeyRotation: true.`);
            return;
        }
        const period = known(props, "rotationPeriodInDays");
        if (typeof period === "number" && period > config.maximumRotationDays) {
            report(`The key rotates every ${period} days; at most ${config.maximumRotationDays} are allowed.`);
        }
    },
});
