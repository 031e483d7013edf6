// Security: least privilege for roles and the policies attached to them.
import { PolicyResource } from "@pulumi/policy";
import { T } from "../../lib/aws";
import { label, StackGraph } from "../../lib/graph";
import {
    actionMatches, CALLER_SCOPING_KEYS, hasConditionOn, isWildcardAction, parsePolicyDocument, SOURCE_CONTEXT_KEYS, Statement,
} from "../../lib/iam";
import { resourceRule, stackRule, TandemPolicy } from "../../lib/rule";
import { known, knownList, rawGet } from "../../lib/values";

/** An identity policy document and the resource it came from. */
interface IdentityDocument {
    source: PolicyResource;
    where: string;
    document: unknown;
}

/** Every identity policy of the stack: inline role/user/group policies, managed policies, roles' inlinePolicies. */
function identityDocuments(graph: StackGraph): PolicyResource[] {
    return graph.ofType(T.rolePolicy, T.userPolicy, T.groupPolicy, T.policy, T.role);
}

function documentsOf(r: PolicyResource): IdentityDocument[] {
    if (r.type === T.role) {
        return knownList(r.props, "inlinePolicies").map((p, i) => ({
            source: r, where: `inline policy ${JSON.stringify(rawGet(p, "name") ?? i)} of ${label(r)}`, document: known(p, "policy"),
        })).filter((d) => d.document !== undefined);
    }
    return [{ source: r, where: label(r), document: known(r.props, "policy") }];
}

function allowStatements(graph: StackGraph, each: (s: PolicyResource[], fn: (r: PolicyResource) => void) => void,
    report: (r: PolicyResource, m: string) => void, visit: (d: IdentityDocument, s: Statement) => void): void {
    each(identityDocuments(graph), (r) => {
        for (const d of documentsOf(r)) {
            const doc = parsePolicyDocument(d.document);
            if (!doc.ok) {
                report(d.source, `${d.where}: ${doc.error}.`);
                continue;
            }
            doc.statements.filter((s) => s.effect === "Allow").forEach((s) => visit(d, s));
        }
    });
}

export const noWildcardAction = stackRule<{ includeServiceWildcards: boolean }>({
    name: "iam-no-wildcard-action",
    pillar: "security",
    description: "IAM policies allow named actions, never \"*\" (nor \"service:*\" or NotAction).",
    anchors: ["Checkov CKV_AWS_63", "Checkov CKV_AWS_62", "Security Hub IAM.1", "Serverless Rules WS1003"],
    satisfy: "List the exact actions each statement needs (e.g. s3:GetObject, sqs:SendMessage). HardenedFunction takes them as `statements`.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            includeServiceWildcards: { type: "boolean", default: true, description: "Also refuse \"service:*\" (e.g. s3:*), not only \"*\"." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => allowStatements(graph, each, report, (d, s) => {
        if (s.notActions) {
            report(d.source, `Statement ${s.sid} of ${d.where} allows everything except ${s.notActions.join(", ")} (NotAction).`);
            return;
        }
        const wild = (s.actions ?? []).filter((a) => isWildcardAction(a, config.includeServiceWildcards));
        if (wild.length > 0) {
            report(d.source, `Statement ${s.sid} of ${d.where} allows ${wild.join(", ")}: name the actions.`);
        }
    }),
});

/**
 * Actions IAM cannot scope to a resource: "*" is the only resource they accept. (Service
 * Authorization Reference, "Resource types" column empty.) Extend it through the rule's settings.
 */
export const UNSCOPABLE_ACTIONS = [
    "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries",
    "cloudwatch:PutMetricData", "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics",
    "logs:DescribeLogGroups", "sts:GetCallerIdentity", "s3:ListAllMyBuckets", "kms:ListKeys", "kms:ListAliases", "kms:CreateKey",
    "sqs:ListQueues", "sns:ListTopics", "lambda:ListFunctions", "lambda:GetAccountSettings", "iam:ListRoles", "iam:ListPolicies",
    "ec2:DescribeNetworkInterfaces", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
    "tag:GetResources", "events:PutEvents",
];

export const noWildcardResource = stackRule<{ unscopableActions: string[] }>({
    name: "iam-no-wildcard-resource",
    pillar: "security",
    description: "IAM policies scope actions that support resource-level permissions to named resources, not \"*\".",
    anchors: ["Checkov CKV_AWS_355", "Serverless Rules WS1003"],
    satisfy: "Give each statement the ARNs it acts on (the bucket and prefix, the queue, the key, the log group). Only actions without resource-level permissions (listed in unscopableActions, e.g. xray:PutTraceSegments) may use \"*\".",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            unscopableActions: {
                type: "array", items: { type: "string" }, default: UNSCOPABLE_ACTIONS,
                description: "Actions that accept only Resource \"*\" (no resource-level permissions).",
            },
        },
    },
}, {
    check: ({ graph, each, report, config }) => allowStatements(graph, each, report, (d, s) => {
        if (s.notResources) {
            report(d.source, `Statement ${s.sid} of ${d.where} applies to every resource except ${s.notResources.join(", ")} (NotResource).`);
            return;
        }
        if (!(s.resources ?? []).some((r) => r === "*")) {
            return;
        }
        const unscopable = (a: string) => config.unscopableActions.some((u) => u.toLowerCase() === a.toLowerCase() || (!a.includes("*") && actionMatches(u, a)));
        const scopable = (s.actions ?? []).filter((a) => !unscopable(a));
        if (scopable.length > 0) {
            report(d.source, `Statement ${s.sid} of ${d.where} allows ${scopable.join(", ")} on Resource "*": these actions can be scoped to named resources.`);
        }
    }),
});

/** AWS managed policies that grant administrator or whole-service access. */
const DENIED_DEFAULT = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "*FullAccess", "*FullAccess_v2"];
const AWS_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

export const noAdminManagedPolicy = stackRule<{ deniedPolicyNames: string[] }>({
    name: "iam-no-admin-managed-policy",
    pillar: "security",
    description: "No role, user or group gets AdministratorAccess, PowerUserAccess or an AWS managed *FullAccess policy.",
    anchors: ["Checkov CKV_AWS_274", "Checkov CKV2_AWS_40", "Security Hub IAM.1"],
    satisfy: "Attach no broad AWS managed policies; write an inline RolePolicy with the exact statements. Always pass `role` to CallbackFunction (without it, it attaches AWSLambda_FullAccess, AmazonS3FullAccess and more).",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            deniedPolicyNames: {
                type: "array", items: { type: "string" }, default: DENIED_DEFAULT,
                description: "AWS managed policy names refused (`*` matches any characters).",
            },
        },
    },
}, {
    check: ({ graph, each, report, config }) => {
        const denied = (arn: unknown): string | undefined => {
            const name = typeof arn === "string" ? AWS_MANAGED_POLICY.exec(arn)?.[1] : undefined;
            return name && config.deniedPolicyNames.some((p) => actionMatches(p, name)) ? name : undefined;
        };
        each(graph.ofType(T.rolePolicyAttachment, T.policyAttachment, T.userPolicyAttachment, T.groupPolicyAttachment), (a) => {
            const name = denied(known(a.props, "policyArn"));
            if (name) {
                report(a, `${label(a)} attaches the AWS managed policy ${name}.`);
            }
        });
        each(graph.ofType(T.role, T.rolePolicyAttachmentsExclusive), (r) => {
            const arns = [...knownList(r.props, "managedPolicyArns"), ...knownList(r.props, "policyArns")];
            const names = arns.map(denied).filter((n): n is string => n !== undefined);
            if (names.length > 0) {
                report(r, `${label(r)} attaches the AWS managed ${names.length > 1 ? "policies" : "policy"} ${names.join(", ")}.`);
            }
        });
    },
});

function isAnyone(s: Statement): boolean {
    const p = s.principals;
    return s.notPrincipals !== undefined || (p !== undefined && (p.anyone || p.aws.some((a) => a.includes("*")) || p.service.some((v) => v.includes("*"))));
}

export const trustPolicyScoped = resourceRule<{ requireSourceCondition: boolean }>({
    name: "iam-trust-policy-scoped",
    pillar: "security",
    description: "Role trust policies name who may assume the role; service principals are bound to this account (no confused deputy).",
    anchors: ["Checkov CKV_AWS_60", "Checkov CKV_AWS_61", "IAM docs: cross-service confused deputy prevention"],
    satisfy: "Trust one named principal per role (e.g. Service lambda.amazonaws.com) and add Condition StringEquals aws:SourceAccount (or aws:SourceArn) = this account, as serviceTrustPolicy does. Federated principals need a condition on the token's audience or subject.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            requireSourceCondition: { type: "boolean", default: true, description: "Require aws:SourceAccount / aws:SourceArn / aws:SourceOrgID on statements trusting AWS services." },
        },
    },
}, {
    types: [T.role],
    check: ({ props, config, report }) => {
        const doc = parsePolicyDocument(known(props, "assumeRolePolicy"));
        if (!doc.ok) {
            report(`The trust policy cannot be read: ${doc.error}.`);
            return;
        }
        for (const s of doc.statements) {
            if (s.effect !== "Allow" || !(s.actions ?? ["*"]).some((a) => actionMatches(a, "sts:AssumeRole") || a.toLowerCase().startsWith("sts:assumerole"))) {
                continue;
            }
            if (isAnyone(s) && !hasConditionOn(s, CALLER_SCOPING_KEYS)) {
                report(`Statement ${s.sid} lets any principal assume the role.`);
                continue;
            }
            const services = s.principals?.service ?? [];
            if (config.requireSourceCondition && services.length > 0 && !hasConditionOn(s, SOURCE_CONTEXT_KEYS)) {
                report(`Statement ${s.sid} lets ${services.join(", ")} assume the role for any account: add a condition on aws:SourceAccount or aws:SourceArn.`);
            }
            if ((s.principals?.federated ?? []).length > 0 && Object.keys(s.conditions).length === 0) {
                report(`Statement ${s.sid} trusts ${s.principals!.federated.join(", ")} without a condition on the token's audience or subject.`);
            }
        }
    },
});

export const iamPolicies: TandemPolicy[] = [noWildcardAction, noWildcardResource, noAdminManagedPolicy, trustPolicyScoped];
