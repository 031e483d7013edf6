// The local run's decisions that need no emulator: which bucket-policy statements moto gets, which
// bodies moto would eat, schedules, and that every type the program may register has a treatment
// whose reason docs/local.md lists.
import { strict as assert } from "assert";
import { localBucketPolicy } from "../../tools/local/bucketPolicy";
import { GAPS, renderGaps } from "../../tools/local/gaps";
import { IdMap } from "../../tools/local/ids";
import { TREATMENT, TYPE } from "../../tools/local/resourceTypes";
import { isFormType } from "../../tools/local/s3Endpoint";
import { rateMs } from "../../tools/local/triggers";

const DENY_NON_TLS = { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": false } } };
const LOG_DELIVERY = { Sid: "Logs", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/*", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } };
const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("local run: bucket policies on moto", () => {
    it("leaves out a conditional Deny (moto would deny every request) and says which condition", () => {
        const local = localBucketPolicy(policy(DENY_NON_TLS, LOG_DELIVERY));
        assert.deepEqual(JSON.parse(local.policy!).Statement, [LOG_DELIVERY]);
        assert.deepEqual(local.skipped, [{ sid: "DenyInsecureTransport", reason: "a Deny conditioned on aws:SecureTransport: moto ignores the condition, so it would deny every request" }]);
    });

    it("leaves out a Deny for specific principals or with NotPrincipal (moto applies it to every caller)", () => {
        const forRole = { Sid: "NoRole", Effect: "Deny", Principal: { AWS: "arn:aws:iam::123456789012:role/x" }, Action: "s3:*", Resource: "*" };
        const notPrincipal = { Sid: "OnlyRole", Effect: "Deny", NotPrincipal: { AWS: "arn:aws:iam::123456789012:role/x" }, Action: "s3:*", Resource: "*" };
        const local = localBucketPolicy(policy(forRole, notPrincipal));
        assert.equal(local.policy, undefined, "no statement left: no policy at all");
        assert.deepEqual(local.skipped.map((s) => s.sid), ["NoRole", "OnlyRole"]);
    });

    it("keeps an unconditional Deny to everyone, writing the \"*\" principal as {\"AWS\": \"*\"}", () => {
        const deny = { Sid: "NoDeletes", Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" };
        const local = localBucketPolicy(policy(deny));
        assert.deepEqual(JSON.parse(local.policy!).Statement, [{ ...deny, Principal: { AWS: "*" } }]);
        assert.deepEqual(local.skipped, []);
    });
});

describe("local run: bodies moto would store empty", () => {
    it("are the two form media types, whatever their case and parameters", () => {
        for (const type of ["application/x-www-form-urlencoded", "Application/X-WWW-Form-Urlencoded; charset=UTF-8", "multipart/form-data; boundary=x", " MULTIPART/FORM-DATA "]) {
            assert.equal(isFormType(type), true, type);
        }
        for (const type of [undefined, "", "text/plain", "multipart/mixed; boundary=x", "application/x-www-form-urlencoded-like", "application/json"]) {
            assert.equal(isFormType(type), false, String(type));
        }
    });
});

describe("local run: schedules", () => {
    it("run rate() expressions at their rate, and refuse what they cannot run", () => {
        assert.equal(rateMs("rate(1 minute)"), 60_000);
        assert.equal(rateMs("rate(5 minutes)"), 300_000);
        assert.equal(rateMs("rate(2 hours)"), 7_200_000);
        assert.throws(() => rateMs("cron(0 12 * * ? *)"), /rate\(\.\.\.\) schedules only, not cron/);
        assert.throws(() => rateMs("rate(0.5 minutes)"), /rate\(\.\.\.\) schedules only/);
    });
});

describe("local run: identifiers", () => {
    it("translate mock ids inside ARNs and nested values, and refuse one id mapped twice", () => {
        const ids = new IdMap();
        ids.add("mock-key", "moto-key");
        assert.deepEqual(ids.translate({ a: ["arn:aws:kms:us-east-1:1:key/mock-key"], n: 3 }), { a: ["arn:aws:kms:us-east-1:1:key/moto-key"], n: 3 });
        assert.throws(() => ids.add("mock-key", "other"), /already provisioned as moto-key/);
    });
});

describe("local run: the type table and the gaps list", () => {
    it("gives every type it leaves out or runs itself a reason docs/local.md lists", () => {
        const ids = new Set(GAPS.map((g) => g.id));
        for (const [type, treatment] of TREATMENT) {
            if (treatment.by !== "moto") assert.ok(ids.has(treatment.gap), `${type}: ${treatment.gap}`);
        }
        assert.equal(TREATMENT.get(TYPE.replication)?.by, "local run");
    });

    it("renders one row per gap, ids unique", () => {
        assert.equal(new Set(GAPS.map((g) => g.id)).size, GAPS.length);
        assert.equal(renderGaps().split("\n").length, GAPS.length + 2);
    });
});
