// cloudwatch-log-retention-set: log groups expire their events.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { known } from "../../lib/values";

export const policy = resourceRule<{ maximumDays: number }>({
    name: "cloudwatch-log-retention-set",
    pillar: "cost-optimization",
    description: "CloudWatch log groups expire their events (retention set, at most the configured days), never keep them forever.",
    rationale: "Log groups keep events forever by default; storage cost grows without bound while nobody reads logs older than the retention the team agreed on.",
    anchors: ["AWS Config cw-loggroup-retention-period-check", "Checkov CKV_AWS_66"],
    satisfy: "Set retentionInDays on every LogGroup (tandem:logRetentionDays for the functions' groups).",
    enforcementLevel: "mandatory",
    severity: "low",
    configSchema: {
        properties: {
            maximumDays: { type: "integer", minimum: 1, maximum: 3653, default: 3653, description: "Longest retention allowed, in days." },
        },
    },
}, {
    types: [T.logGroup],
    check: ({ props, config, report }) => {
        const days = known(props, "retentionInDays");
        if (typeof days !== "number" || days === 0) {
            report(`retentionInDays is ${days === 0 ? "0 (never expire)" : "not set"}: the log group keeps (and bills) every event forever.`);
        } else if (days > config.maximumDays) {
            report(`retentionInDays is ${days}; at most ${config.maximumDays} are allowed.`);
        }
    },
});
