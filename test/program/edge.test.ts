import * as assert from "assert";
import { generateKeyPair, generateKeyPairSync } from "crypto";
import { promisify } from "util";
import { evaluateStack, Inventory } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";
import { ofType, one, TYPES } from "../support/inventory";

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
// Generated off the main thread while the suites before this one run: an RSA key takes hundreds of ms.
const generatedKey = promisify(generateKeyPair)("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
generatedKey.catch(() => undefined);
const domain = (url: string) => new URL(url).host;

describe("the failover edge (tandem:edge)", () => {
    let prod: Inventory;
    let dr: Inventory;
    let viewerKey: string;
    let host: Record<string, string>;
    before(async () => {
        viewerKey = (await generatedKey).publicKey;
        host = { "tandem:edge": "host", "tandem:edgePublicKey": viewerKey };
        dr = await evaluateStack("dr", { config: { "tandem:edge": "origin" } });
        prod = await evaluateStack("prod", { config: host });
    });

    it("is off by default", async () => {
        const plain = await evaluatedStack("dr");
        assert.deepStrictEqual(ofType(plain, DISTRIBUTION), []);
        assert.ok(!ofType(plain, TYPES.permission).some((p) => p.inputs.principal === "cloudfront.amazonaws.com"));
        assert.strictEqual(plain.outputs.edgeUrl, "none");
    });

    it("reads from the primary region first and fails over to the other region's api URL on 5xx", () => {
        const d = one(prod, DISTRIBUTION).inputs;
        const origins = Object.fromEntries(d.origins.map((o: any) => [o.originId, o.domainName]));
        assert.deepStrictEqual(origins, { "primary-region": domain(prod.outputs.apiUrl), "secondary-region": domain(dr.outputs.apiUrl) });
        assert.deepStrictEqual(d.originGroups, [{
            originId: "api-failover",
            failoverCriteria: { statusCodes: [500, 502, 503, 504] },
            members: [{ originId: "primary-region" }, { originId: "secondary-region" }],
        }]);
        assert.strictEqual(d.defaultCacheBehavior.targetOriginId, "api-failover");
    });

    it("signs its requests to the AWS_IAM Function URLs and admits only signed viewers over HTTPS", () => {
        const d = one(prod, DISTRIBUTION).inputs;
        const oac = one(prod, "aws:cloudfront/originAccessControl:OriginAccessControl");
        assert.deepStrictEqual([oac.inputs.originAccessControlOriginType, oac.inputs.signingBehavior, oac.inputs.signingProtocol], ["lambda", "always", "sigv4"]);
        assert.ok(d.origins.every((o: any) => o.originAccessControlId === oac.id && o.customOriginConfig.originProtocolPolicy === "https-only"));
        assert.deepStrictEqual(d.defaultCacheBehavior.trustedKeyGroups, [one(prod, "aws:cloudfront/keyGroup:KeyGroup").id]);
        assert.strictEqual(one(prod, "aws:cloudfront/publicKey:PublicKey").inputs.encodedKey, viewerKey);
        assert.strictEqual(d.defaultCacheBehavior.viewerProtocolPolicy, "https-only");
    });

    it("puts the safe-serving headers on every response, over whatever the origin sent (issue 11)", () => {
        const policy = one(prod, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
        assert.strictEqual(one(prod, DISTRIBUTION).inputs.defaultCacheBehavior.responseHeadersPolicyId, policy.id);
        const headers = policy.inputs.securityHeadersConfig;
        // contentTypeOptions is X-Content-Type-Options: nosniff (ResponseHeadersPolicyContentTypeOptions, CloudFront API Reference).
        assert.deepStrictEqual(headers.contentTypeOptions, { override: true });
        assert.strictEqual(headers.contentSecurityPolicy.override, true);
        const csp = Object.fromEntries(headers.contentSecurityPolicy.contentSecurityPolicy.split(";").map((d: string) => {
            const [name, ...values] = d.trim().split(/\s+/);
            return [name, values.join(" ")];
        }));
        assert.ok("sandbox" in csp && csp.sandbox === "", "the CSP sandboxes with no exception");
        assert.strictEqual(csp["default-src"], "'none'");
        assert.strictEqual(csp["frame-ancestors"], "'none'");
        assert.deepStrictEqual(headers.frameOptions, { frameOption: "DENY", override: true });
        assert.deepStrictEqual(headers.referrerPolicy, { referrerPolicy: "no-referrer", override: true });
        assert.ok(headers.strictTransportSecurity.accessControlMaxAgeSec >= 31536000 && headers.strictTransportSecurity.override);
    });

    it("serves reads only, as CloudFront fails over nothing else", () => {
        assert.deepStrictEqual(one(prod, DISTRIBUTION).inputs.defaultCacheBehavior.allowedMethods, ["GET", "HEAD", "OPTIONS"]);
    });

    it("lets this account's CloudFront, and nothing else, invoke each region's api URL", () => {
        for (const inv of [prod, dr]) {
            const grants = ofType(inv, TYPES.permission).filter((p) => p.inputs.principal === "cloudfront.amazonaws.com").map((p) => p.inputs);
            assert.deepStrictEqual(grants.map((g) => g.action).sort(), ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"]);
            for (const g of grants) {
                assert.strictEqual(g.function, "tandem-api");
                assert.strictEqual(g.sourceArn, "arn:aws:cloudfront::123456789012:distribution/*");
                assert.strictEqual(g.sourceAccount, "123456789012");
            }
            assert.strictEqual(grants.find((g) => g.action === "lambda:InvokeFunction")!.invokedViaFunctionUrl, true);
        }
        assert.deepStrictEqual(ofType(dr, DISTRIBUTION), [], "an origin stack owns no distribution");
    });

    it("exports the edge URL", () => {
        assert.match(prod.outputs.edgeUrl, /^https:\/\/d[0-9a-f]{13}\.cloudfront\.net\/$/);
    });

    it("puts the peer first when its host stack is the standby", async () => {
        const standbyHost = await evaluateStack("dr", { config: host });
        const [group] = one(standbyHost, DISTRIBUTION).inputs.originGroups;
        const origins = Object.fromEntries(one(standbyHost, DISTRIBUTION).inputs.origins.map((o: any) => [o.originId, o.domainName]));
        assert.strictEqual(group.members[0].originId, "primary-region");
        assert.strictEqual(origins["primary-region"], domain(prod.outputs.apiUrl));
    });

    it("refuses to host an edge without a viewer key", async () => {
        await assert.rejects(evaluateStack("prod", { config: { "tandem:edge": "host" } }),
            /tandem:edgePublicKey is not set; allowed: a PEM public key .* required when tandem:edge is host/);
        await assert.rejects(evaluateStack("prod", { config: { "tandem:edge": "everywhere" } }), /tandem:edge is "everywhere"; allowed: one of none, origin, host/);
    });

    it("refuses a viewer key CloudFront cannot sign with (RSA 2048 and ECDSA P-256 only), and takes a P-256 one", async () => {
        const pem = (kind: "rsa" | "ec", options: object) => (generateKeyPairSync as any)(kind, options).publicKey.export({ type: "spki", format: "pem" }).toString();
        await assert.rejects(evaluateStack("prod", { config: { ...host, "tandem:edgePublicKey": pem("rsa", { modulusLength: 1024 }) } }),
            /tandem:edgePublicKey is ".*… \(it is an RSA 1024-bit key; CloudFront accepts RSA 2048 or ECDSA P-256\)/);
        await assert.rejects(evaluateStack("prod", { config: { ...host, "tandem:edgePublicKey": pem("ec", { namedCurve: "secp384r1" }) } }), /it is a ec secp384r1 key/);
        await assert.rejects(evaluateStack("prod", { config: { ...host, "tandem:edgePublicKey": "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----" } }),
            /it is not a PEM public key/);
        const ec = await evaluateStack("prod", { config: { ...host, "tandem:edgePublicKey": pem("ec", { namedCurve: "prime256v1" }) } });
        assert.ok(ofType(ec, DISTRIBUTION).length === 1);
    });

    it("needs the other region's api to be deployed", async () => {
        await assert.rejects(evaluateStack("prod", { config: { ...host, "tandem:replicationEnabled": "false" }, world: { deployedRegions: ["us-east-1"] } }),
            /The peer api tandem-api has no Function URL in us-west-2: deploy the stack of us-west-2 first/);
    });
});
