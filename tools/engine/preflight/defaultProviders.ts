// `pulumi:disable-default-providers`: the engine refuses a resource, read or invoke of a disabled
// package that names no explicit provider (pkg/resource/deploy/default_providers.go
// shouldDenyRequest; source_eval.go getProviderFromSource; step_generator.go), with the message of
// sdk/go/common/diag/errors.go GetDefaultProviderDenied. The mock runtime would happily run them, so
// the evaluation wraps the mock monitor with this check.

/** The packages whose default provider the stack disables ("*" for all but `pulumi`). */
export function disabledPackages(config: Record<string, string>): string[] {
    const raw = config["pulumi:disable-default-providers"];
    if (raw === undefined || raw === "") {
        return [];
    }
    let list: unknown;
    try {
        list = JSON.parse(raw);
    } catch (e) {
        throw new Error(`Failed to parse ${raw}: ${(e as Error).message}`);
    }
    if (!Array.isArray(list)) {
        throw new Error("Unexpected encoding of pulumi:disable-default-providers");
    }
    return list.map((v, i) => {
        if (typeof v !== "string") {
            throw new Error(`pulumi:disable-default-providers[${i}] must be a string`);
        }
        return v.trim();
    });
}

/** The engine's message for a request that would need a disabled default provider. */
export function defaultProviderDenied(pkg: string, what: string): string {
    return `Default provider for '${pkg}' disabled. '${what}' must use an explicit provider.`;
}

function deniedPackage(token: string, provider: string, disabled: string[]): string | undefined {
    const pkg = token.split(":")[0];
    if (provider !== "" || pkg === "pulumi") {
        return undefined;
    }
    return disabled.includes("*") || disabled.includes(pkg) ? pkg : undefined;
}

type Callback = (err: unknown, resp?: any) => void;

/** An error as the engine's gRPC answer carries it: the SDK reports `details` (runtime/invoke.js). */
function engineError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

/**
 * Makes the (mock) resource monitor refuse what the engine refuses when default providers are
 * disabled: custom resources, reads and invokes of a disabled package without a provider.
 */
export function denyDefaultProviders(monitor: any, disabled: string[]): void {
    if (disabled.length === 0) {
        return;
    }
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: Callback) => {
        const pkg = req.getCustom() ? deniedPackage(req.getType(), req.getProvider(), disabled) : undefined;
        if (pkg === undefined) {
            return register(req, callback);
        }
        // The URN is the one the engine names: ask the monitor for it, then refuse.
        register(req, (err: unknown, resp: any) => callback(err ?? engineError(defaultProviderDenied(pkg, resp.getUrn()))));
    };
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req: any, callback: Callback) => {
        const pkg = deniedPackage(req.getType(), req.getProvider(), disabled);
        // source_eval.go ReadResource formats the message with the type token twice.
        return pkg === undefined ? read(req, callback) : callback(engineError(defaultProviderDenied(req.getType(), req.getType())));
    };
    const invoke = monitor.invoke.bind(monitor);
    monitor.invoke = (req: any, callback: Callback) => {
        const pkg = deniedPackage(req.getTok(), req.getProvider(), disabled);
        // source_eval.go getProviderFromSource formats the message with the package and the function's token.
        return pkg === undefined ? invoke(req, callback) : callback(engineError(defaultProviderDenied(pkg, req.getTok())));
    };
}
