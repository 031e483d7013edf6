// Outputs made when first read (tools/engine/lazyOutputs.ts) against the SDK's own eager transfer
// (@pulumi/pulumi runtime/rpc.js transferProperties, called by runtime/resource.js prepareResource for
// every custom resource): the same registrations and stack outputs on the real stacks, and the same
// values, secrecy, dependencies and errors for a read before or after the registration answers.
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EvaluationError, evaluateStack, Inventory } from "../../tools/engine/evaluate";
import { Build, evaluateComponents } from "../support/components";
import { assertSameRegistrations, one, TYPES } from "../support/inventory";

/** The same registrations and the same stack outputs. */
function assertSameObserved(actual: Inventory, expected: Inventory): void {
    assertSameRegistrations(actual, expected);
    assert.deepEqual(actual.outputs, expected.outputs);
}

const QUEUE_POLICY = (aws.sqs.QueuePolicy as unknown as { __pulumiType: string }).__pulumiType;
const afterRegistration = () => new Promise((resolve) => setTimeout(resolve, 50));
const bothWays = async (build: Build) => [await evaluateComponents(build, { lazyOutputs: false }), await evaluateComponents(build, { lazyOutputs: true })];

describe("resource outputs made when first read", function () {
    this.timeout(120_000);

    for (const stack of ["prod", "dr"] as const) {
        for (const preview of [false, true]) {
            it(`registers the same resources and exports the same outputs as the SDK's eager transfer: ${stack}${preview ? ", first preview" : ""}`, async () => {
                // Code shared from an earlier evaluation would hide a difference in the bundles: once (both
                // stacks bundle the same callbacks), each serializes them afresh.
                const shareCallbackCode = stack !== "prod" || preview;
                const eager = await evaluateStack(stack, { lazyOutputs: false, shareCallbackCode, world: { preview } });
                const lazy = await evaluateStack(stack, { lazyOutputs: true, shareCallbackCode, world: { preview } });
                assert.ok(eager.resources.length > 50);
                assertSameObserved(lazy, eager);
            });
        }
    }

    it("gives the registered values to a read before and after the registration answers, secret where registered so", async () => {
        const [eager, lazy] = await bothWays(({ providers: [home] }) => {
            const queue = new aws.sqs.Queue("jobs", { name: pulumi.secret("jobs") }, { provider: home });
            const early = queue.arn;
            const late = afterRegistration().then(() => queue.name);
            return {
                early,
                late: pulumi.output(late),
                lateIsSecret: late.then((url) => pulumi.isSecret(url)),
                earlyIsSecret: pulumi.isSecret(early),
            };
        });
        const queue = one(lazy, TYPES.queue);
        assert.deepEqual(lazy.outputs, eager.outputs);
        assert.equal(lazy.outputs.early, queue.state.arn);
        assert.equal(lazy.outputs.late, "jobs");
        assert.deepEqual([lazy.outputs.earlyIsSecret, lazy.outputs.lateIsSecret], [false, true]);
    });

    it("carries the resource as a dependency of whatever reads its output, and keeps the properties own, enumerable and assignable", async () => {
        let shape: unknown;
        const [eager, lazy] = await bothWays(({ providers: [home] }) => {
            const queue = new aws.sqs.Queue("jobs", {}, { provider: home });
            const own = ["arn", "url", "name"].map((k) => [k, Object.prototype.propertyIsEnumerable.call(queue, k)]);
            const later = new aws.sqs.Queue("later", {}, { provider: home });
            (later as { name: unknown }).name = "replaced";
            const described = Object.getOwnPropertyDescriptor(later, "arn")!;
            const all = Object.getOwnPropertyDescriptors(later).url;
            shape = {
                own, keys: Object.keys(queue).includes("arn"), replaced: later.name,
                descriptors: [described, all, Reflect.getOwnPropertyDescriptor(later, "kmsMasterKeyId")!].map((d) => [pulumi.Output.isInstance(d.value), "get" in d, d.writable]),
            };
            new aws.sqs.QueuePolicy("jobs", { queueUrl: queue.url, policy: queue.arn.apply((arn) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: arn }] })) }, { provider: home });
        });
        for (const inv of [eager, lazy]) {
            const policy = one(inv, QUEUE_POLICY);
            const queueUrn = one(inv, TYPES.queue, "jobs").urn;
            assert.deepEqual(policy.propertyDependencies.queueUrl, [queueUrn]);
            assert.ok(policy.dependencies.includes(queueUrn));
        }
        assertSameObserved(lazy, eager);
        assert.deepEqual(shape, {
            own: [["arn", true], ["url", true], ["name", true]], keys: true, replaced: "replaced",
            // Data properties holding Outputs, as the eager transfer leaves them.
            descriptors: [[true, false, true], [true, false, true], [true, false, true]],
        });
    });

    it("bundles a callback that captures a whole resource the same way (the closure serializer reads its descriptors)", async () => {
        // A computed key makes the serializer capture every property of the queue, not only those named.
        const [eager, lazy] = await Promise.all([false, true].map(async (lazyOutputs) => evaluateComponents(({ providers: [home] }) => {
            const queue = new aws.sqs.Queue("jobs", {}, { provider: home });
            const role = new aws.iam.Role("handler", { assumeRolePolicy: "{}" }, { provider: home });
            new aws.lambda.CallbackFunction("handler", { role, callback: async (event: { key: string }) => ({ value: (queue as unknown as Record<string, pulumi.Output<string>>)[event.key].get() }) }, { provider: home });
        }, { lazyOutputs, shareCallbackCode: false })));
        const code = (inv: Inventory) => JSON.stringify(one(inv, TYPES.function).serializedInputs.code);
        assert.ok(code(eager).includes("__index.js"));
        assert.equal(code(lazy), code(eager));
    });

    it("rejects a read before and after a failed registration with the registration's error, and the evaluation fails with it", async () => {
        const seen: string[][] = [];
        for (const lazyOutputs of [false, true]) {
            const reads: string[] = [];
            seen.push(reads);
            const outcome = (p: Promise<unknown>) => p.then((v) => `resolved ${v}`, (e: Error) => `rejected: ${e.message}`);
            // No provider: the stack disables AWS's default provider, so the engine refuses the registration.
            const failed = await evaluateComponents(() => {
                const orphan = new aws.sqs.Queue("orphan", {});
                const early = outcome((orphan.arn as any).promise());
                const late = afterRegistration().then(() => outcome((orphan.url as any).promise()));
                void Promise.all([early, late]).then((r) => reads.push(...r));
                return { id: orphan.id };
            }, { lazyOutputs }).then(() => "evaluated", (e: unknown) => e);
            assert.ok(failed instanceof EvaluationError, String(failed));
            await afterRegistration();
            assert.equal(reads.length, 2);
            assert.match(reads[0], /^rejected: failed to register new resource orphan .*Default provider for 'aws' disabled/);
            assert.equal(reads[1], reads[0]);
        }
        assert.deepEqual(seen[1], seen[0]);
    });
});
