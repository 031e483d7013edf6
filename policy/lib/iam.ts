// IAM policy documents (identity policies, trust policies, key and bucket policies) normalised so a
// rule can ask plain questions: which actions, which resources, which principals, which conditions.
import { asList, parseJsonValue } from "./values";

export interface Principals {
    /** `"*"` or `{"AWS": "*"}`: anyone. */
    anyone: boolean;
    aws: string[];
    service: string[];
    federated: string[];
    canonicalUser: string[];
}

export interface Statement {
    sid: string;
    effect: "Allow" | "Deny";
    /** Undefined when the statement uses NotAction instead. */
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    principals?: Principals;
    notPrincipals?: Principals;
    /** Condition operator → key → values (keys lower-cased, as IAM compares them case-insensitively). */
    conditions: Record<string, Record<string, unknown[]>>;
}

export type ParsedDocument = { ok: true; statements: Statement[] } | { ok: false; error: string };

function strings(value: unknown): string[] {
    return asList(value).filter((v): v is string => typeof v === "string");
}

function principals(value: unknown): Principals | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (value === "*") {
        return { anyone: true, aws: [], service: [], federated: [], canonicalUser: [] };
    }
    const p = value as Record<string, unknown>;
    const aws = strings(p.AWS);
    return {
        anyone: aws.includes("*"),
        aws,
        service: strings(p.Service),
        federated: strings(p.Federated),
        canonicalUser: strings(p.CanonicalUser),
    };
}

function conditions(value: unknown): Record<string, Record<string, unknown[]>> {
    const out: Record<string, Record<string, unknown[]>> = {};
    if (value === null || typeof value !== "object") {
        return out;
    }
    for (const [op, block] of Object.entries(value as Record<string, unknown>)) {
        if (block === null || typeof block !== "object") {
            continue;
        }
        out[op] = {};
        for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
            out[op][key.toLowerCase()] = asList(v);
        }
    }
    return out;
}

/** Parses a policy document given as JSON text or as an object. */
export function parsePolicyDocument(document: unknown): ParsedDocument {
    const parsed = parseJsonValue(document);
    if (!parsed.ok) {
        return { ok: false, error: `the policy is not valid JSON (${parsed.error})` };
    }
    const doc = parsed.value as { Statement?: unknown } | null;
    if (doc === null || typeof doc !== "object" || doc.Statement === undefined) {
        return { ok: false, error: "the policy document has no Statement" };
    }
    const statements = asList(doc.Statement).map((raw, i): Statement => {
        const s = (raw ?? {}) as Record<string, unknown>;
        return {
            sid: typeof s.Sid === "string" && s.Sid !== "" ? s.Sid : `#${i + 1}`,
            effect: s.Effect === "Deny" ? "Deny" : "Allow",
            actions: s.Action === undefined ? undefined : strings(s.Action),
            notActions: s.NotAction === undefined ? undefined : strings(s.NotAction),
            resources: s.Resource === undefined ? undefined : strings(s.Resource),
            notResources: s.NotResource === undefined ? undefined : strings(s.NotResource),
            principals: principals(s.Principal),
            notPrincipals: principals(s.NotPrincipal),
            conditions: conditions(s.Condition),
        };
    });
    return { ok: true, statements };
}

/** Whether any condition block of the statement tests one of `keys` (case-insensitive). */
export function hasConditionOn(statement: Statement, keys: string[]): boolean {
    const wanted = keys.map((k) => k.toLowerCase());
    return Object.values(statement.conditions).some((block) => Object.keys(block).some((k) => wanted.includes(k)));
}

/** The values a statement's conditions give `key` under any operator. */
export function conditionValues(statement: Statement, key: string): unknown[] {
    const k = key.toLowerCase();
    return Object.values(statement.conditions).flatMap((block) => block[k] ?? []);
}

/** `*` or `service:*`, with `allowServiceWildcards` deciding whether the latter counts. */
export function isWildcardAction(action: string, includeServiceWildcards: boolean): boolean {
    if (action === "*") {
        return true;
    }
    return includeServiceWildcards && /^[a-z0-9-]+:\*$/i.test(action);
}

/** IAM wildcard matching of action names (case-insensitive, `*` and `?`). */
export function actionMatches(pattern: string, action: string): boolean {
    const re = new RegExp(`^${pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("")}$`, "i");
    return re.test(action);
}

/** Condition keys that tie a service principal's request to one account, resource or organisation. */
export const SOURCE_CONTEXT_KEYS = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceOwner"];

/** Condition keys that narrow "anyone" to a known set of callers. */
export const CALLER_SCOPING_KEYS = [
    ...SOURCE_CONTEXT_KEYS,
    "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:SourceVpc",
    "aws:SourceVpce", "aws:userid", "kms:CallerAccount", "kms:ViaService", "aws:PrincipalServiceName",
];
