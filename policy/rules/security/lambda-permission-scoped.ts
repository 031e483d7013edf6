// lambda-permission-scoped: service principals may invoke a function only for the resource that
// really triggers it, in this account.
import { PolicyResource } from "@pulumi/policy";
import { arnPatternBreadth, parseArn } from "../../lib/arn";
import { label, refersTo, StackGraph } from "../../lib/graph";
import { bucketNotificationsOf, eventTargetsOf, functionsNamedBy, ruleOfTarget } from "../../lib/lambda";
import { stackRule } from "../../lib/rule";
import { T } from "../../lib/types";
import { isSet, isUnknown, known, rawGet } from "../../lib/values";

const SERVICE_PRINCIPAL = /^([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;
/** The ARN service of the resources each principal acts for, where it differs from the principal's name. */
const SOURCE_ARN_SERVICE: Record<string, string> = { apigateway: "execute-api", "elasticloadbalancing": "elasticloadbalancing" };

/** What a trigger needs (Lambda Developer Guide, "Using resource-based policies in Lambda"). */
const INVOKE_ACTIONS = ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"];

interface Settings {
    requireSourceAccountFor: string[];
    accountWideSourcePrincipals: string[];
}

/** The resources that do invoke `fn` through `principal` in this stack, with the ARN attribute the permission must name. */
function invokers(graph: StackGraph, fn: PolicyResource, principal: string): PolicyResource[] {
    if (principal === "s3.amazonaws.com") {
        return bucketNotificationsOf(graph, fn).map((n) => n.bucket);
    }
    if (principal === "events.amazonaws.com") {
        return eventTargetsOf(graph, fn).flatMap((t) => ruleOfTarget(graph, t));
    }
    return [];
}

export const policy = stackRule<Settings>({
    name: "lambda-permission-scoped",
    pillar: "security",
    description: "Lambda invoke permissions for AWS services name the one source resource (sourceArn, no wildcard, the resource that triggers the function), and none is granted to everyone.",
    rationale: "A service principal such as s3.amazonaws.com acts for every AWS customer: without a sourceArn (or with one whose wildcard matches other accounts' resources) anyone's bucket or rule can invoke the function. A sourceArn naming a resource that does not trigger the function scopes the grant to the wrong thing.",
    anchors: ["Checkov CKV_AWS_364", "Security Hub Lambda.1", "IAM docs: The confused deputy problem"],
    satisfy: "Give each lambda.Permission for a service principal the ARN of the resource that invokes the function as sourceArn (the notifying bucket's arn, the EventBridge rule's arn), and sourceAccount for services whose ARNs carry no account (S3). Never use principal \"*\" without principalOrgId or functionUrlAuthType AWS_IAM.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            requireSourceAccountFor: {
                type: "array", items: { type: "string" }, default: ["s3.amazonaws.com", "ses.amazonaws.com"],
                description: "Service principals whose source ARNs carry no account: their permissions also need sourceAccount.",
            },
            accountWideSourcePrincipals: {
                type: "array", items: { type: "string" }, default: ["cloudfront.amazonaws.com"],
                description: "Principals whose sourceArn may match every resource of one account (CloudFront: the edge's distribution lives in the other region's stack, so its id is unknown here).",
            },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(T.permission), (p) => {
        const action = known(p.props, "action");
        if (!INVOKE_ACTIONS.includes(action as string)) {
            report(p, `${label(p)} grants ${JSON.stringify(action)}: a resource-based permission for invocation names lambda:InvokeFunction or lambda:InvokeFunctionUrl, no wildcard.`);
        }
        const principal = known(p.props, "principal");
        if (principal === "*") {
            if (!isSet(p.props, "principalOrgId") && known(p.props, "functionUrlAuthType") !== "AWS_IAM") {
                report(p, `${label(p)} lets anyone (principal "*") invoke the function.`);
            }
            return;
        }
        const service = typeof principal === "string" ? SERVICE_PRINCIPAL.exec(principal)?.[1] : undefined;
        if (!service) {
            return;
        }
        if (config.requireSourceAccountFor.includes(principal as string) && !isSet(p.props, "sourceAccount")) {
            report(p, `${label(p)} grants ${principal}, whose resource ARNs name no account: set sourceAccount too.`);
        }
        if (!isSet(p.props, "sourceArn")) {
            report(p, `${label(p)} lets ${principal} invoke the function on behalf of any resource in any account: set sourceArn.`);
            return;
        }
        const sourceArn = rawGet(p.props, "sourceArn");
        if (typeof sourceArn === "string" && !isUnknown(sourceArn)) {
            const arn = parseArn(sourceArn);
            const expected = SOURCE_ARN_SERVICE[service] ?? service;
            if (!arn) {
                report(p, `${label(p)}'s sourceArn ${JSON.stringify(sourceArn)} is not an ARN: it scopes nothing.`);
                return;
            }
            if (arn.service !== expected && !/[*?]/.test(arn.service)) {
                report(p, `${label(p)}'s sourceArn names a ${arn.service} resource, but ${principal} acts for ${expected} resources: it is the wrong attribute or resource.`);
                return;
            }
            const breadth = arnPatternBreadth(sourceArn);
            if (breadth.breadth === "any" || (breadth.breadth === "account" && !config.accountWideSourcePrincipals.includes(principal as string))) {
                report(p, `${label(p)}'s sourceArn scopes nothing: ${breadth.why}.`);
                return;
            }
        }
        // The permission must name the resource that actually invokes the function, by its ARN.
        for (const fn of functionsNamedBy(graph, p, "function")) {
            const sources = invokers(graph, fn, principal as string);
            const deps = graph.inputSources(p, "sourceArn");
            if (sources.length > 0 && !sources.some((s) => refersTo(sourceArn, deps, s, ["arn"]))) {
                report(p, `${label(p)}'s sourceArn does not name the ARN of what invokes ${label(fn)} through ${principal} (${sources.map(label).join(", ")}).`);
            }
        }
    }),
});
