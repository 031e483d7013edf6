// Who owns each alarm and how it is known to the engine: each component raises the alarms on what it
// runs, under logical names that do not depend on the app's name; the URNs alarms and subscriptions
// had before are carried over as aliases, so the first update after this change keeps them.
import * as assert from "assert";
import { evaluatedStack } from "../support/evaluatedStacks";
import { evaluateStack, Inventory, RecordedResource } from "../../tools/engine/evaluate";
import { ofType, one, TYPES } from "../support/inventory";

/** Alarms as the program registered them before components raised their own (commit 7465a42): Monitoring's children, named by their physical names. */
const FORMER_ALARMS = {
    dr: [
        ...["api", "ingest", "canary"].flatMap((fn) => ["errors", "throttles", "duration", "failed-events"].map((what) => `tandem-${fn}-${what}`)),
        "tandem-api-server-errors", "tandem-replication-lag",
    ],
    get prod() {
        return [...this.dr, "tandem-replication-failed", "tandem-replication-latency"];
    },
};
const formerUrn = (stack: string, name: string) => `urn:pulumi:${stack}::tandem::tandem:operations:Monitoring$aws:cloudwatch/metricAlarm:MetricAlarm::${name}`;

const parentOf = (inv: Inventory, r: RecordedResource) => inv.resources.find((p) => p.urn === r.parent)!;

describe("alarms and their identity", () => {
    for (const stack of ["prod", "dr"] as const) {
        describe(`stack ${stack}`, () => {
            let inv: Inventory;
            before(async () => {
                inv = await evaluatedStack(stack);
            });

            it("has each component own the alarms on what it runs, and Monitoring only the topic, its subscriptions and the dashboard", () => {
                const owners = Object.fromEntries(ofType(inv, TYPES.alarm).map((a) => [a.name, `${parentOf(inv, a).type.split(":").pop()} ${parentOf(inv, a).name}`]));
                for (const fn of ["api", "ingest", "canary"]) {
                    for (const what of ["errors", "throttles", "duration", "failed-events"]) {
                        assert.strictEqual(owners[`${fn}-${what}`], `HardenedFunction ${fn}`);
                    }
                }
                assert.strictEqual(owners["api-server-errors"], "DocumentApi api");
                assert.strictEqual(owners["canary-replication-lag"], "ReplicationCanary canary");
                if (stack === "prod") {
                    assert.deepStrictEqual([owners["replication-failed"], owners["replication-latency"]], ["Replication replication", "Replication replication"]);
                }
                const monitoring = one(inv, "tandem:operations:Monitoring");
                const owned = new Set(inv.resources.filter((r) => r.parent === monitoring.urn).map((r) => r.type));
                assert.ok(owned.has(TYPES.topic) && owned.has(TYPES.dashboard));
                assert.deepStrictEqual([...owned].filter((t) => ![TYPES.topic, TYPES.subscription, TYPES.dashboard].includes(t as never)), []);
            });

            it("carries every alarm's former URN as an alias of the same alarm, under the same physical name", () => {
                const alarms = ofType(inv, TYPES.alarm);
                for (const name of FORMER_ALARMS[stack]) {
                    const claimants = alarms.filter((a) => a.options.aliases.includes(formerUrn(stack, name)));
                    assert.strictEqual(claimants.length, 1, `${name} is claimed by ${claimants.map((a) => a.name).join(", ") || "no alarm"}`);
                    assert.strictEqual(claimants[0].inputs.name, name);
                }
                const registered = new Set(inv.resources.map((r) => r.urn));
                assert.ok(alarms.every((a) => a.options.aliases.every((alias) => !registered.has(alias))), "an alias names a resource that still exists");
            });
        });
    }

    it("names alarms by component and what they watch, whatever the app is called", async () => {
        const renamed = await evaluateStack("prod", { config: { "tandem:appName": "docs" } });
        const logical = (i: Inventory) => ofType(i, TYPES.alarm).map((a) => a.urn.split("::").slice(2).join("::")).sort();
        assert.deepStrictEqual(logical(renamed), logical(await evaluatedStack("prod")));
        assert.ok(ofType(renamed, TYPES.alarm).every((a) => a.inputs.name.startsWith("docs-")));
    });

    describe("email subscriptions", () => {
        const subscriptions = async (emails: string[]) => {
            const inv = await evaluateStack("dr", { config: { "tandem:alarmEmails": JSON.stringify(emails) } });
            return Object.fromEntries(ofType(inv, TYPES.subscription).map((s) => [s.inputs.endpoint, s]));
        };
        let three: Record<string, RecordedResource>;
        before(async () => {
            three = await subscriptions(["first@example.com", "second@example.com", "third@example.com"]);
        });

        it("are keyed by address: removing one leaves the others' URNs as they were", async () => {
            const after = await subscriptions(["second@example.com", "third@example.com"]);
            assert.deepStrictEqual(Object.keys(after).sort(), ["second@example.com", "third@example.com"]);
            for (const email of Object.keys(after)) {
                assert.strictEqual(after[email].urn, three[email].urn, email);
            }
        });

        it("carry the position they were once named by, for the first update after the change", () => {
            const former = (i: number) => `urn:pulumi:dr::tandem::tandem:operations:Monitoring$aws:sns/topicSubscription:TopicSubscription::monitoring-email-${i}`;
            assert.deepStrictEqual(["first", "second", "third"].map((who) => three[`${who}@example.com`].options.aliases), [[former(0)], [former(1)], [former(2)]]);
        });
    });
});
