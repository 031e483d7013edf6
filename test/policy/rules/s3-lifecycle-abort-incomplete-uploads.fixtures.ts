import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program, TY } from "../harness/scaffold";

const setRules = (bucket: string, change: (rules: any[]) => any[]) => edit(program(), `${bucket}-lifecycle`, (p) => ({ ...p, rules: change(p.rules as any[]) }));

export const fixtures: RuleFixtures = {
    rule: "s3-lifecycle-abort-incomplete-uploads",
    cases: [
        pass("7 days on every bucket", program()),
        pass("a BucketV2 with deprecated inline lifecycleRules", [{ type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", lifecycleRules: [{ enabled: true, abortIncompleteMultipartUploadDays: 3 }] } }]),
        fail("the abort rule removed", "data", setRules("data", (rules) => rules.filter((r) => !r.abortIncompleteMultipartUpload))),
        fail("30 days", "data-lifecycle", setRules("data", (rules) => rules.map((r) => (r.abortIncompleteMultipartUpload ? { ...r, abortIncompleteMultipartUpload: { daysAfterInitiation: 30 } } : r)))),
        fail("only under a prefix", "logs", setRules("logs", (rules) => rules.map((r) => (r.abortIncompleteMultipartUpload ? { ...r, filter: { prefix: "uploads/" } } : r)))),
        fail("the rule disabled", "data", setRules("data", (rules) => rules.map((r) => (r.abortIncompleteMultipartUpload ? { ...r, status: "Disabled" } : r)))),
    ],
};
