// Which statements of a registered bucket policy go to moto. moto applies every statement to every
// caller and checks conditions against an empty request context (moto/iam/access_control.py
// IAMPolicyStatement.is_action_permitted: the principal is not passed for bucket policies, and
// _check_conditions finds no values to test, so every condition holds); FakeBucket.get_permission
// refuses an object request a Deny statement names with 403 (moto/s3/responses.py). So:
// - a Deny with a Condition, a specific Principal or a NotPrincipal would refuse every request: left
//   out, with the reason (the program's DenyInsecureTransport would refuse the plain-HTTP endpoints);
// - an unconditional Deny to everyone means on moto what it means on AWS: kept;
// - an Allow is kept (moto only grants more than AWS would): moto's PutBucketLogging needs the
//   log-delivery Allow on the target bucket (FakeBucket._log_permissions_enabled_policy);
// - `"Principal": "*"` becomes `{"AWS": "*"}`, the same to IAM
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html),
//   because that moto check calls .get() on the principal (a string makes PutBucketLogging fail, 500).

export interface SkippedStatement {
    sid?: string;
    reason: string;
}

export interface LocalBucketPolicy {
    /** The policy moto gets; undefined when no statement is kept. */
    policy?: string;
    skipped: SkippedStatement[];
}

type Statement = Record<string, any>;

const everyone = (principal: unknown) => principal === "*" || (typeof principal === "object" && principal !== null && Object.keys(principal).length === 1 && (principal as Record<string, unknown>).AWS === "*");

function whyNot(statement: Statement): string | undefined {
    if (statement.Effect !== "Deny") return undefined;
    if (statement.Condition !== undefined) {
        const keys = Object.values(statement.Condition as Record<string, Record<string, unknown>>).flatMap((test) => Object.keys(test));
        return `a Deny conditioned on ${keys.join(", ")}: moto ignores the condition, so it would deny every request`;
    }
    if (statement.NotPrincipal !== undefined || !everyone(statement.Principal)) {
        return "a Deny for specific principals: moto applies it to every caller, the local credentials included";
    }
    return undefined;
}

export function localBucketPolicy(registered: string): LocalBucketPolicy {
    const document = JSON.parse(registered) as { Statement: Statement | Statement[] } & Record<string, unknown>;
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    const kept: Statement[] = [];
    const skipped: SkippedStatement[] = [];
    for (const statement of statements) {
        const reason = whyNot(statement);
        if (reason !== undefined) {
            skipped.push({ sid: statement.Sid, reason });
        } else {
            kept.push(statement.Principal === "*" ? { ...statement, Principal: { AWS: "*" } } : statement);
        }
    }
    return { policy: kept.length > 0 ? JSON.stringify({ ...document, Statement: kept }) : undefined, skipped };
}
