// policy-exemption-valid: an exemption names a rule of this pack and says why.
import { label } from "../../lib/graph";
import { EXEMPTION_TAG_PREFIX, exemptionsOf, MIN_REASON_LENGTH, reasonProblem } from "../../lib/exemptions";
import { EXEMPTION_VALID } from "../../lib/metadata";
import { stackRule, TandemPolicy } from "../../lib/rule";
import { ownTags } from "../../lib/tags";

/** The rule, given the names of the pack's rules an exemption may name. */
export function policyFor(ruleNames: string[]): TandemPolicy {
    const exemptable = new Set(ruleNames);
    return stackRule({
        name: EXEMPTION_VALID,
        pillar: "operational-excellence",
        description: "Exemption tags name a rule of this pack and give a written reason.",
        rationale: "An exemption without a reason cannot be reviewed or retired, and one naming a rule that does not exist (a typo, a renamed rule) silently exempts nothing while looking like it does.",
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
}
