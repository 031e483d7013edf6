// Names shared by the pack and whoever reads its reports (the offline runner), with no dependencies:
// the Well-Architected pillars, and how a policy's pillar and anchors travel in its `tags`.

export const PILLARS = {
    "security": "Security",
    "reliability": "Reliability",
    "operational-excellence": "Operational excellence",
    "performance-efficiency": "Performance efficiency",
    "cost-optimization": "Cost optimization",
} as const;
export type Pillar = keyof typeof PILLARS;

/** Tag prefixes carrying the pillar and anchors through GetAnalyzerInfo. */
export const PILLAR_TAG = "pillar:";
export const ANCHOR_TAG = "anchor:";

/** The rule that refuses malformed exemptions, and the (advisory) one that lists accepted exemptions. */
export const EXEMPTION_VALID = "policy-exemption-valid";
export const EXEMPTIONS_LISTED = "policy-exemptions";
