// Regenerates policy/taggableTypes.json: every resource type of the installed @pulumi/aws whose
// arguments take `tags`. The policy pack runs without @pulumi/aws, so it reads this list.
// Run: npx ts-node tools/docs/taggableTypes.ts (a test fails when the list is out of date).
import * as fs from "fs";
import * as path from "path";

export const TAGGABLE_TYPES_FILE = path.join(__dirname, "..", "..", "policy", "taggableTypes.json");

export function taggableTypes(): string[] {
    const root = path.dirname(require.resolve("@pulumi/aws/package.json"));
    const types: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory() && entry.name !== "node_modules") {
                walk(full);
            } else if (entry.name.endsWith(".js")) {
                const token = /static __pulumiType = '([^']+)'/.exec(fs.readFileSync(full, "utf8"))?.[1];
                const dts = full.replace(/\.js$/, ".d.ts");
                if (token && fs.existsSync(dts)) {
                    const args = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(fs.readFileSync(dts, "utf8"))?.[1] ?? "";
                    if (/^\s+tags\?: /m.test(args)) {
                        types.push(token);
                    }
                }
            }
        }
    };
    walk(root);
    return types.sort();
}

if (require.main === module) {
    fs.writeFileSync(TAGGABLE_TYPES_FILE, JSON.stringify(taggableTypes(), null, 1) + "\n");
    console.log(`wrote ${TAGGABLE_TYPES_FILE}`);
}
