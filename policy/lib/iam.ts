// IAM policy documents (identity policies, trust policies, key and bucket policies) normalised so a
// rule can ask plain questions: which actions, which resources, which principals, and whether the
// conditions really narrow who can act. A condition that is present is not a condition that scopes:
// `kms:ViaService` says which service made the call, not for which account; `StringLike "*"`,
// `...IfExists` operators (true when the key is absent) and negated operators narrow nothing.
import { actionMatches } from "./iamActions";
import { parseArn } from "./arn";
import { asList, parseJsonValue } from "./values";

export { actionMatches };

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

/** Whether any condition block of the statement tests one of `keys` (case-insensitive), whatever the operator. */
export function hasConditionOn(statement: Statement, keys: readonly string[]): boolean {
    const wanted = keys.map((k) => k.toLowerCase());
    return Object.values(statement.conditions).some((block) => Object.keys(block).some((k) => wanted.includes(k)));
}

/** The values a statement's conditions give `key` under any operator. */
export function conditionValues(statement: Statement, key: string): unknown[] {
    const k = key.toLowerCase();
    return Object.values(statement.conditions).flatMap((block) => block[k] ?? []);
}

/** Whether the statement grants (or denies) `action` through its Action element (NotAction counts as every action but those listed). */
export function statementCovers(statement: Statement, action: string): boolean {
    if (statement.notActions) {
        return !statement.notActions.some((p) => actionMatches(p, action));
    }
    return (statement.actions ?? []).some((p) => actionMatches(p, action));
}

/**
 * Operators under which a condition can only be satisfied by a matching value: no negation, no
 * `IfExists` (true when the request lacks the key), no `ForAllValues:` (true for an empty set).
 * (IAM User Guide, "IAM JSON policy elements: Condition operators" and "Multivalued context keys".)
 */
const NARROWING_OPERATOR = /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/i;

/** Keys whose value is an account id, organization id or path: they bind the caller (or source) to it. */
const ACCOUNT_VALUE_KEYS = {
    source: ["aws:SourceAccount", "aws:SourceOwner", "aws:SourceOrgID", "aws:SourceOrgPaths"],
    principal: ["aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "kms:CallerAccount"],
};

/** Keys whose value is an ARN: they bind the request when the ARN names a concrete account. */
const ARN_VALUE_KEYS = {
    source: ["aws:SourceArn"],
    principal: ["aws:PrincipalArn"],
};

/**
 * Encryption context keys whose value is the ARN of the resource a service encrypts for (CloudWatch
 * Logs sets kms:EncryptionContext:aws:logs:arn to the log group's ARN, so a key policy can bind the
 * logs service principal to one account's log groups: CloudWatch Logs User Guide, "Encrypt log data
 * in CloudWatch Logs using AWS KMS").
 */
const CONTEXT_ARN_KEY = /^kms:encryptioncontext:aws:[a-z0-9-]+:arn$/;

/** Network origins: requests from one VPC or VPC endpoint (in a bucket policy, they narrow "anyone"). */
const NETWORK_KEYS = ["aws:SourceVpc", "aws:SourceVpce", "aws:SourceIp", "aws:VpcSourceIp"];

function concreteAccountValue(v: unknown): boolean {
    return typeof v === "string" && v.trim() !== "" && !/^[*?]+$/.test(v.trim()) && !/[*?]/.test(v.split("/")[0]);
}

function concreteArnAccount(v: unknown): boolean {
    if (typeof v !== "string") {
        return false;
    }
    const arn = parseArn(v);
    return arn !== undefined && arn.account !== "" && !/[*?]/.test(arn.account) && !/[*?]/.test(arn.partition) && !/[*?]/.test(arn.service);
}

export type Scope = "source" | "principal" | "network";

export interface ScopingCondition {
    operator: string;
    key: string;
    values: unknown[];
}

/**
 * The conditions of the statement that really bind the request to known accounts (or networks):
 * a narrowing operator, a key of the wanted kind, and every value concrete (an account id, an ARN
 * naming an account, an organization id, not a wildcard).
 */
export function scopingConditions(statement: Statement, scopes: readonly Scope[]): ScopingCondition[] {
    const accountKeys = new Set(scopes.flatMap((s) => (s === "network" ? [] : ACCOUNT_VALUE_KEYS[s])).map((k) => k.toLowerCase()));
    const arnKeys = new Set(scopes.flatMap((s) => (s === "network" ? [] : ARN_VALUE_KEYS[s])).map((k) => k.toLowerCase()));
    const networkKeys = new Set(scopes.includes("network") ? NETWORK_KEYS.map((k) => k.toLowerCase()) : []);
    const found: ScopingCondition[] = [];
    for (const [operator, block] of Object.entries(statement.conditions)) {
        const narrowing = NARROWING_OPERATOR.test(operator) || (networkKeys.size > 0 && /^(IpAddress)$/i.test(operator));
        if (!narrowing) {
            continue;
        }
        for (const [key, values] of Object.entries(block)) {
            if (values.length === 0) {
                continue;
            }
            const ok = accountKeys.has(key) ? values.every(concreteAccountValue)
                : arnKeys.has(key) || (scopes.includes("source") && CONTEXT_ARN_KEY.test(key)) ? values.every(concreteArnAccount)
                    : networkKeys.has(key) ? values.every((v) => typeof v === "string" && v.trim() !== "" && !/^[*?]+$/.test(v))
                        : false;
            if (ok) {
                found.push({ operator, key, values });
            }
        }
    }
    return found;
}

/** Whether some condition of the statement binds the request to known accounts (see scopingConditions). */
export function isScoped(statement: Statement, scopes: readonly Scope[]): boolean {
    return scopingConditions(statement, scopes).length > 0;
}

/** The condition keys the statement does test (for messages: "kms:ViaService alone does not ..."). */
export function testedKeys(statement: Statement): string[] {
    return [...new Set(Object.values(statement.conditions).flatMap((block) => Object.keys(block)))];
}

/** A principal element that admits anyone: `*`, `{"AWS": "*"}`, a wildcard ARN, NotPrincipal. */
export function admitsAnyone(s: Statement): boolean {
    const p = s.principals;
    return s.notPrincipals !== undefined
        || (p !== undefined && (p.anyone || p.aws.some((a) => /[*?]/.test(a)) || p.service.some((v) => /[*?]/.test(v))));
}
