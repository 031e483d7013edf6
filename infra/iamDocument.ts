// IAM policy documents as typed values. Building the JSON ourselves (instead of the getPolicyDocument
// invoke) keeps documents inspectable on the mock runtime and costs no provider round trip.
import * as pulumi from "@pulumi/pulumi";

export interface Statement {
    Sid: string;
    Effect?: "Allow" | "Deny";
    Principal?: pulumi.Input<{ AWS?: pulumi.Input<string | pulumi.Input<string>[]>; Service?: string | string[] } | "*">;
    Action: string | string[];
    Resource?: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: pulumi.Input<Record<string, Record<string, pulumi.Input<string | pulumi.Input<string>[] | boolean>>>>;
}

/** The JSON of a policy document; Effect defaults to Allow. */
export function policyJson(statements: Statement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: statements.map((s) => ({ Effect: "Allow", ...s })),
    });
}

/** A trust policy that lets one AWS service assume the role, only on behalf of this account. */
export function serviceTrustPolicy(service: string, accountId: pulumi.Input<string>): pulumi.Output<string> {
    return policyJson([{
        Sid: "AssumedByService",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    }]);
}
