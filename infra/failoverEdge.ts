import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackRole } from "../functions/contract";

export interface FailoverEdgeArgs {
    app: string;
    /** The api Function URL of the region that takes writes now: CloudFront tries it first. */
    primaryUrl: pulumi.Input<string>;
    /** The other region's api Function URL: CloudFront retries reads there when the primary fails. */
    secondaryUrl: pulumi.Input<string>;
    /** PEM public key; viewers must present URLs or cookies signed with its private key. */
    viewerPublicKey: string;
}

/** The primary region's URL first: `home` is this stack's own api URL, `peer` the other region's. */
export function orderedByRole(role: StackRole, home: pulumi.Input<string>, peer: pulumi.Input<string>): { primaryUrl: pulumi.Input<string>; secondaryUrl: pulumi.Input<string> } {
    return role === "primary" ? { primaryUrl: home, secondaryUrl: peer } : { primaryUrl: peer, secondaryUrl: home };
}

/** AWS managed policies: never cache (documents are private and change), forward all but Host. */
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
/** Statuses of a failing region (S3 unavailable, function errors, throttles, timeouts). */
const FAILOVER_STATUSES = [500, 502, 503, 504];
/**
 * A document is data, never a page: no script, style, frame or plugin may load from it, and `sandbox`
 * gives whatever a browser renders a unique origin with scripts, forms and popups disabled.
 */
const DOCUMENT_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";
/** Two years of HTTPS only, the max-age the HSTS preload list asks for. */
const HSTS_SECONDS = 63072000;

/**
 * One read endpoint for both regions: a CloudFront distribution whose origin group tries the primary
 * region's api Function URL and, on a 5xx or a connection failure, the other region's. CloudFront signs
 * every origin request with SigV4 (origin access control), so the Function URLs keep AWS_IAM auth, and
 * it admits only viewers with signed URLs or cookies (trusted key group): the edge is never public.
 * CloudFront fails over GET, HEAD and OPTIONS only and refuses write methods on an origin group, so
 * writes go to the primary's Function URL directly (docs/runbook.md). Every response it serves carries
 * the api's safe-serving headers (nosniff, a sandboxing CSP) and the usual security headers, whatever
 * the origin sent: a region that forgets them, or CloudFront's own error pages, cannot drop them.
 */
export class FailoverEdge extends pulumi.ComponentResource {
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: FailoverEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:app:FailoverEdge", name, {}, opts);

        const signing = new aws.cloudfront.OriginAccessControl(name, {
            name: `${args.app}-api`,
            description: "Signs CloudFront's requests to the api Function URLs (AWS_IAM)",
            originAccessControlOriginType: "lambda",
            signingBehavior: "always",
            signingProtocol: "sigv4",
        }, { parent: this });

        const viewerKey = new aws.cloudfront.PublicKey(name, {
            name: `${args.app}-viewers`,
            comment: "Clients of the Tandem read endpoint sign their URLs with this key's private half",
            encodedKey: args.viewerPublicKey,
        }, { parent: this });
        const viewers = new aws.cloudfront.KeyGroup(name, {
            name: `${args.app}-viewers`,
            items: [viewerKey.id],
        }, { parent: this });

        const origin = (originId: string, url: pulumi.Input<string>) => ({
            originId,
            domainName: pulumi.output(url).apply((u) => new URL(u).host),
            originAccessControlId: signing.id,
            customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
        });

        // CloudFront adds these to every response of the cache behavior, from its cache or from the
        // origin; with `override` it replaces a header the origin sent ("Add or remove HTTP headers in
        // CloudFront responses with a policy" and "Understand response headers policies", CloudFront
        // Developer Guide; ResponseHeadersPolicySecurityHeadersConfig, CloudFront API Reference).
        const safeServing = new aws.cloudfront.ResponseHeadersPolicy(name, {
            name: `${args.app}-safe-serving`,
            comment: "Documents are data: nosniff, a sandboxing CSP, HTTPS only, no framing, no referrer",
            securityHeadersConfig: {
                contentTypeOptions: { override: true },
                contentSecurityPolicy: { contentSecurityPolicy: DOCUMENT_CSP, override: true },
                strictTransportSecurity: { accessControlMaxAgeSec: HSTS_SECONDS, includeSubdomains: true, override: true },
                frameOptions: { frameOption: "DENY", override: true },
                referrerPolicy: { referrerPolicy: "no-referrer", override: true },
            },
        }, { parent: this });

        const distribution = new aws.cloudfront.Distribution(name, {
            comment: `${args.app}: reads from the primary region, failing over to the other`,
            enabled: true,
            httpVersion: "http2and3",
            priceClass: "PriceClass_100",
            origins: [origin("primary-region", args.primaryUrl), origin("secondary-region", args.secondaryUrl)],
            originGroups: [{
                originId: "api-failover",
                failoverCriteria: { statusCodes: FAILOVER_STATUSES },
                members: [{ originId: "primary-region" }, { originId: "secondary-region" }],
            }],
            defaultCacheBehavior: {
                targetOriginId: "api-failover",
                allowedMethods: ["GET", "HEAD", "OPTIONS"],
                cachedMethods: ["GET", "HEAD"],
                viewerProtocolPolicy: "https-only",
                cachePolicyId: CACHING_DISABLED,
                originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
                responseHeadersPolicyId: safeServing.id,
                trustedKeyGroups: [viewers.id],
                compress: true,
            },
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
        }, { parent: this });

        this.url = pulumi.interpolate`https://${distribution.domainName}/`;
        this.registerOutputs({ url: this.url });
    }
}
