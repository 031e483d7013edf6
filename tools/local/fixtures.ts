// The function tests' view of the emulator: moto provisioned from the program (./provision.ts) and,
// per region, what a test needs to build the handlers itself — the data bucket, the region key, the
// role, and each function's registered environment.
import { ENV, StackRole } from "../../functions/contract";
import { FunctionKind, LocalFunction, runtimeEnvironment } from "./functions";
import { loadProgram, resourcesOf } from "./program";
import { provisionProgram, ProvisionedStack } from "./provision";
import { TYPE } from "./resourceTypes";

export interface RegionFixture {
    region: string;
    peerRegion: string;
    role: StackRole;
    /** The data bucket (the functions' TANDEM_BUCKET). */
    bucket: string;
    /** The key the data bucket encrypts with, as moto knows it. */
    keyArn: string;
    /** That key's alias. */
    keyAlias: string;
    functions: Record<FunctionKind, LocalFunction>;
}

function fixtureOf(stack: ProvisionedStack, translate: <T>(value: T) => T): RegionFixture {
    const functions = Object.fromEntries(stack.functions.map((f) => [f.kind, f])) as Record<FunctionKind, LocalFunction>;
    const api = functions.api;
    if (api === undefined) throw new Error(`stack ${stack.stack} registers no api function`);
    const bucket = api.environment[ENV.bucket];
    const encryption = resourcesOf(stack, TYPE.encryption).find((r) => r.inputs.bucket === bucket);
    const keyArn = translate(String(encryption?.inputs.rules?.[0]?.applyServerSideEncryptionByDefault?.kmsMasterKeyId ?? ""));
    const alias = resourcesOf(stack, TYPE.alias).find((a) => keyArn.endsWith(`/${translate(String(a.inputs.targetKeyId))}`));
    return {
        region: api.region,
        peerRegion: api.environment[ENV.peerRegion],
        role: api.environment[ENV.role] as StackRole,
        bucket,
        keyArn,
        keyAlias: String(alias?.inputs.name ?? ""),
        functions,
    };
}

/** Provisions moto (reset or fresh) from the program; the primary's and the standby's fixtures. */
export async function provisionApp(endpoint: string): Promise<{ primary: RegionFixture; standby: RegionFixture }> {
    const provisioned = await provisionProgram(endpoint, await loadProgram());
    const translate = <T>(value: T) => provisioned.ids.translate(value);
    return { primary: fixtureOf(provisioned.primary, translate), standby: fixtureOf(provisioned.standby, translate) };
}

/** A function's environment on the emulator (every service at `endpoint`), with `overrides` applied (undefined removes). */
export function functionEnv(endpoint: string, fixture: RegionFixture, fn: FunctionKind, overrides: Partial<Record<string, string>> = {}): Record<string, string> {
    const env = runtimeEnvironment(fixture.functions[fn], { moto: endpoint });
    for (const [name, value] of Object.entries(overrides)) {
        if (value === undefined) delete env[name];
        else env[name] = value;
    }
    return env;
}
