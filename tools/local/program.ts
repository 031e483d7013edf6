// The program as the local run sees it: every stack evaluated on the mock runtime (tools/engine) with
// moto's account id and every stack's region deployed, in deploy order (standbys first, as a primary's
// replication needs its peer's bucket), each with the resources it registered. The local run
// provisions and runs exactly this; nothing about the app is typed in tools/local.
import { deployOrder } from "../deploy/order";
import { evaluateStack, Inventory, RecordedResource } from "../engine/evaluate";
import { MOTO_ACCOUNT_ID } from "./moto";

export interface ProgramStack {
    stack: string;
    role: string;
    region: string;
    inventory: Inventory;
}

export interface Program {
    /** In deploy order. */
    stacks: ProgramStack[];
    primary: ProgramStack;
    standby: ProgramStack;
}

async function evaluateProgram(): Promise<Program> {
    const order = deployOrder();
    const world = { accountId: MOTO_ACCOUNT_ID, deployedRegions: order.map((s) => s.region) };
    const stacks: ProgramStack[] = [];
    for (const step of order) {
        stacks.push({ ...step, inventory: await evaluateStack(step.stack, { world }) });
    }
    const withRole = (role: string) => {
        const found = stacks.filter((s) => s.role === role);
        if (found.length !== 1) {
            throw new Error(`the local run serves one primary and one standby; the stacks are ${stacks.map((s) => `${s.stack} (${s.role || "no role"})`).join(", ")}`);
        }
        return found[0];
    };
    return { stacks, primary: withRole("primary"), standby: withRole("standby") };
}

let evaluated: Promise<Program> | undefined;

/** The program, evaluated once per process (an evaluation takes seconds). Callers must not modify it. */
export function loadProgram(): Promise<Program> {
    evaluated ??= evaluateProgram().catch((error) => {
        evaluated = undefined;
        throw error;
    });
    return evaluated;
}

/** The custom resources of `type` a stack registered. */
export function resourcesOf(stack: ProgramStack, type: string): RecordedResource[] {
    return stack.inventory.resources.filter((r) => r.custom && r.type === type);
}

/** The physical name of a bucket resource (its `bucket` output, which is also its id). */
export function bucketName(bucket: RecordedResource): string {
    return String(bucket.state.bucket ?? bucket.id);
}

/** The region a resource of the stack lives in (the engine recorded it from the resource or its provider). */
export function regionOf(stack: ProgramStack, resource: RecordedResource): string {
    return resource.region ?? stack.region;
}
