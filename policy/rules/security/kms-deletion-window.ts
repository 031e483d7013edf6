// kms-deletion-window: a scheduled deletion can still be cancelled for long enough.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { known } from "../../lib/values";

/** AWS uses 30 days when no window is given. */
const AWS_DEFAULT_DELETION_WINDOW = 30;

export const policy = resourceRule<{ minimumDays: number }>({
    name: "kms-deletion-window",
    pillar: "security",
    description: "A scheduled KMS key deletion waits at least the configured number of days, so a mistake can be cancelled.",
    rationale: "Deleting a key destroys every object encrypted with it, replicas included; the waiting period is the only undo.",
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
