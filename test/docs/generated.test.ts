// Every generated section of the docs is what `npm run docs` renders now: a change to the program, the
// pack or a tool that changes what a page says fails here until the page is regenerated.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../tools/engine/evaluate";
import { renderedFiles, replaceSection } from "../../tools/docs/generate";
import { SECTIONS } from "../../tools/docs/sections";
import { evaluatedStack } from "../support/evaluatedStacks";

describe("generated documentation (npm run docs)", function () {
    this.timeout(120_000);

    it("is up to date in every file that has generated sections", async () => {
        for (const [file, text] of await renderedFiles(SECTIONS, evaluatedStack)) {
            assert.equal(fs.readFileSync(path.join(ROOT, file), "utf8"), text, `${file} is stale: run npm run docs`);
        }
    });

    it("names each section once per file", () => {
        const keys = SECTIONS.map((s) => `${s.file}#${s.name}`);
        assert.equal(new Set(keys).size, keys.length);
    });

    it("refuses a page that lost a section's markers, naming the section", () => {
        assert.throws(() => replaceSection("# page\n", "docs/x.md", "first-run", "text"), /docs\/x.md has no <!-- generated:first-run --> … <!-- \/generated:first-run --> section/);
    });
});
