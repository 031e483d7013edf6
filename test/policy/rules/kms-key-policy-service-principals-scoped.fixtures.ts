import { editJson, json } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { ACCOUNT, key, TY } from "../harness/scaffold";

const setStatement = (sid: string, change: (s: any) => any) => editJson(key(), "key", "policy", (d) => ({ ...d, Statement: d.Statement.map((s: any) => (s.Sid === sid ? change(s) : s)) }));

export const fixtures: RuleFixtures = {
    rule: "kms-key-policy-service-principals-scoped",
    cases: [
        pass("the region key (logs bound by the encryption-context ARN, CloudWatch by aws:SourceAccount)", key()),
        // CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS", step 2 (key policy).
        pass("AWS's documented CloudWatch Logs statement bound to one log group", [{
            type: TY.key, name: "logs-key", inputs: {
                enableKeyRotation: true,
                policy: json({
                    Version: "2012-10-17", Statement: [{
                        Effect: "Allow", Principal: { Service: "logs.us-east-1.amazonaws.com" },
                        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource: "*",
                        Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:log-group-name` } },
                    }],
                }),
            },
        }]),
        fail("CloudWatch trusted without a condition", "key", setStatement("CloudWatchAlarmsPublishToEncryptedTopic", ({ Condition: _c, ...s }) => s)),
        fail("the logs statement bound to any account's log groups", "key", setStatement("CloudWatchLogsEncryptsThisAccountsLogGroups", (s) => ({ ...s, Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:*:*:log-group:*" } } }))),
        fail("a service bound only by kms:ViaService", "key", setStatement("CloudWatchAlarmsPublishToEncryptedTopic", (s) => ({ ...s, Principal: { Service: "sns.amazonaws.com" }, Condition: { StringEquals: { "kms:ViaService": "sns.us-east-1.amazonaws.com" } } }))),
        fail("aws:SourceAccount under StringNotEquals", "key", setStatement("CloudWatchAlarmsPublishToEncryptedTopic", (s) => ({ ...s, Condition: { StringNotEquals: { "aws:SourceAccount": "999999999999" } } }))),
        fail("a KeyPolicy resource trusting SNS unconditionally", "key-policy", [{ type: TY.keyPolicy, name: "key-policy", inputs: { keyId: "k", policy: json({ Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" }] }) } }]),
    ],
};
