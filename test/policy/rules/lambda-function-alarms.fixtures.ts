import { drop, edit, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const setAlarm = (name: string, change: (p: any) => any) => edit(program(), name, change);

export const fixtures: RuleFixtures = {
    rule: "lambda-function-alarms",
    cases: [
        pass("errors and throttles alarms keyed by each function's name", program()),
        pass("a preview: the names are known inputs", program(), { preview: true }),
        pass("a metric-math alarm (metricQueries) on the errors", setAlarm("api-errors", (p) => ({
            ...p, namespace: undefined, metricName: undefined, dimensions: undefined, statistic: undefined, period: undefined,
            metricQueries: [
                { id: "e", returnData: false, metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: ref("api", "name") }, period: 300, stat: "Sum" } },
                { id: "rate", returnData: true, expression: "e" },
            ],
        }))),
        fail("the FunctionName dimension holds the function's ARN", "api", setAlarm("api-errors", (p) => ({ ...p, dimensions: { FunctionName: ref("api", "arn") } }))),
        fail("the errors alarm removed", "ingest", drop(program(), "ingest-errors")),
        fail("the throttles alarm watches another function", "canary", setAlarm("canary-throttles", (p) => ({ ...p, dimensions: { FunctionName: ref("api", "name") } }))),
        fail("an alarm in another namespace", "api", setAlarm("api-errors", (p) => ({ ...p, namespace: "Tandem" }))),
        fail("an extra dimension (an alias's metric only)", "api", setAlarm("api-throttles", (p) => ({ ...p, dimensions: { FunctionName: ref("api", "name"), Resource: "tandem-api:live" } }))),
        fail("a comparison that never fires on errors", "ingest", setAlarm("ingest-errors", (p) => ({ ...p, comparisonOperator: "LessThanThreshold" }))),
        fail("a preview: both alarms of the canary removed", "canary", drop(program(), "canary-errors", "canary-throttles"), { preview: true }),
    ],
};
