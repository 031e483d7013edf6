// The order stacks are deployed in, read from the stack files: a primary looks up its standby's
// bucket and key when it starts replicating, so every standby goes first (infra/peer.ts stops a
// primary whose peer is missing). The deploy command and the deploy workflow follow this order.
import { ROOT } from "../engine/evaluate";
import { checkConfiguration } from "../engine/preflight";
import { stackNames } from "../engine/preflight/stack";

export interface DeployStep {
    stack: string;
    role: string;
    region: string;
}

/** Every stack with a Pulumi.<stack>.yaml, standbys first; within a role, by name. */
export function deployOrder(root = ROOT): DeployStep[] {
    const steps = stackNames(root).map((stack) => {
        const { config } = checkConfiguration(root, stack);
        return { stack, role: config["tandem:role"] ?? "", region: config["aws:region"] ?? "" };
    });
    const rank = (role: string) => (role === "standby" ? 0 : role === "primary" ? 1 : 2);
    return steps.sort((a, b) => rank(a.role) - rank(b.role) || a.stack.localeCompare(b.stack));
}
