// The two documents of the configuration, generated from infra/config.ts so they cannot drift from
// it: the `config:` block of Pulumi.yaml and the table of README.md (tests compare them).
// `npx ts-node tools/docs/configDocs.ts --write` rewrites both.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { CONFIG_KEYS } from "../../infra/config";

const ROOT = path.join(__dirname, "..", "..");
export const README = path.join(ROOT, "README.md");
export const PROJECT_FILE = path.join(ROOT, "Pulumi.yaml");
const START = "<!-- config:start -->";
const END = "<!-- config:end -->";

export function configTable(): string {
    const rows = Object.entries(CONFIG_KEYS).map(([key, spec]) => {
        const fallback = spec.default !== undefined ? `\`${JSON.stringify(spec.default)}\`` : spec.optional ? "unset" : "required";
        return `| \`tandem:${key}\` | ${spec.type} | ${fallback} | ${spec.description.replace(/\|/g, "\\|")} |`;
    });
    return ["| key | type | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

/** The table README.md holds now. */
export function readmeConfigTable(): string {
    const text = fs.readFileSync(README, "utf8");
    return text.slice(text.indexOf(START) + START.length, text.indexOf(END)).trim();
}

/** Pulumi.yaml's `config:` block: the project's keys with type, description and default. */
export function projectConfigBlock(): string {
    const config: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
        config[key] = {
            type: spec.type,
            description: spec.description,
            ...(spec.type === "array" ? { items: { type: "string" } } : {}),
            // The CLI requires every declared key that has no default on every stack: optional keys default to "".
            ...(spec.default !== undefined ? { default: spec.default } : spec.optional ? { default: "" } : {}),
        };
    }
    return yaml.dump({ config }, { lineWidth: 200 });
}

function write(): void {
    const readme = fs.readFileSync(README, "utf8");
    fs.writeFileSync(README, `${readme.slice(0, readme.indexOf(START) + START.length)}\n${configTable()}\n${readme.slice(readme.indexOf(END))}`);
    const project = fs.readFileSync(PROJECT_FILE, "utf8");
    fs.writeFileSync(PROJECT_FILE, project.slice(0, project.indexOf("\nconfig:\n") + 1) + projectConfigBlock());
}

if (require.main === module) {
    if (process.argv.includes("--write")) {
        write();
    } else {
        console.log(configTable());
    }
}
