// Secrets by value: well-known credential shapes (after gitleaks' rules, gitleaks/gitleaks
// config/gitleaks.toml) and random-looking tokens measured by Shannon entropy (after Yelp's
// detect-secrets: Base64HighEntropyString limit 4.5, HexHighEntropyString limit 3.0 bits per
// character), whatever the variable is called.

/** Values that are references to a secret store, not secrets. */
export const SECRET_REFERENCE = /^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:|ssm:|secretsmanager:)/;

/** Shapes of well-known credentials. */
export const CREDENTIAL_SHAPES: [string, RegExp][] = [
    ["an AWS access key id", /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/],
    ["a private key", /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----/],
    ["a GitHub token", /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/],
    ["a GitLab token", /\bglpat-[A-Za-z0-9_-]{20,}\b/],
    ["a Slack token", /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
    ["a Slack webhook URL", /hooks\.slack\.com\/(services|workflows)\/[A-Za-z0-9+/_-]{20,}/],
    ["a Stripe secret key", /\b(sk|rk)_(live|test|prod)_[A-Za-z0-9]{10,}/],
    ["a Google API key", /\bAIza[0-9A-Za-z_-]{35}\b/],
    ["a SendGrid API key", /\bSG\.[A-Za-z0-9=_.-]{66}\b/],
    ["an npm token", /\bnpm_[A-Za-z0-9]{36}\b/],
    ["an OpenAI API key", /\bsk-(proj-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|\bsk-proj-[A-Za-z0-9_-]{40,}/],
    ["a Pulumi access token", /\bpul-[a-f0-9]{40}\b/],
    ["a JSON web token", /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
    ["credentials in a URL", /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i],
];

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
    const counts = new Map<string, number>();
    for (const c of s) {
        counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let bits = 0;
    for (const n of counts.values()) {
        const p = n / s.length;
        bits -= p * Math.log2(p);
    }
    return bits;
}

export interface EntropyLimits {
    base64: number;
    hex: number;
    minLength: number;
}

/** Shapes that are random-looking and long but not secret: ids AWS or the program hand out. */
const NOT_SECRET = [
    /^arn:/, // an ARN names a resource
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // a UUID (a KMS key id, a request id)
    /^https?:\/\/[^@\s]+$/i, // a URL without credentials (the credentials check above catches the others)
];

/** The first token of `value` that looks like a random secret, with its entropy. */
export function highEntropyToken(value: string, limits: EntropyLimits): { token: string; entropy: number; kind: "hex" | "base64" } | undefined {
    if (NOT_SECRET.some((re) => re.test(value.trim()))) {
        return undefined;
    }
    for (const token of value.match(/[A-Za-z0-9+/=_-]+/g) ?? []) {
        if (token.length < limits.minLength) {
            continue;
        }
        const entropy = shannonEntropy(token);
        if (/^[0-9a-fA-F]+$/.test(token)) {
            if (token.length < 32) {
                continue; // short hex strings are ids and hashes prefixes, not keys
            }
            if (entropy > limits.hex && /[0-9]/.test(token) && /[a-fA-F]/.test(token)) {
                return { token, entropy, kind: "hex" };
            }
        } else if (entropy > limits.base64 && /[0-9]/.test(token) && /[A-Za-z]/.test(token)) {
            return { token, entropy, kind: "base64" };
        }
    }
    return undefined;
}

/** A value shown in a message without revealing it: its first characters and its length. */
export function redact(value: string): string {
    return `${value.slice(0, 4)}… (${value.length} characters)`;
}
