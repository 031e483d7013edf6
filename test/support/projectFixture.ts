// Small Pulumi projects for the engine tests, written under .tandem/fixtures/ (ignored by git) so that
// their programs resolve @pulumi/* from this repository's node_modules. Each starts from the real
// project and stack files, as text, and changes only what the test is about.
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../tools/engine/evaluate";

const FIXTURES = path.join(ROOT, ".tandem", "fixtures");
let counter = 0;

/** The real file's text (Pulumi.yaml, Pulumi.prod.yaml, ...). */
export function realFile(name: string): string {
    return fs.readFileSync(path.join(ROOT, name), "utf8");
}

/** Writes `files` (name → text) into a fresh project folder and returns its path. */
export function projectFixture(files: Record<string, string>): string {
    const dir = path.join(FIXTURES, `${process.pid}-${++counter}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

/** Removes every fixture this process wrote. */
export function removeFixtures(): void {
    for (const entry of fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES) : []) {
        if (entry.startsWith(`${process.pid}-`)) {
            fs.rmSync(path.join(FIXTURES, entry), { recursive: true, force: true });
        }
    }
}
