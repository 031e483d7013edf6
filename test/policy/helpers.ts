// Helpers shared by the policy tests: editing an evaluated stack the way a changed program would
// register it (inputs and outputs together), and reading a report.
import { Inventory, RecordedResource } from "../../tools/engine/evaluate";
import { PolicyReport, Violation } from "../../tools/engine/policyHost";

type Props = Record<string, any>;

const js = (props: Props | undefined): Props => structuredClone(props ?? {});

/** A copy of the inventory where the selected resources' inputs (and outputs) went through `change`. */
export function editResources(inventory: Inventory, select: (r: RecordedResource) => boolean, change: (props: Props) => Props): Inventory {
    let edited = 0;
    const resources = inventory.resources.map((r) => {
        if (!select(r)) {
            return r;
        }
        edited++;
        return { ...r, serializedInputs: change(js(r.serializedInputs)), serializedState: change(js(r.serializedState)) };
    });
    if (edited === 0) {
        throw new Error("editResources: no resource selected");
    }
    return { ...inventory, resources };
}

export const byName = (type: string, name: string) => (r: RecordedResource) => r.type === type && r.name === name;

export function violationsOf(report: PolicyReport, policy: string, level?: Violation["level"]): Violation[] {
    return report.violations.filter((v) => v.policy === policy && (level === undefined || v.level === level));
}

export function mandatory(report: PolicyReport): Violation[] {
    return report.violations.filter((v) => v.level === "mandatory");
}

/** A readable list for assertion messages. */
export function listed(violations: Violation[]): string {
    return violations.map((v) => `${v.level} ${v.policy} ${v.urn.split("::").pop()}: ${v.message}`).join("\n") || "(none)";
}

/** The inventory without the resources `remove` selects (as if the program no longer declared them). */
export function withoutResources(inventory: Inventory, remove: (r: RecordedResource) => boolean): Inventory {
    if (!inventory.resources.some(remove)) {
        throw new Error("withoutResources: no resource matches");
    }
    return { ...inventory, resources: inventory.resources.filter((r) => !remove(r)) };
}
