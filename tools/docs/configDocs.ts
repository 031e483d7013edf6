// The configuration's two generated documents, both from infra/config.ts's CONFIG_KEYS: the table of
// docs/configuration.md and the `config:` declarations of Pulumi.yaml (the CLI's view of the keys).
import * as yaml from "js-yaml";
import { CONFIG_KEYS } from "../../infra/config";

export function configTable(): string {
    const rows = Object.entries(CONFIG_KEYS).map(([key, spec]) => {
        const fallback = spec.default !== undefined ? `\`${JSON.stringify(spec.default)}\`` : spec.optional ? "unset" : "required";
        return `| \`tandem:${key}\` | ${spec.type} | ${fallback} | ${spec.description.replace(/\|/g, "\\|")} |`;
    });
    return ["| key | type | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
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

/** Pulumi.yaml with its `config:` block (the file's last block) rendered anew. */
export function withProjectConfig(projectFile: string): string {
    const at = projectFile.indexOf("\nconfig:\n");
    if (at < 0) {
        throw new Error("Pulumi.yaml has no top-level `config:` block to generate");
    }
    return projectFile.slice(0, at + 1) + projectConfigBlock();
}
