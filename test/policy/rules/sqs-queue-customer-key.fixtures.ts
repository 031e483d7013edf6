import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const queues = () => program();

export const fixtures: RuleFixtures = {
    rule: "sqs-queue-customer-key",
    cases: [
        pass("the failure queue with the region key", queues()),
        pass("the key named by its alias", edit(queues(), "api-failures", (p) => ({ ...p, kmsMasterKeyId: "alias/tandem" }))),
        fail("SSE-SQS", "api-failures", edit(queues(), "api-failures", (p) => ({ ...p, kmsMasterKeyId: undefined, sqsManagedSseEnabled: true }))),
        fail("the AWS managed key", "api-failures", edit(queues(), "api-failures", (p) => ({ ...p, kmsMasterKeyId: "alias/aws/sqs" }))),
        fail("something that is not a key", "api-failures", edit(queues(), "api-failures", (p) => ({ ...p, kmsMasterKeyId: "tandem-key" }))),
    ],
};
