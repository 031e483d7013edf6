// Each stack evaluated once per test run with its stack file's configuration, shared by every test
// file that only reads the result (evaluations are serialized and take seconds each).
import { evaluateStack, Inventory, StackName } from "../../tools/engine/evaluate";

const evaluated = new Map<StackName, Promise<Inventory>>();

/** The stack as its Pulumi.<stack>.yaml configures it. Callers must not modify the result. */
export function evaluatedStack(stack: StackName): Promise<Inventory> {
    let inventory = evaluated.get(stack);
    if (!inventory) {
        inventory = evaluateStack(stack);
        evaluated.set(stack, inventory);
    }
    return inventory;
}
