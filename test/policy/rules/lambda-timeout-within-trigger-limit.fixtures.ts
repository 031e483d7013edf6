import { edit, fmt, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program, TY } from "../harness/scaffold";

const withEdge = (readTimeout?: number) => [...program(), {
    type: TY.distribution, name: "edge",
    inputs: { enabled: true, origins: [{ originId: "primary-region", domainName: fmt`${ref("api-url", "functionUrl")}`, customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], ...(readTimeout ? { originReadTimeout: readTimeout } : {}) } }] },
}];
const sqsSource = (visibility: number) => [...program(), { type: TY.queue, name: "jobs", inputs: { name: "jobs", visibilityTimeoutSeconds: visibility }, outputs: { arn: "arn:aws:sqs:us-east-1:123456789012:jobs" } },
    { type: TY.eventSourceMapping, name: "jobs-mapping", inputs: { functionName: ref("ingest", "arn"), eventSourceArn: ref("jobs", "arn") } }];

export const fixtures: RuleFixtures = {
    rule: "lambda-timeout-within-trigger-limit",
    cases: [
        pass("api 10 s behind its URL, canary 30 s on a 1-minute schedule", program()),
        pass("an SQS source whose visibility is six times the timeout", edit(sqsSource(1800), "ingest", (p) => ({ ...p, timeout: 300 }))),
        fail("the api's timeout above the URL cap", "api", edit(program(), "api", (p) => ({ ...p, timeout: 120 }))),
        fail("the canary outlives its schedule", "canary", edit(program(), "canary", (p) => ({ ...p, timeout: 90 }))),
        fail("a CloudFront origin gives up after 30 s, the api runs 45 s", "api", edit(withEdge(), "api", (p) => ({ ...p, timeout: 45 }))),
        fail("an SQS source that would redeliver while the function still runs", "jobs", sqsSource(300)),
        fail("a stricter configured URL cap", "api", program(), { config: { "lambda-timeout-within-trigger-limit": { functionUrlMaxSeconds: 5 } } }),
    ],
};
