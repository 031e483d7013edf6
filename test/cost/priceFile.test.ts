import { strict as assert } from "assert";
import * as fs from "fs";
import { loadPriceBook, PRICE_FILE, PRICE_KEYS, priceBookProblems, RegionPrices, VERIFICATION_LEVELS } from "../../tools/cost/priceBook";

const raw = () => JSON.parse(fs.readFileSync(PRICE_FILE, "utf8"));

describe("cost: the price file", () => {
    it("is well-formed: every price the model uses, each with unit, regions, source, date and how it was verified", () => {
        assert.deepEqual(priceBookProblems(raw()), []);
        const book = loadPriceBook();
        assert.deepEqual(Object.keys(book.prices).sort(), [...PRICE_KEYS].sort());
        for (const [key, p] of Object.entries(book.prices)) {
            assert.match(p.source, /^https:\/\/aws\.amazon\.com\//, key);
            assert.match(p.checked, /^\d{4}-\d{2}-\d{2}$/, key);
            assert.ok(Date.parse(p.checked) <= Date.now(), `${key} is dated in the future`);
            assert.ok((VERIFICATION_LEVELS as readonly string[]).includes(p.verification), key);
            if (p.verification !== "unverified") assert.ok(p.evidence && p.evidence.length > 20, `${key} needs its evidence`);
        }
    });

    it("covers both regions Tandem deploys to", () => {
        const book = loadPriceBook();
        assert.doesNotThrow(() => new RegionPrices(book, "us-east-1"));
        assert.doesNotThrow(() => new RegionPrices(book, "us-west-2"));
        assert.throws(() => new RegionPrices(book, "eu-west-1"), /no price for eu-west-1: lambda\.request/);
    });

    it("refuses entries without a source or a date, unknown keys and missing prices", () => {
        const broken = raw();
        delete broken.prices["kms.key"].source;
        broken.prices["kms.request"].checked = "last spring";
        broken.prices["lambda.request"].verification = "trust me";
        broken.prices["s3.storage.standard"].evidence = "";
        broken.prices["made.up"] = { ...broken.prices["sns.publish"] };
        delete broken.prices["sns.publish"];
        const problems = priceBookProblems(broken);
        assert.deepEqual(problems.sort(), [
            "kms.key: source must be the https://aws.amazon.com/ pricing page",
            "kms.request: checked must be an ISO date (YYYY-MM-DD)",
            "lambda.request: verification must be one of official, secondary, unverified",
            "made.up: not a price the model uses (remove it or teach the model)",
            "s3.storage.standard: evidence is required for a verified price",
            "sns.publish: missing",
        ].sort());
    });

    it("converts quantities with the entry's unit size", () => {
        const prices = new RegionPrices(loadPriceBook(), "us-east-1");
        const kms = prices.entry("kms.request");
        assert.equal(prices.usd("kms.request", kms.per * 3), kms.usd * 3);
    });
});
