import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const tag = (name: string, key: string, value: string) => edit(program(), name, (p) => ({ ...p, tags: { ...(p.tags as object), [key]: value } }));

export const fixtures: RuleFixtures = {
    rule: "policy-exemption-valid",
    cases: [
        pass("the log bucket's exemptions, each with a reason", program()),
        fail("an empty reason", "data", tag("data", "tandem:policy-exempt:s3-access-logging", "")),
        fail("a placeholder reason", "api", tag("api", "tandem:policy-exempt:lambda-arm64", "legacy")),
        fail("a rule the pack does not have", "data", tag("data", "tandem:policy-exempt:s3-logging", "logs are shipped to the SIEM by another pipeline")),
        fail("a rule name in the wrong case", "alarms", tag("alarms", "tandem:policy-exempt:SNS-TOPIC-KMS", "the foundation encrypts this topic's deliveries")),
    ],
};
