// The engine preflight: what the Pulumi CLI checks before it runs the program (project file, stack
// file, the merged configuration, the type check), offline. `npm run plan` runs it first; the mock
// evaluation (../evaluate.ts) runs the program with the configuration it produces, and checks the
// last rule (default providers) while the program registers resources.
import { loadProject, Project } from "./project";
import { Problem } from "./rules";
import { loadStack, mergeConfig } from "./stack";
import { transpileOnlyReason, typeCheckInChild } from "./typecheck";

export interface PreflightResult {
    project?: Project;
    /** The configuration the CLI would hand the program (full keys, string values). */
    config: Record<string, string>;
    secretKeys: string[];
    problems: Problem[];
    warnings: string[];
}

/** A stack the CLI would refuse before running the program; the message lists every problem. */
export class PreflightError extends Error {
    constructor(readonly problems: Problem[]) {
        super(`The Pulumi CLI would stop before running the program:\n${problems.map((p) => `  - [${p.rule}] ${p.file}: ${p.message}`).join("\n")}`);
        this.name = "PreflightError";
    }
}

/** Project and stack files and the merged configuration; no type check (see preflight). */
export function checkConfiguration(root: string, stack: string): PreflightResult {
    const { project, problems } = loadProject(root);
    if (project === undefined) {
        return { config: {}, secretKeys: [], problems, warnings: [] };
    }
    const loaded = loadStack(root, project, stack);
    if (loaded.stack === undefined) {
        return { project, config: {}, secretKeys: [], problems: [...problems, ...loaded.problems], warnings: loaded.warnings };
    }
    const merged = mergeConfig(project, loaded.stack);
    return { project, config: merged.config, secretKeys: merged.secretKeys, problems: [...problems, ...loaded.problems, ...merged.problems], warnings: loaded.warnings };
}

/**
 * Everything the CLI checks before it runs the program: the configuration at once, and the type check
 * (in a child process, or its kept verdict), which `typeChecked` gives when it is done.
 */
export function preflight(root: string, stack: string): PreflightResult & { typeChecked: Promise<PreflightResult> } {
    const result = checkConfiguration(root, stack);
    const project = result.project;
    const typeChecked = project === undefined || result.problems.length > 0
        ? Promise.resolve(result)
        : typeCheckInChild(root).then((problems) => {
            const skipped = transpileOnlyReason(root, project);
            return {
                ...result,
                problems: [...result.problems, ...problems],
                warnings: skipped ? [...result.warnings, `${skipped}: \`pulumi up\` would not type-check the program; the preflight does`] : result.warnings,
            };
        });
    typeChecked.catch(() => undefined);
    return { ...result, typeChecked };
}

/** The project and the configuration the CLI would give the program, or a PreflightError naming what it would refuse. */
export function engineConfig(root: string, stack: string): { project: Project; config: Record<string, string> } {
    const result = checkConfiguration(root, stack);
    if (result.project === undefined || result.problems.length > 0) {
        throw new PreflightError(result.problems);
    }
    return { project: result.project, config: result.config };
}
