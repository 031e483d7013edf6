// lambda-timeout-within-trigger-limit: a function gives up before whoever waits for it does.
import { PolicyResource } from "@pulumi/policy";
import { label } from "../../lib/graph";
import { eventTargetsOf, functionsNamedBy, functionUrls, ruleOfTarget, schedulePeriodSeconds, timeoutSeconds } from "../../lib/lambda";
import { stackRule } from "../../lib/rule";
import { T } from "../../lib/types";
import { known, knownList } from "../../lib/values";

interface Settings {
    functionUrlMaxSeconds: number;
    queueVisibilityFactor: number;
}

/** CloudFront's origin response timeout when none is set (CloudFront Developer Guide, "Response timeout"). */
const CLOUDFRONT_DEFAULT_READ_TIMEOUT = 30;
/** SQS's default visibility timeout. */
const SQS_DEFAULT_VISIBILITY = 30;

export const policy = stackRule<Settings>({
    name: "lambda-timeout-within-trigger-limit",
    pillar: "reliability",
    description: "A function's timeout fits what triggers it: at most the Function URL cap for a URL, the origin response timeout for a CloudFront origin, the schedule's period for a scheduled function, a sixth of the queue's visibility timeout for an SQS source.",
    rationale: "When the caller gives up first, the function keeps running (and billing) for an answer nobody reads, a scheduled run overlaps the next one, and an SQS message becomes visible again and is processed twice while the first attempt is still running.",
    anchors: ["AWS Lambda docs: Configuring a queue to use with Lambda (visibility timeout at least six times the function timeout)", "AWS CloudFront docs: Response timeout (origin read timeout)", "Well-Architected REL05-BP05"],
    satisfy: "Keep tandem:apiTimeoutSeconds at or below functionUrlMaxSeconds (and CloudFront's originReadTimeout when the edge serves the api), the canary's timeout below its one-minute schedule, and any SQS source's visibilityTimeoutSeconds at least queueVisibilityFactor times the timeout.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            functionUrlMaxSeconds: { type: "integer", minimum: 1, maximum: 900, default: 60, description: "Longest timeout of a function behind a Function URL (a client waits on every call)." },
            queueVisibilityFactor: { type: "integer", minimum: 1, maximum: 12, default: 6, description: "How many times the function's timeout an SQS source's visibility timeout must be." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => each(graph.ofType(T.function), (fn) => {
        const timeout = timeoutSeconds(fn);
        const bound = (limit: number, why: string, on: PolicyResource = fn) => {
            if (timeout > limit) {
                report(on, `${label(fn)} times out after ${timeout} s, but ${why} (${limit} s).`);
            }
        };
        for (const url of functionUrls(graph, fn)) {
            bound(config.functionUrlMaxSeconds, `it answers ${label(url)}, whose callers wait at most functionUrlMaxSeconds`);
            for (const d of graph.ofType(T.distribution).filter((x) => graph.inputSources(x, "origins").some((s) => s.urn === url.urn))) {
                const timeouts = knownList(d.props, "origins").map((o) => known(o, "customOriginConfig", "originReadTimeout") ?? CLOUDFRONT_DEFAULT_READ_TIMEOUT);
                bound(Math.min(...timeouts.map(Number)), `${label(d)} stops waiting for its origin after originReadTimeout`);
            }
        }
        for (const target of eventTargetsOf(graph, fn)) {
            for (const rule of ruleOfTarget(graph, target)) {
                const period = schedulePeriodSeconds(known(rule.props, "scheduleExpression"));
                if (period !== undefined) {
                    bound(period, `${label(rule)} starts it again every ${period} s, so runs would overlap`);
                }
            }
        }
        for (const mapping of graph.ofType(T.eventSourceMapping).filter((m) => functionsNamedBy(graph, m, "functionName").some((f) => f.urn === fn.urn))) {
            for (const queue of graph.referenced(mapping, "eventSourceArn", [T.queue], ["arn"])) {
                const visibility = Number(known(queue.props, "visibilityTimeoutSeconds") ?? SQS_DEFAULT_VISIBILITY);
                if (visibility < config.queueVisibilityFactor * timeout) {
                    report(queue, `${label(queue)} hides a message for ${visibility} s but ${label(fn)} may run ${timeout} s: set visibilityTimeoutSeconds to at least ${config.queueVisibilityFactor * timeout} s, or messages are processed twice.`);
                }
            }
        }
    }),
});
