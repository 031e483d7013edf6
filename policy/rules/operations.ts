// Operational excellence: every function can be observed (logs it keeps, traces, a dashboard) and
// every resource says whose it is (tags).
import { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import taggableTypes from "../taggableTypes.json";
import { functionNames, T } from "../lib/aws";
import { label, StackGraph } from "../lib/graph";
import { resourceRule, stackRule, TandemPolicy } from "../lib/rule";
import { effectiveTags, unknownTagKeys } from "../lib/tags";
import { keepAssetsIntact, known, knownString, plain, rawGet } from "../lib/values";

/** The log groups a function writes to: the one its loggingConfig names, else /aws/lambda/<name>. */
function functionLogGroups(graph: StackGraph, fn: PolicyResource): PolicyResource[] {
    const linked = graph.inputSources(fn, "loggingConfig", [T.logGroup]);
    if (linked.length > 0) {
        return linked;
    }
    const configured = knownString(fn.props, "loggingConfig", "logGroup");
    const expected = configured ? [configured] : functionNames(fn).map((name) => `/aws/lambda/${name}`);
    return graph.ofType(T.logGroup).filter((g) => expected.includes(rawGet(g.props, "name") as string));
}

export const functionLogRetention = stackRule<{ minimumDays: number }>({
    name: "lambda-log-group-retention",
    pillar: "operational-excellence",
    description: "Every Lambda function writes to a log group the program creates, kept at least the configured number of days.",
    anchors: ["Checkov CKV_AWS_66", "Serverless Rules WS1004", "Checkov CKV_AWS_338"],
    satisfy: "Create the function's LogGroup (name /aws/lambda/<function>, or name it in loggingConfig.logGroup) before the function, with retentionInDays ≥ minimumDays (tandem:logRetentionDays) and kmsKeyId; HardenedFunction does.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            minimumDays: { type: "integer", minimum: 1, maximum: 3653, default: 30, description: "Shortest retention allowed for a function's logs, in days." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(T.function), (fn) => {
        const groups = functionLogGroups(graph, fn);
        if (groups.length === 0) {
            report(fn, `${label(fn)} has no log group of its own: Lambda would create /aws/lambda/<name> on first use, never expiring and not encrypted with your key.`);
        }
        for (const g of groups) {
            const days = known(g.props, "retentionInDays");
            if (typeof days !== "number" || days === 0) {
                report(g, `${label(g)} (logs of ${label(fn)}) never expires: set retentionInDays ≥ ${config.minimumDays}.`);
            } else if (days < config.minimumDays) {
                report(g, `${label(g)} (logs of ${label(fn)}) keeps ${days} days; at least ${config.minimumDays} are required.`);
            }
        }
    }),
});

export const tracingActive = resourceRule({
    name: "lambda-tracing-active",
    pillar: "operational-excellence",
    description: "Lambda functions send X-Ray traces (tracingConfig.mode Active).",
    anchors: ["Checkov CKV_AWS_50", "Serverless Rules WS1000", "Security Hub Lambda.7"],
    satisfy: "Set tracingConfig: { mode: \"Active\" } and allow the role xray:PutTraceSegments and xray:PutTelemetryRecords (on \"*\", their only form).",
    enforcementLevel: "mandatory",
    severity: "low",
}, {
    types: [T.function],
    check: ({ props, report }) => {
        const mode = known(props, "tracingConfig", "mode");
        if (mode !== "Active") {
            report(`tracingConfig.mode is ${JSON.stringify(mode ?? "PassThrough")}: requests through the function are not traced.`);
        }
    },
});

interface TagSettings {
    requiredTags: string[];
    remediationValues: Record<string, string>;
}

function missingTags(args: { props: unknown; provider?: { props: unknown } }, required: string[]): string[] | undefined {
    const tags = effectiveTags(args.props, args.provider?.props);
    if (!tags) {
        return undefined; // The whole tag map is computed: decided at deployment.
    }
    const pending = unknownTagKeys(args.props);
    return required.filter((t) => !pending.includes(t) && (tags[t] ?? "").trim() === "");
}

export const requiredTags = resourceRule<TagSettings>({
    name: "required-tags",
    pillar: "operational-excellence",
    description: "Every taggable AWS resource carries the required tags (provider default tags count).",
    anchors: ["AWS Config required-tags", "Well-Architected COST03-BP02"],
    satisfy: "Set the tags once as the aws provider's defaultTags (index.ts does: app, stack, role, owner, cost-center); with enforcement level remediate, missing tags that have a value in remediationValues are added automatically.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            requiredTags: {
                type: "array", items: { type: "string" }, uniqueItems: true,
                default: ["app", "stack", "role", "owner", "cost-center"], description: "Tag keys every taggable resource must carry, with a non-empty value.",
            },
            remediationValues: {
                type: "object", additionalProperties: { type: "string" }, default: {},
                description: "Values the remediation gives missing tags (level remediate); tags without one stay violations.",
            },
        },
    },
}, {
    types: taggableTypes,
    check: ({ props, provider, config, report }) => {
        const missing = missingTags({ props, provider }, config.requiredTags);
        if (missing === undefined) {
            known(props, "tags"); // Throws the engine's "unknown during preview".
        } else if (missing.length > 0) {
            report(`Missing tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (neither on the resource nor in the provider's defaultTags).`);
        }
    },
    remediate: async (args: ResourceValidationArgs, config: TagSettings) => {
        const missing = missingTags(args, config.requiredTags) ?? [];
        const fill = missing.filter((t) => typeof config.remediationValues[t] === "string" && config.remediationValues[t].trim() !== "");
        if (fill.length === 0) {
            return undefined;
        }
        const own = (plain(rawGet(args.props, "tags")) ?? {}) as Record<string, unknown>;
        args.props.tags = { ...own, ...Object.fromEntries(fill.map((t) => [t, config.remediationValues[t]])) };
        await keepAssetsIntact(args.props);
        return args.props;
    },
});

export const dashboard = stackRule<{ requireEveryFunction: boolean }>({
    name: "cloudwatch-dashboard",
    pillar: "operational-excellence",
    description: "A stack with functions has a CloudWatch dashboard, and every function appears on one.",
    anchors: ["Serverless Lens OPS 1", "Well-Architected OPS08-BP01"],
    satisfy: "Create a Dashboard whose body is built from each function's name output (Monitoring's alarmDashboardBody), so it depends on every function.",
    enforcementLevel: "mandatory",
    severity: "low",
    configSchema: {
        properties: {
            requireEveryFunction: { type: "boolean", default: true, description: "Require each function on a dashboard, not just one dashboard per stack." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => {
        const functions = graph.ofType(T.function);
        if (functions.length === 0) {
            return;
        }
        const dashboards = graph.ofType(T.dashboard);
        if (dashboards.length === 0) {
            report(graph.ofType(T.stack)[0] ?? functions[0], `The stack has ${functions.length} function(s) and no CloudWatch dashboard.`);
            return;
        }
        if (!config.requireEveryFunction) {
            return;
        }
        each(functions, (fn) => {
            const names = functionNames(fn);
            const shown = dashboards.some((d) => graph.inputSources(d, "dashboardBody").some((s) => s.urn === fn.urn)
                || names.some((n) => (knownString(d.props, "dashboardBody") ?? "").includes(JSON.stringify(n))));
            if (!shown) {
                report(fn, `${label(fn)} is on no dashboard.`);
            }
        });
    },
});

export const operationsPolicies: TandemPolicy[] = [functionLogRetention, tracingActive, requiredTags, dashboard];
