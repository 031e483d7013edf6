// Exemptions: a resource is exempted from one rule by a tag `tandem:policy-exempt:<rule-name>` whose
// value is the written reason, so the reason lives on the resource and shows in the AWS console.
// A rule ignores an exempted resource only when the reason is a real one; the `policy-exemption-valid`
// rule refuses the others, and `policy-exemptions` lists every exemption in the report.
// The program (infra/exemptions.ts) writes the same prefix; a test keeps the two identical.

export const EXEMPTION_TAG_PREFIX = "tandem:policy-exempt:";

/** A reason shorter than this explains nothing ("n/a", "legacy", "ok"). */
export const MIN_REASON_LENGTH = 12;

/** Reasons that say nothing about why the rule does not apply. */
const PLACEHOLDERS = /^(n\/?a|none|todo|tbd|fixme|exempt(ed)?|ignore(d)?|skip(ped)?|temporary|temp|legacy|test(ing)?|see ticket|wip|-+|\.+)$/i;

export interface Exemption {
    rule: string;
    reason: string;
    tagKey: string;
}

/** Every exemption tag among `tags`, valid or not. */
export function exemptionsOf(tags: Record<string, unknown> | undefined): Exemption[] {
    if (!tags) {
        return [];
    }
    return Object.entries(tags)
        .filter(([key]) => key.startsWith(EXEMPTION_TAG_PREFIX))
        .map(([key, value]) => ({ rule: key.slice(EXEMPTION_TAG_PREFIX.length), reason: typeof value === "string" ? value : "", tagKey: key }));
}

/** Why a reason is refused, or undefined when it is acceptable. */
export function reasonProblem(reason: string): string | undefined {
    const trimmed = reason.trim();
    if (trimmed === "") {
        return "the reason is empty";
    }
    if (PLACEHOLDERS.test(trimmed)) {
        return `"${trimmed}" is a placeholder, not a reason`;
    }
    if (trimmed.length < MIN_REASON_LENGTH) {
        return `"${trimmed}" is too short to explain anything (at least ${MIN_REASON_LENGTH} characters)`;
    }
    if (!/\p{L}{3,}/u.test(trimmed)) {
        return `"${trimmed}" contains no words`;
    }
    return undefined;
}

/** The exemption from `rule` among `tags` when its reason is acceptable. */
export function validExemption(tags: Record<string, unknown> | undefined, rule: string): Exemption | undefined {
    return exemptionsOf(tags).find((e) => e.rule === rule && reasonProblem(e.reason) === undefined);
}

// How the `policy-exemptions` rule words each listed exemption; the offline runner parses it back.
const LISTED = /^Exempt from ([a-z0-9-]+): (.*)$/s;

export function formatExemption(rule: string, reason: string): string {
    return `Exempt from ${rule}: ${reason}`;
}

export function parseExemption(message: string): { rule: string; reason: string } | undefined {
    const m = LISTED.exec(message.trim());
    return m ? { rule: m[1], reason: m[2] } : undefined;
}
