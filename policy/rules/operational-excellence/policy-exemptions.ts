// policy-exemptions: every accepted exemption is listed with its reason.
import { exemptionsOf, formatExemption, reasonProblem } from "../../lib/exemptions";
import { EXEMPTIONS_LISTED } from "../../lib/metadata";
import { stackRule, TandemPolicy } from "../../lib/rule";
import { ownTags } from "../../lib/tags";

/** The rule, given the names of the pack's rules an exemption may name. */
export function policyFor(ruleNames: string[]): TandemPolicy {
    const exemptable = new Set(ruleNames);
    return stackRule({
        name: EXEMPTIONS_LISTED,
        pillar: "operational-excellence",
        description: "Lists every accepted exemption with its reason (advisory: informs, never blocks).",
        rationale: "Exemptions are part of the security posture: listing them on every preview keeps them visible, so one whose reason no longer holds gets removed.",
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
}
