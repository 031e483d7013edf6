// s3-tls-only-policy: the bucket policy denies every request made without TLS.
import { PolicyResource } from "@pulumi/policy";
import { label, StackGraph } from "../../lib/graph";
import { parsePolicyDocument, Statement, statementCovers } from "../../lib/iam";
import { globRegExp } from "../../lib/iamActions";
import { stackRule } from "../../lib/rule";
import { BUCKET, bucketArn, sideResources } from "../../lib/s3";
import { known } from "../../lib/values";

/** The bucket's policy documents: BucketPolicy resources and the deprecated inline `policy`. */
export function bucketPolicies(graph: StackGraph, bucket: PolicyResource): { source: PolicyResource; document: unknown }[] {
    const split = sideResources(graph, bucket, "policy").map((p) => ({ source: p, document: known(p.props, "policy") }));
    const inline = known(bucket.props, "policy");
    return inline === undefined ? split : [...split, { source: bucket, document: inline }];
}

/**
 * Whether the statement denies every S3 request to everyone on the bucket and all of its objects when
 * aws:SecureTransport is false (the form in the S3 User Guide, "Security best practices: Enforce
 * encryption of data in transit"). Its resources must cover this very bucket's ARN and ARN/*.
 */
function deniesInsecureTransport(s: Statement, arn: string | undefined): boolean {
    const secureTransportFalse = Object.entries(s.conditions).some(([op, block]) =>
        /^Bool$/i.test(op) && (block["aws:securetransport"] ?? []).some((v) => v === false || v === "false"));
    const everyone = s.principals?.anyone === true;
    const allS3 = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject"].every((a) => statementCovers(s, a));
    const resources = s.resources ?? [];
    // A resource pattern covers the target when it matches it as written (`b/*` and `*` match the
    // literal "b/*"; `b/objects/*` does not, so a deny on one prefix leaves the others open).
    const covers = (target: string) => resources.some((r) => globRegExp(r, false).test(target));
    const objects = arn === undefined ? resources.some((r) => r === "*" || r.endsWith("/*")) : covers(`${arn}/*`);
    const itself = arn === undefined ? resources.some((r) => r === "*" || (r.startsWith("arn:") && !r.includes("/"))) : covers(arn);
    return s.effect === "Deny" && secureTransportFalse && everyone && allS3 && objects && itself;
}

export const policy = stackRule({
    name: "s3-tls-only-policy",
    pillar: "security",
    description: "S3 bucket policies deny every request that does not use TLS, on the bucket and all its objects.",
    rationale: "IAM and presigned URLs authenticate a request but do not force HTTPS; only a Deny on aws:SecureTransport false keeps documents and credentials-bearing requests off plain HTTP.",
    anchors: ["Security Hub S3.5", "AWS Config s3-bucket-ssl-requests-only"],
    satisfy: "Give the bucket a BucketPolicy with a statement Effect Deny, Principal \"*\", Action \"s3:*\", Resource [bucket ARN, bucket ARN/*], Condition Bool aws:SecureTransport false (SecureBucket does).",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const policies = bucketPolicies(graph, bucket);
        if (policies.length === 0) {
            report(bucket, `${label(bucket)} has no bucket policy, so plain-HTTP requests are allowed.`);
            return;
        }
        const statements = policies.flatMap((p) => {
            const doc = parsePolicyDocument(p.document);
            if (!doc.ok) {
                report(p.source, `${label(p.source)}: ${doc.error}.`);
                return [];
            }
            return doc.statements;
        });
        if (!statements.some((s) => deniesInsecureTransport(s, bucketArn(bucket)))) {
            report(policies[0].source, `${label(bucket)}'s policy has no statement denying s3:* on ${bucketArn(bucket) ?? "the bucket"} and its objects to "*" when aws:SecureTransport is false.`);
        }
    }),
});
