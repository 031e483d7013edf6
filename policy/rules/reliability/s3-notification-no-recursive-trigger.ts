// s3-notification-no-recursive-trigger: a function notified by a bucket never writes where it is notified.
import { globsIntersect } from "../../lib/arn";
import { label } from "../../lib/graph";
import { statementCovers } from "../../lib/iam";
import { eachAllowStatementOf } from "../../lib/identity";
import { FUNCTION_ARN_ATTRS } from "../../lib/lambda";
import { stackRule } from "../../lib/rule";
import { BUCKET, bucketArn, functionNotifications } from "../../lib/s3";
import { T } from "../../lib/types";

/**
 * The S3 actions that produce each event type (S3 User Guide, "Event notification types and
 * destinations"): a function allowed one of them on the notified keys can trigger itself.
 */
const EVENT_ACTIONS: [RegExp, string[]][] = [
    [/^s3:ObjectCreated:/, ["s3:PutObject", "s3:ReplicateObject", "s3:RestoreObject"]],
    [/^s3:ObjectRemoved:/, ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ReplicateDelete"]],
    [/^s3:ObjectRestore:/, ["s3:RestoreObject"]],
    [/^s3:ObjectTagging:/, ["s3:PutObjectTagging", "s3:PutObjectVersionTagging", "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging", "s3:ReplicateTags"]],
    [/^s3:ObjectAcl:/, ["s3:PutObjectAcl", "s3:PutObjectVersionAcl"]],
    [/^s3:Replication:/, ["s3:ReplicateObject"]],
    [/^s3:LifecycleTransition$/, []],
];
const ALL_WRITES = [...new Set(EVENT_ACTIONS.flatMap(([, actions]) => actions))];

function actionsFor(events: string[]): string[] {
    return [...new Set(events.flatMap((e) => EVENT_ACTIONS.find(([re]) => re.test(e))?.[1] ?? ALL_WRITES))];
}

export const policy = stackRule({
    name: "s3-notification-no-recursive-trigger",
    pillar: "reliability",
    description: "An S3 event notification to a function is filtered to keys the function is not allowed to write (a prefix or suffix its role's write statements cannot reach).",
    rationale: "A function notified of new objects that writes new objects under the same prefix triggers itself: an unbounded loop of invocations and writes that costs money until someone notices (AWS Lambda's S3 tutorial warns against it). Comparing the notification's filter with the role's write grants finds the loop before deployment.",
    anchors: ["AWS Lambda docs: Tutorial: Using an Amazon S3 trigger (avoid recursive invocations)", "AWS Lambda docs: Recursive loop detection", "Well-Architected COST09-BP01"],
    satisfy: "Give the BucketNotification a filterPrefix (objects/) that the function's role cannot write: IngestPipeline notifies on objects/ and lets ingest write only manifests/.",
    enforcementLevel: "mandatory",
    severity: "high",
}, {
    check: (ctx) => ctx.each(ctx.graph.ofType(...BUCKET), (bucket) => {
        const arn = bucketArn(bucket);
        for (const n of functionNotifications(ctx.graph, bucket)) {
            const functions = ctx.graph.candidatesFor(n.functionArn, ctx.graph.inputSources(n.source, "lambdaFunctions"), [T.function], FUNCTION_ARN_ATTRS);
            const notified = `${arn ?? "arn:aws:s3:::*"}/${n.prefix}*${n.suffix}`;
            const writes = actionsFor(n.events);
            for (const fn of functions) {
                eachAllowStatementOf(ctx.graph, fn, (d, s) => {
                    const actions = writes.filter((a) => statementCovers(s, a));
                    const reach = s.notResources ? ["*"] : (s.resources ?? []).filter((r) => globsIntersect(r, notified));
                    if (actions.length > 0 && reach.length > 0) {
                        ctx.report(n.source, `${label(n.source)} notifies ${label(fn)} of ${n.events.join(", ")} on ${JSON.stringify(`${n.prefix}*${n.suffix}`)} in ${label(bucket)}, and statement ${s.sid} of ${d.where} lets it ${actions.join(", ")} on ${reach.join(", ")}: it can trigger itself.`);
                    }
                });
            }
        }
    }),
});
