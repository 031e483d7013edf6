// policy/taggableTypes.json (written by npm run docs): every resource type of the installed
// @pulumi/aws whose arguments take `tags`. The policy pack runs without @pulumi/aws, so it reads this list.
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

export function taggableTypesJson(): string {
    return JSON.stringify(taggableTypes(), null, 1) + "\n";
}
