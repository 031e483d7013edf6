// The pack's shared helpers on their own: IAM action patterns against the Service Authorization
// Reference, ARN pattern breadth, glob intersection, conditions that scope, dashboard bodies, secrets.
import { strict as assert } from "assert";
import { arnPatternBreadth, globsIntersect } from "../../policy/lib/arn";
import { dashboardMetrics } from "../../policy/lib/cloudwatch";
import { isScoped, parsePolicyDocument } from "../../policy/lib/iam";
import { expandAction, findAction } from "../../policy/lib/iamActions";
import { highEntropyToken } from "../../policy/lib/secrets";

const statement = (s: object) => {
    const doc = parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", ...s }] });
    assert.ok(doc.ok);
    return doc.statements[0];
};

describe("policy helpers", () => {
    it("expands action patterns as IAM matches them, with access levels", () => {
        const put = expandAction("s3:Put*");
        assert.ok(put.actions.some((a) => a.name === "PutBucketPolicy" && a.levels.includes("Permissions management")));
        assert.ok(put.actions.every((a) => a.name.startsWith("Put")));
        assert.deepEqual(expandAction("S3:getobject").actions.map((a) => a.id), ["s3:GetObject"]);
        assert.ok(expandAction("s3:*").wholeService && expandAction("*").allServices && expandAction("*Object").allServices);
        assert.ok(expandAction("nosuchservice:Get*").unknownService);
        assert.ok(expandAction("s3:Get?bject").actions.some((a) => a.name === "GetObject"));
        assert.deepEqual(findAction("xray:PutTraceSegments")?.resourceTypes, [], "X-Ray's writes take only Resource \"*\"");
    });

    it("judges ARN patterns by what they can match", () => {
        const breadth = (p: string) => arnPatternBreadth(p).breadth;
        assert.equal(breadth("*"), "any");
        assert.equal(breadth("arn:aws:s3:::*/*"), "any");
        assert.equal(breadth("arn:aws:s3:::tandem-*"), "any", "bucket names are global: a prefix matches other accounts' buckets");
        assert.equal(breadth("arn:aws:kms:*:*:key/*"), "any");
        assert.equal(breadth("arn:aws:logs:*:123456789012:log-group:x"), "any");
        assert.equal(breadth("arn:aws:sqs:us-east-1:123456789012:*"), "account");
        assert.equal(breadth("arn:aws:kms:us-east-1:123456789012:key/*"), "account");
        assert.equal(breadth("arn:aws:s3:::bucket/objects/*"), "named");
        assert.equal(breadth("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*"), "named");
        assert.equal(breadth("arn:aws:kms:us-east-1:123456789012:key/1234"), "named");
    });

    it("intersects globs (what a write can reach against what a notification watches)", () => {
        assert.ok(!globsIntersect("arn:aws:s3:::b/manifests/*", "arn:aws:s3:::b/objects/*"));
        assert.ok(globsIntersect("arn:aws:s3:::b/*", "arn:aws:s3:::b/objects/*"));
        assert.ok(globsIntersect("arn:aws:s3:::*/*", "arn:aws:s3:::b/objects/*.pdf"));
        assert.ok(!globsIntersect("arn:aws:s3:::b/manifests/*.json", "arn:aws:s3:::b/*.pdf"));
        assert.ok(globsIntersect("a?c", "*b*"));
    });

    it("counts a condition as scoping only when it binds an account", () => {
        assert.ok(isScoped(statement({ Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }), ["source"]));
        assert.ok(isScoped(statement({ Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::bucket" } } }), ["source"]) === false, "an S3 ARN names no account");
        assert.ok(isScoped(statement({ Condition: { ArnLike: { "aws:SourceArn": "arn:aws:events:us-east-1:123456789012:rule/*" } } }), ["source"]));
        assert.ok(!isScoped(statement({ Condition: { StringLike: { "aws:SourceAccount": "*" } } }), ["source"]));
        assert.ok(!isScoped(statement({ Condition: { StringEqualsIfExists: { "aws:SourceAccount": "123456789012" } } }), ["source"]));
        assert.ok(!isScoped(statement({ Condition: { StringNotEquals: { "aws:SourceAccount": "123456789012" } } }), ["source"]));
        assert.ok(!isScoped(statement({ Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } } }), ["source", "principal"]));
        assert.ok(isScoped(statement({ Condition: { StringEquals: { "kms:CallerAccount": "123456789012" } } }), ["principal"]));
        assert.ok(isScoped(statement({ Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:*" } } }), ["source"]));
        assert.ok(!isScoped(statement({ Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:*:log-group:*" } } }), ["source"]));
    });

    it("reads the metrics a dashboard shows, with CloudWatch's shorthand", () => {
        const metrics = dashboardMetrics(JSON.stringify({ widgets: [{ type: "metric", properties: { region: "us-east-1", metrics: [
            ["AWS/Lambda", "Errors", "FunctionName", "a", { stat: "Sum" }],
            [".", "Throttles", ".", "."],
            ["...", "b"],
            [{ expression: "m1 + m2" }],
        ] } }, { type: "text", properties: { markdown: "AWS/Lambda Errors FunctionName c" } }] }));
        assert.deepEqual(metrics, [
            { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: "a" }, region: "us-east-1" },
            { namespace: "AWS/Lambda", metricName: "Throttles", dimensions: { FunctionName: "a" }, region: "us-east-1" },
            { namespace: "AWS/Lambda", metricName: "Throttles", dimensions: { FunctionName: "b" }, region: "us-east-1" },
        ]);
    });

    it("finds random-looking tokens and leaves names, ids and URLs alone", () => {
        const limits = { base64: 4.5, hex: 3, minLength: 20 };
        assert.ok(highEntropyToken("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", limits));
        assert.ok(highEntropyToken("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", limits));
        for (const v of ["tandem-data-123456789012-us-east-1", "1234abcd-12ab-34cd-56ef-1234567890ab", "https://api.example.com/v1/x", "arn:aws:sqs:us-east-1:123456789012:q", "POWERTOOLS_METRICS_NAMESPACE"]) {
            assert.equal(highEntropyToken(v, limits), undefined, v);
        }
    });
});
