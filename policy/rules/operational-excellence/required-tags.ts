// required-tags: every taggable resource says whose it is.
import { ResourceValidationArgs } from "@pulumi/policy";
import taggableTypes from "../../taggableTypes.json";
import { resourceRule } from "../../lib/rule";
import { effectiveTags, unknownTagKeys } from "../../lib/tags";
import { keepAssetsIntact, known, plain, rawGet } from "../../lib/values";

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

export const policy = resourceRule<TagSettings>({
    name: "required-tags",
    pillar: "operational-excellence",
    description: "Every taggable AWS resource carries the required tags (provider default tags count).",
    rationale: "Tags are how cost is allocated, how on-call finds an owner, and how this pack knows a stack's role (primary or standby); a resource without them is nobody's.",
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
