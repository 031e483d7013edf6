// The emulator harness the function tests and the bench import: moto's launcher (./moto.ts) and moto
// provisioned from the program with each function's environment (./fixtures.ts).
export { clientConfig, freePort, MOTO_ACCOUNT_ID, MotoNotInstalledError, sharedMoto, startMoto, stopSharedMoto, TEST_CREDENTIALS, useEmulatorCredentials, useMoto } from "./moto";
export type { MotoServer, StartMotoOptions } from "./moto";
export { functionEnv, provisionApp } from "./fixtures";
export type { RegionFixture } from "./fixtures";
export { withEnv } from "./functions";
export type { FunctionKind } from "./functions";
