// A resource is exempted from a policy rule only with a written reason, carried as a tag so the reason
// lives on the resource itself and shows in the AWS console: `tandem:policy-exempt:<rule-name>` = reason.
// The policy pack reads the same prefix and lists every exemption it honours.

export const EXEMPTION_TAG_PREFIX = "tandem:policy-exempt:";

/** AWS tag values allow letters, digits, spaces and `_ . : / = + - @` only, up to 256 characters. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/** Tags that exempt a resource from the named rules; throws if a reason is empty or not a valid tag value. */
export function exemptionTags(reasons: Record<string, string>): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const [rule, reason] of Object.entries(reasons)) {
        if (!TAG_VALUE.test(reason)) {
            throw new Error(`The exemption from ${rule} needs a reason of 1-256 characters using letters, digits, spaces and _ . : / = + - @ only; got ${JSON.stringify(reason)}`);
        }
        tags[`${EXEMPTION_TAG_PREFIX}${rule}`] = reason;
    }
    return tags;
}
