// moto provisioned from the program: every stack's keys, queues, topics and buckets (standbys first,
// as the engine would deploy them), then notifications, then replication, which refers to the peer's
// bucket and key. Resources of types the local run runs itself or leaves out (./resourceTypes.ts)
// are summarised; a type the table does not know is reported, not ignored.
import type { RecordedResource } from "../engine/evaluate";
import { MotoClients } from "./clients";
import { functionsOf, LocalFunction } from "./functions";
import { IdMap } from "./ids";
import type { Program, ProgramStack } from "./program";
import { EventQueue, provisionNotifications, provisionReplication } from "./provisionEvents";
import { provisionBuckets, ProvisioningNote } from "./provisionS3";
import { provisionServices } from "./provisionServices";
import { TREATMENT } from "./resourceTypes";

export type { ProvisioningNote };

export interface ProvisionedStack extends ProgramStack {
    functions: LocalFunction[];
    eventQueues: EventQueue[];
}

export interface Provisioned {
    /** The mock runtime's identifiers and moto's. */
    ids: IdMap;
    /** In deploy order. */
    stacks: ProvisionedStack[];
    primary: ProvisionedStack;
    standby: ProvisionedStack;
    /** What was provisioned differently from the program, and why. */
    notes: ProvisioningNote[];
    /** Types of registered resources no row of the type table covers. */
    unknownTypes: string[];
}

export async function provisionProgram(endpoint: string, program: Program): Promise<Provisioned> {
    const clients = new MotoClients(endpoint);
    const ids = new IdMap();
    const notes: ProvisioningNote[] = [];
    try {
        for (const stack of program.stacks) {
            await provisionServices(stack, clients, ids);
            notes.push(...(await provisionBuckets(stack, clients, ids)));
        }
        const stacks: ProvisionedStack[] = [];
        for (const stack of program.stacks) {
            stacks.push({ ...stack, functions: functionsOf(stack, ids), eventQueues: await provisionNotifications(stack, clients, ids) });
        }
        for (const stack of program.stacks) await provisionReplication(stack, clients, ids);
        const provisioned = (s: ProgramStack) => stacks.find((p) => p.stack === s.stack)!;
        const registered: RecordedResource[] = program.stacks.flatMap((s) => s.inventory.resources.filter((r) => r.custom));
        return {
            ids,
            stacks,
            primary: provisioned(program.primary),
            standby: provisioned(program.standby),
            notes,
            unknownTypes: [...new Set(registered.map((r) => r.type).filter((t) => !TREATMENT.has(t)))].sort(),
        };
    } finally {
        clients.destroy();
    }
}
