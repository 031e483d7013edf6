import { drop, edit, json, ref } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { dashboard, program } from "../harness/scaffold";

const body = (metrics: unknown[], title = "functions") => json({ widgets: [{ type: "metric", properties: { title, region: "us-east-1", metrics } }] });
const withBody = (b: unknown) => edit(program(), "dashboard", (p) => ({ ...p, dashboardBody: b }));

export const fixtures: RuleFixtures = {
    rule: "cloudwatch-dashboard",
    cases: [
        pass("every function on the dashboard", program()),
        pass("a preview: the body is unknown, the dashboard depends on every function", program(), { preview: true }),
        pass("the CloudWatch \".\" and \"...\" shorthand", withBody(body([
            ["AWS/Lambda", "Errors", "FunctionName", ref("api", "name")],
            [".", ".", ".", ref("ingest", "name")],
            ["...", ref("canary", "name")],
        ]))),
        fail("no dashboard", "tandem-prod", drop(program(), "dashboard")),
        fail("the dashboard leaves out ingest", "ingest", edit(program(), "dashboard", () => dashboard(["api", "canary"]).inputs!)),
        fail("a widget keyed by the canary's ARN", "canary", withBody(body([
            ["AWS/Lambda", "Errors", "FunctionName", ref("api", "name")], ["AWS/Lambda", "Errors", "FunctionName", ref("ingest", "name")], ["AWS/Lambda", "Errors", "FunctionName", ref("canary", "arn")],
        ]))),
        fail("the name only in a widget's title (a substring is not a metric)", "api", withBody(json({ widgets: [
            { type: "text", properties: { markdown: "tandem-api tandem-ingest tandem-canary" } },
            { type: "metric", properties: { title: "tandem-api", metrics: [["AWS/Lambda", "Errors", "FunctionName", ref("ingest", "name")], ["AWS/Lambda", "Errors", "FunctionName", ref("canary", "name")]] } },
        ] }))),
        fail("the api's widget shows the peer region's metrics", "api", edit(program(), "dashboard", () => {
            const d = dashboard(["api", "ingest", "canary"]).inputs!;
            return { ...d, dashboardBody: json({ widgets: [
                { type: "metric", properties: { region: "us-west-2", metrics: [["AWS/Lambda", "Errors", "FunctionName", ref("api", "name")]] } },
                { type: "metric", properties: { region: "us-east-1", metrics: [["AWS/Lambda", "Errors", "FunctionName", ref("ingest", "name")], ["AWS/Lambda", "Errors", "FunctionName", ref("canary", "name")]] } },
            ] }) };
        })),
        fail("the function's metric in another namespace", "api", withBody(body([
            ["Tandem", "Errors", "FunctionName", ref("api", "name")], ["AWS/Lambda", "Errors", "FunctionName", ref("ingest", "name")], ["AWS/Lambda", "Errors", "FunctionName", ref("canary", "name")],
        ]))),
    ],
};
