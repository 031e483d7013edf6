// How a Tandem rule is declared: its documentation (pillar, rationale, anchors, how to satisfy it)
// travels with it, in the policy's `tags` and `remediationSteps` (and, in-process, its `doc`), so `pulumi preview`, the
// offline runner (which learns them through GetAnalyzerInfo) and docs/policy.md all read the same
// metadata.
// The wrappers add what every rule needs: schema defaults for its settings, exemptions, and, for
// stack rules, checking each resource on its own so one value unknown during a preview does not hide
// the verdicts on every other resource.
import {
    EnforcementLevel, PolicyConfigSchema, PolicyProviderResource, PolicyResource, ReportViolation,
    ResourceValidationArgs, ResourceValidationPolicy, Severity, StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import { validExemption } from "./exemptions";
import { StackGraph, stackGraphOf } from "./graph";
import { ANCHOR_TAG, Pillar, PILLAR_TAG } from "./metadata";
import { ownTags } from "./tags";
import { isUnknownValueError } from "./values";


/** Everything docs/policy.md and `plan --json` say about a rule. */
export interface RuleDoc {
    /** lowercase-with-hyphens, `<service>-<what is required>`. */
    name: string;
    pillar: Pillar;
    /** One sentence: what the rule requires. */
    description: string;
    /** Why: what goes wrong without it. */
    rationale: string;
    /** The public controls it covers, e.g. `Checkov CKV_AWS_145`, `Security Hub S3.17`. */
    anchors: string[];
    /** How to satisfy it in this program's terms. */
    satisfy: string;
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    configSchema?: PolicyConfigSchema;
}

export type TandemPolicy = (ResourceValidationPolicy | StackValidationPolicy) & { tags: string[]; remediationSteps: string; readonly doc: RuleDoc };

function metadata(doc: RuleDoc) {
    return {
        name: doc.name,
        description: doc.description,
        enforcementLevel: doc.enforcementLevel,
        severity: doc.severity,
        configSchema: doc.configSchema,
        tags: [`${PILLAR_TAG}${doc.pillar}`, ...doc.anchors.map((a) => `${ANCHOR_TAG}${a}`)],
        remediationSteps: doc.satisfy,
    };
}

/** Attaches the rule's documentation without making it part of what the server copies into diagnostics. */
function withDoc<P extends object>(policy: P, doc: RuleDoc): P & { readonly doc: RuleDoc } {
    Object.defineProperty(policy, "doc", { value: doc, enumerable: false });
    return policy as P & { readonly doc: RuleDoc };
}

/**
 * The rule's settings: what the engine configured (the CLI fills in schema defaults), with the
 * schema's defaults again underneath for engines that do not.
 */
function settings<C>(doc: RuleDoc, configured: object): C {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(doc.configSchema?.properties ?? {})) {
        if (typeof schema === "object" && schema !== null && "default" in schema) {
            defaults[key] = schema.default;
        }
    }
    return { ...defaults, ...configured } as C;
}

export interface ResourceCheck<C> {
    type: string;
    name: string;
    urn: string;
    /** The inputs, wrapped by the engine's unknown-checking proxy. */
    props: Record<string, any>;
    provider?: PolicyProviderResource;
    config: C;
    report(message: string): void;
    /** The rule does not apply to this resource (e.g. an asymmetric key cannot rotate). */
    notApplicable(reason: string): never;
}

export interface ResourceRuleSpec<C> {
    /** The resource types the rule applies to; others are reported as not applicable. */
    types: readonly string[];
    check(r: ResourceCheck<C>): void;
    /**
     * What an exemption from this rule may excuse: returns why the exemption does not hold for this
     * resource (the violation is then reported anyway), or undefined when it does.
     */
    exemptionPremise?(r: ResourceCheck<C>): string | undefined;
    /** Safe, automatic fixes: returns the new inputs, or undefined to leave the resource alone. */
    remediate?(args: ResourceValidationArgs, config: C): Promise<Record<string, any> | undefined> | Record<string, any> | undefined;
}

/** A rule that looks at one resource at a time (the engine's Analyze call, before each change). */
export function resourceRule<C = Record<string, never>>(doc: RuleDoc, spec: ResourceRuleSpec<C>): TandemPolicy {
    const types = new Set(spec.types);
    const scope = types.size <= 4 ? [...types].join(", ") : `${types.size} resource types`;
    const applies = (args: ResourceValidationArgs) => {
        if (!types.has(args.type)) {
            args.notApplicable(`${doc.name} applies to ${scope}`);
        }
    };
    const policy: ResourceValidationPolicy & { tags: string[]; remediationSteps: string } = {
        ...metadata(doc),
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            applies(args);
            const messages: string[] = [];
            const check: ResourceCheck<C> = {
                type: args.type, name: args.name, urn: args.urn, props: args.props, provider: args.provider,
                config: settings<C>(doc, args.getConfig()),
                report: (m) => messages.push(m),
                notApplicable: (reason) => args.notApplicable(reason),
            };
            spec.check(check);
            if (messages.length === 0) {
                return;
            }
            if (validExemption(ownTags(args.props), doc.name)) {
                const broken = spec.exemptionPremise?.(check);
                if (broken === undefined) {
                    return;
                }
                messages.forEach((m) => reportViolation(`${m} (The exemption does not cover this: ${broken}.)`));
                return;
            }
            messages.forEach((m) => reportViolation(m));
        },
    };
    // A rule about one type says so the way @pulumi/policy's own validateResourceOfType does: the server
    // then skips other resources before deserializing their properties (server.js, "Fast check").
    if (types.size === 1) {
        Object.defineProperty(policy.validateResource, "__pulumiType", { value: [...types][0] });
    }
    if (spec.remediate) {
        const remediate = spec.remediate;
        policy.remediateResource = (args: ResourceValidationArgs) => {
            applies(args);
            if (validExemption(ownTags(args.props), doc.name)) {
                return undefined;
            }
            return remediate(args, settings<C>(doc, args.getConfig()));
        };
    }
    return withDoc(policy, doc);
}

export interface StackCheck<C> {
    graph: StackGraph;
    config: C;
    stackTags: ReadonlyMap<string, string>;
    /** Reports a violation against `resource` unless its exemption holder is exempted from this rule. */
    report(resource: PolicyResource, message: string): void;
    /**
     * Runs `fn` for each subject; a subject whose verdict depends on a value unknown during a preview
     * is set aside (reported once, at the end, as the engine's advisory "can't run during preview").
     */
    each(subjects: PolicyResource[], fn: (subject: PolicyResource) => void): void;
}

export interface StackRuleSpec<C> {
    check(ctx: StackCheck<C>): void;
    /** False for the rules about exemptions themselves (an exemption cannot exempt from its own audit). */
    honourExemptions?: boolean;
    /**
     * What an exemption from this rule may excuse: given the exempted resource, returns why the
     * exemption does not hold (the violation is then reported anyway), or undefined when it does.
     */
    exemptionPremise?(holder: PolicyResource, graph: StackGraph, config: C): string | undefined;
}

/** A rule over the whole stack (the engine's AnalyzeStack call): relations between resources. */
export function stackRule<C = Record<string, never>>(doc: RuleDoc, spec: StackRuleSpec<C>): TandemPolicy {
    return withDoc({
        ...metadata(doc),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const graph = stackGraphOf(args.resources);
            const undecided: { subject: PolicyResource; error: Error }[] = [];
            const config = settings<C>(doc, args.getConfig());
            spec.check({
                graph,
                config,
                stackTags: args.stackTags,
                report: (resource, message) => {
                    const holder = graph.exemptionHolder(resource);
                    if (spec.honourExemptions !== false && holder && validExemption(ownTags(holder.props), doc.name)) {
                        const broken = spec.exemptionPremise?.(holder, graph, config);
                        if (broken === undefined) {
                            return;
                        }
                        message = `${message} (The exemption does not cover this: ${broken}.)`;
                    }
                    reportViolation(message, resource.urn);
                },
                each: (subjects, fn) => {
                    for (const subject of subjects) {
                        try {
                            fn(subject);
                        } catch (e) {
                            if (!isUnknownValueError(e)) {
                                throw e;
                            }
                            undecided.push({ subject, error: e });
                        }
                    }
                },
            });
            if (undecided.length > 0) {
                // Rethrown so the policy server reports it exactly as it does for resource rules.
                const first = undecided[0];
                first.error.message = `${undecided.map((u) => u.subject.name).join(", ")} cannot be checked until deployment `
                    + `(e.g. ${first.subject.type} "${first.subject.name}": ${first.error.message})`;
                throw first.error;
            }
        },
    }, doc);
}
