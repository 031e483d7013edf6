// Each stack configuration evaluated once per test run, shared by every test file that only reads the
// result: evaluations are serialized and take a few hundred milliseconds each, and many suites judge
// the same configuration (the shipped stacks, each step of the failover runbook, the mutation suite's
// baselines). The program is deterministic, so what it is evaluated with keys the result.
import { EvaluateOptions, evaluateStack, Inventory, ROOT } from "../../tools/engine/evaluate";
import { defaultWorld } from "../../tools/engine/mockWorld";

/** What an evaluation is of: plain data, unlike the options that hook into the evaluation itself. */
export type StackChoice = Pick<EvaluateOptions, "root" | "config" | "world">;

const evaluated = new Map<string, Promise<Inventory>>();

function keyOf(stack: string, { root = ROOT, config = {}, world = {} }: StackChoice): string {
    // A key set to undefined removes it from the stack's configuration, which no string value does.
    const overrides = Object.entries(config).map(([k, v]) => [k, v ?? null] as const).sort(([a], [b]) => (a < b ? -1 : 1));
    return JSON.stringify([root, stack, overrides, { ...defaultWorld(), ...world }]);
}

/** The stack as its Pulumi.<stack>.yaml configures it, with `choice` applied. Callers must not modify the result. */
export function evaluatedStack(stack: string, choice: StackChoice = {}): Promise<Inventory> {
    const key = keyOf(stack, choice);
    let inventory = evaluated.get(key);
    if (!inventory) {
        inventory = evaluateStack(stack, choice);
        evaluated.set(key, inventory);
    }
    return inventory;
}
