// An existing Terraform-managed foundation, read through @pulumi/terraform: when the stack's config
// points at its state, Tandem alarms to the foundation's topic, puts the foundation's permissions
// boundary on every role it creates and sends access logs to the foundation's log archive.
import * as terraform from "@pulumi/terraform";
import { FoundationState } from "./config";

export interface Foundation {
    alarmTopicArn: string;
    permissionsBoundaryArn: string;
    logArchiveBucket: string;
}

/** The outputs Tandem needs, how each must look, and what it is used for. */
const OUTPUTS: Record<keyof Foundation, { name: string; pattern: (region: string) => RegExp; expected: string }> = {
    alarmTopicArn: {
        name: "alarm_topic_arn",
        // CloudWatch alarms can only notify a topic in their own region.
        pattern: (region) => new RegExp(`^arn:aws[a-z-]*:sns:${region}:\\d{12}:[A-Za-z0-9_-]{1,256}$`),
        expected: "the ARN of an SNS topic in this stack's region",
    },
    permissionsBoundaryArn: {
        name: "permissions_boundary_arn",
        pattern: () => /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/,
        expected: "the ARN of an IAM managed policy",
    },
    logArchiveBucket: {
        name: "log_archive_bucket",
        pattern: () => /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        expected: "an S3 bucket name",
    },
};

export function describeFoundationState(state: FoundationState): string {
    return state.kind === "local" ? state.path : `s3://${state.bucket}/${state.key} (${state.region})`;
}

/** Reads the foundation's outputs; a missing or malformed output stops the program and is named. */
export async function readFoundation(state: FoundationState, region: string): Promise<Foundation> {
    const where = describeFoundationState(state);
    let outputs: Record<string, unknown>;
    try {
        outputs = (state.kind === "local"
            ? await terraform.state.getLocalReference({ path: state.path })
            : await terraform.state.getS3Reference({ bucket: state.bucket, key: state.key, region: state.region })).outputs;
    } catch (e) {
        throw new Error(`The Terraform foundation state at ${where} could not be read: ${e instanceof Error ? e.message : e}`);
    }
    const problems: string[] = [];
    const foundation = {} as Foundation;
    for (const [field, spec] of Object.entries(OUTPUTS) as [keyof Foundation, (typeof OUTPUTS)[keyof Foundation]][]) {
        const value = outputs?.[spec.name];
        if (value === undefined || value === null) {
            problems.push(`output ${spec.name} is missing; expected ${spec.expected}`);
        } else if (typeof value !== "string" || !spec.pattern(region).test(value)) {
            problems.push(`output ${spec.name} is ${JSON.stringify(value)}; expected ${spec.expected}`);
        } else {
            foundation[field] = value;
        }
    }
    if (problems.length > 0) {
        throw new Error(`The Terraform foundation at ${where} cannot be used:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    return foundation;
}
