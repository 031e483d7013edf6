// Security: who may invoke a function.
import { T } from "../../lib/aws";
import { label } from "../../lib/graph";
import { stackRule, TandemPolicy } from "../../lib/rule";
import { isSet, known } from "../../lib/values";

export const functionUrlAuth = stackRule({
    name: "lambda-function-url-auth",
    pillar: "security",
    description: "Lambda Function URLs require IAM authentication (authorizationType AWS_IAM, never NONE).",
    anchors: ["Checkov CKV_AWS_258", "Security Hub Lambda.1"],
    satisfy: "Set authorizationType: \"AWS_IAM\" on the FunctionUrl; callers sign requests with SigV4. A deliberately public URL needs the exemption tag tandem:policy-exempt:lambda-function-url-auth on its function.",
    enforcementLevel: "mandatory",
    severity: "critical",
}, {
    check: ({ graph, each, report }) => each(graph.ofType(T.functionUrl), (url) => {
        const auth = known(url.props, "authorizationType");
        if (auth !== "AWS_IAM") {
            report(url, `${label(url)} has authorizationType ${JSON.stringify(auth)}: anyone on the internet can invoke the function.`);
        }
    }),
});

const SERVICE_PRINCIPAL = /\.amazonaws\.com(\.cn)?$/;

export const permissionScoped = stackRule<{ requireSourceAccountFor: string[] }>({
    name: "lambda-permission-scoped",
    pillar: "security",
    description: "Lambda invoke permissions for AWS services name the source resource (sourceArn); none is granted to everyone.",
    anchors: ["Checkov CKV_AWS_364", "Security Hub Lambda.1"],
    satisfy: "Give each lambda.Permission for a service principal its sourceArn (the bucket, rule or topic that invokes), and sourceAccount for services whose ARNs carry no account (S3). Never use principal \"*\" without principalOrgId or functionUrlAuthType AWS_IAM.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            requireSourceAccountFor: {
                type: "array", items: { type: "string" }, default: ["s3.amazonaws.com", "ses.amazonaws.com"],
                description: "Service principals whose source ARNs carry no account: their permissions also need sourceAccount.",
            },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(T.permission), (p) => {
        const principal = known(p.props, "principal");
        if (principal === "*") {
            if (!isSet(p.props, "principalOrgId") && known(p.props, "functionUrlAuthType") !== "AWS_IAM") {
                report(p, `${label(p)} lets anyone (principal "*") invoke the function.`);
            }
            return;
        }
        if (typeof principal === "string" && SERVICE_PRINCIPAL.test(principal)) {
            if (!isSet(p.props, "sourceArn")) {
                report(p, `${label(p)} lets ${principal} invoke the function on behalf of any resource in any account: set sourceArn.`);
            }
            if (config.requireSourceAccountFor.includes(principal) && !isSet(p.props, "sourceAccount")) {
                report(p, `${label(p)} grants ${principal}, whose resource ARNs name no account: set sourceAccount too.`);
            }
        }
    }),
});

export const lambdaSecurityPolicies: TandemPolicy[] = [functionUrlAuth, permissionScoped];
