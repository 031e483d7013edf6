// Security: the customer managed keys everything else is encrypted with.
import { T } from "../../lib/aws";
import { CALLER_SCOPING_KEYS, hasConditionOn, parsePolicyDocument, Principals } from "../../lib/iam";
import { resourceRule, TandemPolicy } from "../../lib/rule";
import { known } from "../../lib/values";

const SYMMETRIC = "SYMMETRIC_DEFAULT";

export const keyRotation = resourceRule<{ maximumRotationDays: number }>({
    name: "kms-key-rotation",
    pillar: "security",
    description: "Customer managed symmetric KMS keys rotate their key material automatically.",
    anchors: ["Checkov CKV_AWS_7", "Security Hub KMS.4"],
    satisfy: "Set enableKeyRotation: true on the key (and rotationPeriodInDays no longer than maximumRotationDays).",
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
        if (spec !== SYMMETRIC) {
            notApplicable(`only symmetric encryption keys can rotate automatically (this key is ${spec})`);
        }
        if (known(props, "enableKeyRotation") !== true) {
            report("Automatic rotation is off: set enableKeyRotation: true.");
            return;
        }
        const period = known(props, "rotationPeriodInDays");
        if (typeof period === "number" && period > config.maximumRotationDays) {
            report(`The key rotates every ${period} days; at most ${config.maximumRotationDays} are allowed.`);
        }
    },
});

function isAnyone(p: Principals | undefined): boolean {
    return p !== undefined && (p.anyone || p.aws.some((a) => a.includes("*")) || p.service.includes("*"));
}

export const keyPolicyNoPublicPrincipal = resourceRule({
    name: "kms-key-policy-no-public-principal",
    pillar: "security",
    description: "KMS key policies grant nothing to a wildcard principal unless a condition narrows the caller.",
    anchors: ["Checkov CKV_AWS_33", "Security Hub KMS.5"],
    satisfy: "Name principals in the key policy: the account root (delegation to IAM), roles, or AWS services with an aws:SourceAccount / kms:CallerAccount / kms:ViaService condition.",
    enforcementLevel: "mandatory",
    severity: "critical",
}, {
    types: [T.key, T.keyPolicy],
    check: ({ props, report }) => {
        const document = known(props, "policy");
        if (document === undefined) {
            return; // The default key policy delegates to the account's IAM.
        }
        const doc = parsePolicyDocument(document);
        if (!doc.ok) {
            report(`The key policy cannot be read: ${doc.error}.`);
            return;
        }
        for (const s of doc.statements) {
            if (s.effect === "Allow" && (isAnyone(s.principals) || s.notPrincipals) && !hasConditionOn(s, CALLER_SCOPING_KEYS)) {
                report(`Statement ${s.sid} allows ${(s.actions ?? ["NotAction"]).join(", ")} to any principal without a condition on the caller.`);
            }
        }
    },
});

export const noLockoutBypass = resourceRule({
    name: "kms-no-lockout-bypass",
    pillar: "security",
    description: "KMS keys keep the policy lockout safety check (bypassPolicyLockoutSafetyCheck is never true).",
    anchors: ["AWS KMS docs: Default key policy / lockout safety check", "Well-Architected SEC08-BP01"],
    satisfy: "Leave bypassPolicyLockoutSafetyCheck unset or false on the Key (and on any KeyPolicy): a policy that locks out its own administrators makes the key unmanageable.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    types: [T.key, T.keyPolicy],
    check: ({ props, report }) => {
        if (known(props, "bypassPolicyLockoutSafetyCheck") === true) {
            report("bypassPolicyLockoutSafetyCheck is true: KMS would accept a policy that locks every administrator out of the key.");
        }
    },
});

/** AWS uses 30 days when no window is given. */
const AWS_DEFAULT_DELETION_WINDOW = 30;

export const deletionWindow = resourceRule<{ minimumDays: number }>({
    name: "kms-deletion-window",
    pillar: "security",
    description: "A scheduled KMS key deletion waits at least the configured number of days, so a mistake can be cancelled.",
    anchors: ["Security Hub KMS.3", "AWS Config kms-cmk-not-scheduled-for-deletion"],
    satisfy: "Set deletionWindowInDays to at least minimumDays (Tandem: tandem:kmsDeletionWindowDays, default 30).",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            minimumDays: { type: "integer", minimum: 7, maximum: 30, default: 30, description: "Shortest deletion waiting period allowed, in days (KMS accepts 7-30)." },
        },
    },
}, {
    types: [T.key, T.replicaKey, T.externalKey],
    check: ({ props, config, report }) => {
        const days = known(props, "deletionWindowInDays") ?? AWS_DEFAULT_DELETION_WINDOW;
        if (typeof days !== "number" || days < config.minimumDays) {
            report(`The deletion window is ${days} days; at least ${config.minimumDays} are required.`);
        }
    },
});

export const kmsPolicies: TandemPolicy[] = [keyRotation, keyPolicyNoPublicPrincipal, noLockoutBypass, deletionWindow];
