// One served pack per mode per test process: starting one (a Node.js process that loads the pack) costs
// seconds, and every suite that drives it through gRPC can share it, since each run opens its own
// session. A suite may ask for its host when its file loads: mocha loads every file before it runs any,
// so the pack starts in its own process while other suites run (in turn with the other processes
// started so: ./inTurn.ts). The root hook (./rootHooks.ts) stops every host when the run ends.
import { defaultHostMode, HostMode, PolicyHost } from "../../tools/engine/policyHost";
import { inTurn } from "./inTurn";

const hosts = new Map<string, Promise<PolicyHost>>();

/**
 * The pack served as `pulumi preview --policy-pack` serves it, started on first use. Do not stop it.
 * `lowPriority` is for a host only a late suite uses: it starts at the lowest CPU priority, taking only
 * CPU the suites and the other processes leave, so it need not wait its turn either.
 */
export function sharedPolicyHost(mode: HostMode = defaultHostMode(), { lowPriority = false } = {}): Promise<PolicyHost> {
    const key = `${mode}${lowPriority ? ", low priority" : ""}`;
    let host = hosts.get(key);
    if (!host) {
        const start = () => PolicyHost.start({ mode, lowPriority });
        host = (lowPriority ? start() : inTurn(start)).then((started) => (started.unref(), started));
        // A host that failed to start fails the suites that await it, not the run.
        host.catch(() => undefined);
        hosts.set(key, host);
    }
    return host;
}

export async function stopSharedPolicyHosts(): Promise<void> {
    const running = [...hosts.values()];
    hosts.clear();
    await Promise.all(running.map((host) => host.then((h) => h.stop(), () => undefined)));
}
