// lambda-function-url-auth: Function URLs require SigV4 (AWS_IAM).
import { T } from "../../lib/types";
import { label } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { known } from "../../lib/values";

export const policy = stackRule({
    name: "lambda-function-url-auth",
    pillar: "security",
    description: "Lambda Function URLs require IAM authentication (authorizationType AWS_IAM, never NONE).",
    rationale: "A URL with authorizationType NONE is callable by anyone on the internet: every document of the store becomes public and every call is billed to the account.",
    anchors: ["Checkov CKV_AWS_258", "Security Hub Lambda.1"],
    satisfy: "Set authorizationType: \"AWS_IAM\" on the FunctionUrl (DocumentApi does); callers sign requests with SigV4. A deliberately public URL needs the exemption tag tandem:policy-exempt:lambda-function-url-auth on its function, with the reason.",
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
