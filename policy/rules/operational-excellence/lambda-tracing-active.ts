// lambda-tracing-active: X-Ray traces every invocation.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { known } from "../../lib/values";

export const policy = resourceRule({
    name: "lambda-tracing-active",
    pillar: "operational-excellence",
    description: "Lambda functions send X-Ray traces (tracingConfig.mode Active).",
    rationale: "Traces show where a slow or failed request spent its time (S3, KMS, the handler); without them a latency incident is diagnosed from logs alone.",
    anchors: ["Checkov CKV_AWS_50", "Serverless Rules WS1000", "Security Hub Lambda.7"],
    satisfy: "Set tracingConfig: { mode: \"Active\" } and allow the role xray:PutTraceSegments and xray:PutTelemetryRecords (on \"*\", their only form).",
    enforcementLevel: "mandatory",
    severity: "low",
}, {
    types: [T.function],
    check: ({ props, report }) => {
        const mode = known(props, "tracingConfig", "mode");
        if (mode !== "Active") {
            report(`tracingConfig.mode is ${JSON.stringify(mode ?? "PassThrough")}: requests through the function are not traced.`);
        }
    },
});
