// Exemptions are part of the report: every one is listed (advisory), and one without a real reason,
// or naming no rule of this pack, is refused (mandatory) and exempts nothing.
import { label } from "../lib/graph";
import { EXEMPTION_TAG_PREFIX, exemptionsOf, formatExemption, MIN_REASON_LENGTH, reasonProblem } from "../lib/exemptions";
import { EXEMPTION_VALID, EXEMPTIONS_LISTED } from "../lib/metadata";
import { stackRule, TandemPolicy } from "../lib/rule";
import { ownTags } from "../lib/tags";


/** The two exemption rules; `ruleNames` are the pack's rules an exemption may name. */
export function exemptionPolicies(ruleNames: string[]): TandemPolicy[] {
    const exemptable = new Set(ruleNames);
    const valid = stackRule({
        name: EXEMPTION_VALID,
        pillar: "operational-excellence",
        description: "Exemption tags name a rule of this pack and give a written reason.",
        anchors: ["Checkov skip comments (checkov:skip=<id>:<reason>)", "cdk-nag suppressions with reason"],
        satisfy: `Tag the resource \`${EXEMPTION_TAG_PREFIX}<rule-name>\` = a reason of at least ${MIN_REASON_LENGTH} characters saying why the rule does not apply (infra/exemptions.ts checks the characters AWS allows). Remove tags for rules that no longer exist.`,
        enforcementLevel: "mandatory",
        severity: "high",
    }, {
        honourExemptions: false,
        check: ({ graph, report }) => {
            for (const r of graph.resources) {
                for (const e of exemptionsOf(ownTags(r.props))) {
                    if (!exemptable.has(e.rule)) {
                        report(r, `${label(r)} has ${e.tagKey}, but this pack has no rule ${JSON.stringify(e.rule)}${exemptable.has(e.rule.toLowerCase()) ? ` (rule names are lowercase: ${e.rule.toLowerCase()})` : ""}: the exemption is refused.`);
                        continue;
                    }
                    const problem = reasonProblem(e.reason);
                    if (problem) {
                        report(r, `${label(r)}'s exemption from ${e.rule} is refused: ${problem}. Write why the rule does not apply.`);
                    }
                }
            }
        },
    });
    const listed = stackRule({
        name: EXEMPTIONS_LISTED,
        pillar: "operational-excellence",
        description: "Lists every accepted exemption with its reason (advisory: informs, never blocks).",
        anchors: ["Checkov skipped checks (listed with their reason in the report)"],
        satisfy: "Nothing to fix: review the list; remove an exemption when its reason no longer holds.",
        enforcementLevel: "advisory",
        severity: "low",
    }, {
        honourExemptions: false,
        check: ({ graph, report }) => {
            for (const r of graph.resources) {
                for (const e of exemptionsOf(ownTags(r.props))) {
                    if (exemptable.has(e.rule) && reasonProblem(e.reason) === undefined) {
                        report(r, formatExemption(e.rule, e.reason));
                    }
                }
            }
        },
    });
    return [valid, listed];
}
