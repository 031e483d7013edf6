// Adopting what already exists, in the manner of pulumi-awsx's components (`args` or `existing`): a
// key, bucket, topic or role a component would create can instead be named (by name, alias or ARN),
// and the component then creates none of it. Giving `existing` together with the arguments of a new
// one is refused, by the type and at run time: one of the two would otherwise be silently ignored.

/** The arguments of a new resource, or `existing`: never both. */
export type CreateOrAdopt<Existing, Create> =
    | (Create & { existing?: undefined })
    | ({ existing: Existing } & { [K in keyof Create]?: undefined });

/**
 * What `args` adopts, or undefined when it asks for a new resource. Throws, naming `what` and the
 * arguments, when creation arguments come with `existing`.
 */
export function adopted<E>(what: string, args: { existing?: E }): E | undefined {
    if (args.existing === undefined) {
        return undefined;
    }
    const alsoGiven = Object.entries(args).filter(([k, v]) => k !== "existing" && v !== undefined).map(([k]) => k);
    if (alsoGiven.length > 0) {
        throw new Error(`${what}: \`existing\` adopts one made elsewhere, and ${alsoGiven.join(", ")} would configure one this component creates; give \`existing\` or ${alsoGiven.length > 1 ? "those" : "that"}, not both`);
    }
    return args.existing;
}
