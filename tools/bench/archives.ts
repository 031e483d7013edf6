// archive.<fn>: the zipped Lambda archive, built exactly as CallbackFunction builds it, against the same
// callback through a CallbackFunction with defaults (which bundles every dependency).
import { buildArchives, BuiltArchive } from "../bundle/bundle";
import { Figure, figure } from "./figures";

export const FUNCTIONS = ["api", "ingest", "canary"] as const;

export async function archiveFigures(outDir: string, options: { powertools: boolean }): Promise<{ built: Map<string, BuiltArchive>; figures: Figure[] }> {
    const variants = ["empty", "sdk", ...FUNCTIONS, ...FUNCTIONS.map((fn) => `${fn}:plain`), ...(options.powertools ? ["api:powertools"] : [])];
    const built = new Map((await buildArchives(variants, outDir)).map((a) => [a.variant, a]));
    const kib = (variant: string) => built.get(variant)!.zippedBytes / 1024;
    const figures = FUNCTIONS.map((fn) => figure(`archive.${fn}`, kib(fn), "KiB", kib(`${fn}:plain`), "the same callback through a default CallbackFunction"));
    if (options.powertools) {
        figures.push(figure("archive.api.withPowertools", kib("api:powertools"), "KiB", kib("api"), "the api as built"));
    }
    return { built, figures };
}
