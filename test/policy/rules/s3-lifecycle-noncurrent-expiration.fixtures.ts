import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program, TY } from "../harness/scaffold";

const setRules = (bucket: string, change: (rules: any[]) => any[]) => edit(program(), `${bucket}-lifecycle`, (p) => ({ ...p, rules: change(p.rules as any[]) }));

export const fixtures: RuleFixtures = {
    rule: "s3-lifecycle-noncurrent-expiration",
    cases: [
        pass("30 days", program()),
        pass("an unversioned BucketV2 needs none", [{ type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy" } }]),
        fail("no rule expires noncurrent versions", "data", setRules("data", (rules) => rules.map(({ noncurrentVersionExpiration: _n, ...r }) => r))),
        fail("400 days", "data-lifecycle", setRules("data", (rules) => rules.map((r) => (r.noncurrentVersionExpiration ? { ...r, noncurrentVersionExpiration: { noncurrentDays: 400 } } : r)))),
        fail("a BucketV2 with inline versioning and no expiry", "legacy", [{ type: TY.bucketV2, name: "legacy", inputs: { bucket: "legacy", versioning: { enabled: true }, lifecycleRules: [{ enabled: true, abortIncompleteMultipartUploadDays: 3 }] } }]),
    ],
};
