// The ingest function's allocator setting (infra/functionContext.ts INGEST_ALLOCATOR_ENVIRONMENT). glibc
// reads GLIBC_TUNABLES at process start and ignores, silently, a name it does not know or a value out of
// range (https://sourceware.org/glibc/manual/latest/html_node/Tunables.html), so the test asks glibc's
// own loader what it makes of the string: `ld.so --list-tunables` prints every tunable's value in force.

import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import { INGEST_ALLOCATOR_ENVIRONMENT } from "../../infra/functionContext";
import { evaluateStack } from "../../tools/engine/evaluate";
import { one, TYPES } from "../support/inventory";

/** glibc's dynamic loader on this machine (x86-64 here and in CI; arm64 as on Lambda). */
const LOADERS = ["/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"];

/** The value glibc's loader reports for each tunable, given `GLIBC_TUNABLES=<setting>`. */
function tunablesInForce(setting: string): Map<string, bigint> {
    const loader = LOADERS.find((file) => fs.existsSync(file));
    assert.ok(loader, `no glibc loader at ${LOADERS.join(" or ")}`);
    const listed = execFileSync(loader, ["--list-tunables"], { env: { GLIBC_TUNABLES: setting }, encoding: "utf8" });
    const values = new Map<string, bigint>();
    for (const line of listed.split("\n")) {
        const match = /^(\S+): (0x[0-9a-f]+|\d+) /.exec(line);
        if (match) values.set(match[1], BigInt(match[2]));
    }
    return values;
}

describe("program: the ingest function's allocator setting", () => {
    it("is in the ingest function's environment, and only there", async () => {
        const inv = await evaluateStack("prod");
        assert.strictEqual(one(inv, TYPES.function, "ingest").inputs.environment.variables.GLIBC_TUNABLES, INGEST_ALLOCATOR_ENVIRONMENT.GLIBC_TUNABLES);
        for (const fn of ["api", "canary"]) assert.strictEqual(one(inv, TYPES.function, fn).inputs.environment.variables.GLIBC_TUNABLES, undefined, fn);
    });

    it("is a setting glibc takes: every name known, every value in force", () => {
        const setting = INGEST_ALLOCATOR_ENVIRONMENT.GLIBC_TUNABLES;
        const inForce = tunablesInForce(setting);
        for (const pair of setting.split(":")) {
            const [name, value] = pair.split("=");
            assert.strictEqual(inForce.get(name), BigInt(value), `${name} as glibc reads ${setting}`);
        }
    });

    it("the check above sees a misspelt name (glibc ignores it)", () => {
        assert.strictEqual(tunablesInForce("glibc.malloc.trim_treshold=67108864").get("glibc.malloc.trim_threshold"), 0n);
    });
});
