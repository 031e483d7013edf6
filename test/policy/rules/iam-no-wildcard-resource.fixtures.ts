import { editJson, fmt, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { ACCOUNT, program } from "../harness/scaffold";

const setApi = (sid: string, change: (s: any) => any) => editJson(program(), "api-policy", "policy", (d) => ({ ...d, Statement: d.Statement.map((s: any) => (s.Sid === sid ? change(s) : s)) }));
const addApi = (s: unknown) => editJson(program(), "api-policy", "policy", (d) => ({ ...d, Statement: [...d.Statement, s] }));

export const fixtures: RuleFixtures = {
    rule: "iam-no-wildcard-resource",
    cases: [
        pass("the program (X-Ray on \"*\": no resource-level permissions)", program()),
        // Lambda Developer Guide, "Defining Lambda function permissions with an execution role" (basic execution policy).
        pass("AWS's documented Lambda execution role: CreateLogGroup on the account and region", addApi({
            Effect: "Allow", Action: "logs:CreateLogGroup", Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:*`,
        })),
        pass("a read on every key of one account and region (Security Hub KMS.1's suggested scope)", addApi({ Effect: "Allow", Action: "kms:DescribeKey", Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/*` })),
        fail("Resource \"*\" for writes", "api-policy", setApi("WriteDocuments", (s) => ({ ...s, Resource: "*" }))),
        fail("arn:aws:s3:::*/* (every object of every bucket)", "api-policy", setApi("WriteDocuments", (s) => ({ ...s, Resource: "arn:aws:s3:::*/*" }))),
        fail("arn:aws:kms:*:*:key/* (every key anywhere)", "api-policy", setApi("UseRegionKey", (s) => ({ ...s, Resource: "arn:aws:kms:*:*:key/*" }))),
        fail("sending to every queue of the account", "api-policy", setApi("SendFailedEvents", (s) => ({ ...s, Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:*` }))),
        fail("a bucket-name prefix pattern (any account's buckets named so)", "api-policy", setApi("WriteDocuments", (s) => ({ ...s, Resource: "arn:aws:s3:::tandem-*/objects/*" }))),
        fail("NotResource", "api-policy", setApi("ReadDocuments", ({ Resource: _r, ...s }) => ({ ...s, NotResource: fmt`${ref("data", "arn")}/secret/*` }))),
        fail("logs in any region", "api-policy", setApi("WriteOwnLogs", (s) => ({ ...s, Resource: "arn:aws:logs:*:123456789012:log-group:/aws/lambda/tandem-api:*" }))),
    ],
};
