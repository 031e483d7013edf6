import { edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

export const fixtures: RuleFixtures = {
    rule: "lambda-trigger-names-function-arn",
    cases: [
        pass("the notification and the schedule's target name their functions by ARN", program()),
        pass("a preview: the ARNs are unknown but computed from the functions", program(), { preview: true }),
        fail("the schedule's target names the canary by its name", "canary-target", edit(program(), "canary-target", (p) => ({ ...p, arn: ref("canary", "name") }))),
        fail("the notification names ingest by its name", "ingest-notification", edit(program(), "ingest-notification", (p) => ({ ...p, lambdaFunctions: (p.lambdaFunctions as any[]).map((f) => ({ ...f, lambdaFunctionArn: ref("ingest", "name") })) }))),
        fail("a target given a literal function name", "canary-target", edit(program(), "canary-target", (p) => ({ ...p, arn: "tandem-canary" }))),
    ],
};
