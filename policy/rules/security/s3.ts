// Security: S3 buckets, judged through v7's split resources (and the deprecated inline arguments).
import { PolicyResource } from "@pulumi/policy";
import { label } from "../../lib/graph";
import { CALLER_SCOPING_KEYS, hasConditionOn, parsePolicyDocument, Statement } from "../../lib/iam";
import { stackRule, StackCheck, TandemPolicy } from "../../lib/rule";
import { BUCKET, bucketsOf, encryptionRules, loggingTargets, SIDE, sideResources } from "../../lib/s3";
import { isUnknown, known, rawGet } from "../../lib/values";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];
const AWS_MANAGED_S3_KEY = /(^|:)alias\/aws\/s3$/;

export const sseKmsCustomerKey = stackRule({
    name: "s3-sse-kms-customer-key",
    pillar: "security",
    description: "S3 buckets encrypt objects by default with SSE-KMS under a customer managed key.",
    anchors: ["Checkov CKV_AWS_145", "Checkov CKV_AWS_186", "Security Hub S3.17"],
    satisfy: "Give the bucket a BucketServerSideEncryptionConfiguration whose rule sets sseAlgorithm \"aws:kms\" and kmsMasterKeyId to a key this program creates (RegionKey), not the AWS managed aws/s3 key. Buckets that must use SSE-S3 (server access log targets) carry an exemption tag with the reason.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const rules = encryptionRules(graph, bucket);
        if (rules.length === 0) {
            report(bucket, `${label(bucket)} has no default encryption (no BucketServerSideEncryptionConfiguration): S3 falls back to SSE-S3 with an AWS owned key.`);
            return;
        }
        for (const rule of rules) {
            if (!KMS_ALGORITHMS.includes(rule.algorithm as string)) {
                report(rule.source, `${label(bucket)} encrypts with ${JSON.stringify(rule.algorithm ?? "AES256")}, not SSE-KMS: set sseAlgorithm "aws:kms" with a customer managed key.`);
            } else if (rule.kmsKeyId === undefined || rule.kmsKeyId === "") {
                report(rule.source, `${label(bucket)} uses SSE-KMS without kmsMasterKeyId, i.e. the AWS managed key aws/s3, whose policy you cannot control: name a customer managed key.`);
            } else if (typeof rule.kmsKeyId === "string" && !isUnknown(rule.kmsKeyId) && AWS_MANAGED_S3_KEY.test(rule.kmsKeyId)) {
                report(rule.source, `${label(bucket)} names the AWS managed key ${rule.kmsKeyId}: name a customer managed key.`);
            }
        }
    }),
});

export const bucketKeyEnabled = stackRule({
    name: "s3-bucket-key-enabled",
    pillar: "security",
    description: "S3 buckets encrypted with SSE-KMS use S3 Bucket Keys.",
    anchors: ["AWS S3 docs: Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys", "Well-Architected SEC08-BP02"],
    satisfy: "Set bucketKeyEnabled: true on the SSE-KMS rule of the bucket's BucketServerSideEncryptionConfiguration (one KMS request per bucket key instead of one per object; required for the replication role's bucket-ARN encryption context).",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        for (const rule of encryptionRules(graph, bucket)) {
            if (rule.algorithm === "aws:kms" && rule.bucketKeyEnabled !== true) {
                report(rule.source, `${label(bucket)} uses SSE-KMS with bucketKeyEnabled ${JSON.stringify(rule.bucketKeyEnabled ?? false)}: every object then costs a KMS request.`);
            }
        }
    }),
});

const ACCESS_BLOCKS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const publicAccessBlock = stackRule({
    name: "s3-public-access-block",
    pillar: "security",
    description: "Every S3 bucket has a public access block with all four settings on.",
    anchors: ["Checkov CKV2_AWS_6", "Security Hub S3.8"],
    satisfy: "Create a BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    enforcementLevel: "mandatory",
    severity: "critical",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const blocks = sideResources(graph, bucket, "publicAccessBlock");
        if (blocks.length === 0) {
            report(bucket, `${label(bucket)} has no BucketPublicAccessBlock.`);
        }
        for (const block of blocks) {
            const off = ACCESS_BLOCKS.filter((setting) => known(block.props, setting) !== true);
            if (off.length > 0) {
                report(block, `${label(block)} leaves ${off.join(", ")} off for ${label(bucket)}: all four must be true.`);
            }
        }
    }),
});

export const aclsDisabled = stackRule({
    name: "s3-acls-disabled",
    pillar: "security",
    description: "S3 buckets disable ACLs (object ownership BucketOwnerEnforced) and grant nothing through ACLs.",
    anchors: ["Checkov CKV2_AWS_65", "Security Hub S3.12"],
    satisfy: "Create a BucketOwnershipControls for the bucket with rule.objectOwnership \"BucketOwnerEnforced\"; grant access with the bucket policy and IAM, never with a BucketAcl or the bucket's acl/grants arguments.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const controls = sideResources(graph, bucket, "ownership");
        if (controls.length === 0) {
            report(bucket, `${label(bucket)} has no BucketOwnershipControls: declare objectOwnership "BucketOwnerEnforced" so ACLs stay disabled.`);
        }
        for (const c of controls) {
            const ownership = known(c.props, "rule", "objectOwnership");
            if (ownership !== "BucketOwnerEnforced") {
                report(c, `${label(c)} sets objectOwnership ${JSON.stringify(ownership)}: ACLs stay enabled; use "BucketOwnerEnforced".`);
            }
        }
        for (const acl of sideResources(graph, bucket, "acl")) {
            report(acl, `${label(acl)} manages ACLs on ${label(bucket)}: grant access through the bucket policy instead.`);
        }
        const inlineAcl = known(bucket.props, "acl");
        if ((inlineAcl !== undefined && inlineAcl !== "private") || known(bucket.props, "grants") !== undefined) {
            report(bucket, `${label(bucket)} sets ACLs through its deprecated acl/grants arguments.`);
        }
    }),
});

/** The bucket's policy documents: BucketPolicy resources and the deprecated inline `policy`. */
function bucketPolicies(ctx: StackCheck<unknown>, bucket: PolicyResource): { source: PolicyResource; document: unknown }[] {
    const split = sideResources(ctx.graph, bucket, "policy").map((p) => ({ source: p, document: known(p.props, "policy") }));
    const inline = known(bucket.props, "policy");
    return inline === undefined ? split : [...split, { source: bucket, document: inline }];
}

function deniesInsecureTransport(s: Statement): boolean {
    const secureTransport = Object.entries(s.conditions).some(([op, block]) =>
        op.startsWith("Bool") && (block["aws:securetransport"] ?? []).some((v) => v === false || v === "false"));
    const everyone = s.principals?.anyone === true;
    const allS3 = (s.actions ?? []).some((a) => a === "*" || a.toLowerCase() === "s3:*");
    const resources = s.resources ?? [];
    const objects = resources.some((r) => r === "*" || r.endsWith("/*"));
    const bucketItself = resources.some((r) => r === "*" || (r.startsWith("arn:") && !r.includes("/")));
    return s.effect === "Deny" && secureTransport && everyone && allS3 && objects && bucketItself;
}

export const tlsOnly = stackRule({
    name: "s3-tls-only-policy",
    pillar: "security",
    description: "S3 bucket policies deny every request that does not use TLS.",
    anchors: ["Security Hub S3.5", "AWS Config s3-bucket-ssl-requests-only"],
    satisfy: "Give the bucket a BucketPolicy with a statement Effect Deny, Principal \"*\", Action \"s3:*\", Resource [bucket ARN, bucket ARN/*], Condition Bool aws:SecureTransport false (SecureBucket does).",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: (ctx) => ctx.each(ctx.graph.ofType(...BUCKET), (bucket) => {
        const policies = bucketPolicies(ctx, bucket);
        if (policies.length === 0) {
            ctx.report(bucket, `${label(bucket)} has no bucket policy, so plain-HTTP requests are allowed.`);
            return;
        }
        const statements = policies.flatMap((p) => {
            const doc = parsePolicyDocument(p.document);
            if (!doc.ok) {
                ctx.report(p.source, `${label(p.source)}: ${doc.error}.`);
                return [];
            }
            return doc.statements;
        });
        if (!statements.some(deniesInsecureTransport)) {
            ctx.report(policies[0].source, `${label(bucket)}'s policy has no statement denying s3:* on the bucket and its objects to "*" when aws:SecureTransport is false.`);
        }
    }),
});

export const noPublicPolicy = stackRule({
    name: "s3-no-public-policy",
    pillar: "security",
    description: "S3 bucket policies allow nothing to everyone (Principal \"*\") unless a condition narrows the caller.",
    anchors: ["Checkov CKV_AWS_70", "Security Hub S3.2", "Security Hub S3.3"],
    satisfy: "Name principals in Allow statements (an account, role or service) or add a condition on the caller (aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, aws:SourceVpce, ...).",
    enforcementLevel: "mandatory",
    severity: "critical",
}, {
    check: (ctx) => ctx.each([...ctx.graph.ofType(...SIDE.policy), ...ctx.graph.ofType(...BUCKET)], (r) => {
        const document = known(r.props, "policy");
        if (document === undefined) {
            return;
        }
        const doc = parsePolicyDocument(document);
        if (!doc.ok) {
            ctx.report(r, `${label(r)}: ${doc.error}.`);
            return;
        }
        const target = BUCKET.includes(r.type) ? r : bucketsOf(ctx.graph, r)[0];
        for (const s of doc.statements) {
            if (s.effect === "Allow" && (s.principals?.anyone || s.notPrincipals) && !hasConditionOn(s, CALLER_SCOPING_KEYS)) {
                ctx.report(r, `Statement ${s.sid} of ${label(r)} allows ${(s.actions ?? ["NotAction"]).join(", ")} to everyone on ${target ? label(target) : "the bucket"}.`);
            }
        }
    }),
});

export const accessLogging = stackRule({
    name: "s3-access-logging",
    pillar: "security",
    description: "S3 buckets send server access logs to another bucket.",
    anchors: ["Checkov CKV_AWS_18", "Security Hub S3.9"],
    satisfy: "Create a BucketLogging for the bucket whose targetBucket is the region's access-log bucket. The log bucket itself carries the exemption tag tandem:policy-exempt:s3-access-logging (logging it to itself would loop).",
    enforcementLevel: "mandatory",
    severity: "medium",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(...BUCKET), (bucket) => {
        const targets = loggingTargets(graph, bucket);
        if (targets.length === 0) {
            report(bucket, `${label(bucket)} has no access logging (no BucketLogging).`);
        }
        const ownName = rawGet(bucket.props, "bucket");
        for (const t of targets) {
            if (t.targetSources.some((s) => s.urn === bucket.urn) || (typeof ownName === "string" && t.target === ownName)) {
                report(t.source, `${label(bucket)} logs to itself: every log delivery would create another log record.`);
            }
        }
    }),
});

export const s3Policies: TandemPolicy[] = [sseKmsCustomerKey, bucketKeyEnabled, publicAccessBlock, aclsDisabled, tlsOnly, noPublicPolicy, accessLogging];
