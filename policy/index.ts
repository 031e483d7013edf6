// Tandem's CrossGuard policy pack. The Pulumi CLI runs this file as an analyzer plugin:
//   pulumi preview --policy-pack policy [--policy-pack-config policy-config.json]
// It only constructs the pack (which starts the gRPC server the engine talks to); the rules live in
// ./rules so the tests and the offline runner (npm run plan) can load them without serving.
import { PolicyPack } from "@pulumi/policy";
import { shareDeserializedProperties } from "./lib/sharedProperties";
import { policies } from "./rules";

shareDeserializedProperties();

new PolicyPack("tandem", {
    description: "Well-Architected rules for Tandem, the two-region serverless document store: S3, KMS, IAM, Lambda, SQS, SNS and CloudWatch, with relations between resources followed through dependencies.",
    displayName: "Tandem Well-Architected",
    provider: "aws",
    tags: ["aws", "well-architected", "serverless", "s3", "lambda"],
    enforcementLevel: "mandatory",
    policies,
});
