// Queries over an evaluated stack, for tests that assert what the program deploys.
import * as assert from "assert";
import type { Inventory, RecordedResource } from "../../tools/engine/evaluate";

export { TYPES } from "../../tools/engine/resourceTypes";

/**
 * Each resource as the engine receives it (inputs, property dependencies, dependencies, provider,
 * parent, options) with what the mocks answered, by URN: the order of registrations varies with timing.
 */
export function registrations(inv: Inventory): Map<string, string> {
    return new Map(inv.resources.map((r) => [r.urn, JSON.stringify([
        r.serializedInputs, r.serializedState, r.propertyDependencies, [...r.dependencies].sort(), r.provider, r.parent, r.options,
    ])]));
}

/** The same registrations; on a difference, names the resources that differ rather than printing both stacks. */
export function assertSameRegistrations(actual: Inventory, expected: Inventory, message?: string): void {
    const [a, e] = [registrations(actual), registrations(expected)];
    assert.deepStrictEqual([...new Set([...a.keys(), ...e.keys()])].filter((urn) => a.get(urn) !== e.get(urn)), [], message);
}

export function ofType(inv: Inventory, type: string): RecordedResource[] {
    return inv.resources.filter((r) => r.type === type);
}

/** The one resource of `type` (optionally with logical `name`); fails if there are none or several. */
export function one(inv: Inventory, type: string, name?: string): RecordedResource {
    const found = ofType(inv, type).filter((r) => name === undefined || r.name === name);
    assert.strictEqual(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
    return found[0];
}

export interface PolicyStatement {
    Sid?: string;
    Effect: string;
    Principal?: unknown;
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

export function statements(policyJson: string): PolicyStatement[] {
    const doc = JSON.parse(policyJson) as { Statement: PolicyStatement[] };
    return doc.Statement;
}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The name of the provider a resource was registered with (`home`, `peer`). */
export function providerName(r: RecordedResource): string | undefined {
    return r.provider?.split("::")[3];
}

/** Resources whose URN puts them under the component with logical `name` (any depth). */
export function inComponent(inv: Inventory, componentUrn: string): RecordedResource[] {
    const children = (urn: string): RecordedResource[] =>
        inv.resources.filter((r) => r.parent === urn).flatMap((r) => [r, ...children(r.urn)]);
    return children(componentUrn);
}
