import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const urls = () => program();

export const fixtures: RuleFixtures = {
    rule: "lambda-function-url-auth",
    cases: [
        pass("AWS_IAM", urls()),
        pass("a public URL exempted on its function with a reason", edit(edit(urls(), "api-url", (p) => ({ ...p, authorizationType: "NONE" })), "api", (p) => ({ ...p, tags: { "tandem:policy-exempt:lambda-function-url-auth": "public webhook, authenticated by an HMAC signature" } }))),
        fail("NONE", "api-url", edit(urls(), "api-url", (p) => ({ ...p, authorizationType: "NONE" }))),
        fail("NONE in a preview", "api-url", edit(urls(), "api-url", (p) => ({ ...p, authorizationType: "NONE" })), { preview: true }),
        fail("an exemption with a placeholder reason", "api-url", edit(edit(urls(), "api-url", (p) => ({ ...p, authorizationType: "NONE" })), "api", (p) => ({ ...p, tags: { "tandem:policy-exempt:lambda-function-url-auth": "TODO" } }))),
    ],
};
