import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const fns = () => program();

export const fixtures: RuleFixtures = {
    rule: "lambda-environment-customer-key",
    cases: [
        pass("the environment encrypted with the region key", fns()),
        pass("no environment at all", edit(fns(), "api", (p) => ({ ...p, environment: undefined, kmsKeyArn: undefined }))),
        fail("no kmsKeyArn", "api", edit(fns(), "api", (p) => ({ ...p, kmsKeyArn: undefined }))),
        fail("the key's id instead of its ARN", "api", edit(fns(), "api", (p) => ({ ...p, kmsKeyArn: "0b6c5a9e-1f2d-4c3b-9a8e-7d6f5e4c3b2a" }))),
        fail("a role ARN where the key belongs", "api", edit(fns(), "api", (p) => ({ ...p, kmsKeyArn: "arn:aws:iam::123456789012:role/tandem-api" }))),
    ],
};
