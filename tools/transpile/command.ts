// The command line that runs a TypeScript file the way the npm scripts do (./register.js), for the
// tools and tests that start one in a child process.
import * as path from "path";

export const REGISTER = path.join(__dirname, "register.js");

/** Arguments for `process.execPath`: the transpile hook, the file, its arguments. */
export function typescriptArgs(file: string, args: string[] = []): string[] {
    return ["-r", REGISTER, file, ...args];
}
