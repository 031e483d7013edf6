// What each stack deploys, checked on Pulumi's mock runtime: regions and providers, encryption,
// bucket protections, replication, function hardening, alarms and tags.
import * as assert from "assert";
import TAGGABLE_TYPES from "../../policy/taggableTypes.json";
import { loadConfig } from "../../functions/config";
import { CONFIG_KEYS } from "../../infra/config";
import { ENV, METRICS, SERVICES } from "../../functions/contract";
import { evaluateStack, Inventory } from "../../tools/engine/evaluate";
import { evaluatedStack } from "../support/evaluatedStacks";
import { asList, inComponent, ofType, one, PolicyStatement, providerName, statements, TYPES } from "../support/inventory";

const ACCOUNT = "123456789012";
const EXPECTED = {
    prod: { region: "us-east-1", peer: "us-west-2", role: "primary" },
    dr: { region: "us-west-2", peer: "us-east-1", role: "standby" },
} as const;

const stacks: Partial<Record<keyof typeof EXPECTED, Inventory>> = {};
const get = (stack: keyof typeof EXPECTED) => stacks[stack]!;

describe("the program on the mock runtime", () => {
    before(async () => {
        stacks.prod = await evaluatedStack("prod");
        stacks.dr = await evaluatedStack("dr");
    });

    const dataBucket = (inv: Inventory) => one(inv, TYPES.bucket, "documents-data");
    const keyArn = (inv: Inventory) => one(inv, TYPES.key).state.arn as string;
    const byBucket = (inv: Inventory, type: string, bucketName: string) => {
        const found = ofType(inv, type).filter((r) => r.inputs.bucket === bucketName);
        assert.strictEqual(found.length, 1, `one ${type} for ${bucketName}`);
        return found[0];
    };
    const functionNamed = (inv: Inventory, fn: string) => one(inv, TYPES.function, fn);
    const allStatements = (inv: Inventory, rolePolicyName: string): PolicyStatement[] => statements(one(inv, TYPES.rolePolicy, rolePolicyName).inputs.policy);

    for (const stack of ["prod", "dr"] as const) {
        const expected = EXPECTED[stack];

        describe(`stack ${stack} (${expected.role} in ${expected.region})`, () => {
            it("makes a home provider in its region and a peer provider in the peer region, with default tags", () => {
                const providers = ofType(get(stack), TYPES.provider);
                assert.deepStrictEqual(providers.map((p) => [p.name, p.inputs.region]).sort(), [["home", expected.region], ["peer", expected.peer]]);
                for (const p of providers) {
                    const tags = JSON.parse(p.inputs.defaultTags).tags;
                    assert.deepStrictEqual(Object.keys(tags).sort(), ["app", "cost-center", "owner", "role", "stack"]);
                    assert.strictEqual(tags.role, expected.role);
                    assert.strictEqual(tags.stack, stack);
                }
            });

            it("puts every resource on the explicit home provider, in its region", () => {
                for (const r of get(stack).resources.filter((r) => r.custom && r.type !== TYPES.provider)) {
                    assert.strictEqual(providerName(r), "home", `${r.type} ${r.name} is not on the home provider`);
                    if (!r.type.startsWith("aws:iam/")) {
                        assert.strictEqual(r.region, expected.region, `${r.type} ${r.name}`);
                    }
                }
            });

            it("tags every taggable resource with app, stack, role, owner and cost-center", () => {
                const taggable = new Set<string>(TAGGABLE_TYPES);
                const resources = get(stack).resources.filter((r) => taggable.has(r.type));
                assert.ok(resources.length > 20);
                for (const r of resources) {
                    for (const tag of ["app", "stack", "role", "owner", "cost-center"]) {
                        assert.ok(r.state.tagsAll?.[tag], `${r.type} ${r.name} lacks the ${tag} tag`);
                    }
                }
            });

            it("has a customer key with rotation, a deletion window, an alias, and a policy scoped to the account and its services", () => {
                const key = one(get(stack), TYPES.key);
                assert.strictEqual(key.inputs.enableKeyRotation, true);
                assert.strictEqual(key.inputs.deletionWindowInDays, 30);
                assert.notStrictEqual(key.inputs.bypassPolicyLockoutSafetyCheck, true);
                assert.strictEqual(one(get(stack), TYPES.alias).inputs.name, "alias/tandem");
                for (const s of statements(key.inputs.policy)) {
                    assert.notStrictEqual(s.Principal, "*", s.Sid);
                    const principal = s.Principal as { AWS?: string; Service?: string };
                    if (principal.AWS) {
                        assert.strictEqual(principal.AWS, `arn:aws:iam::${ACCOUNT}:root`);
                    } else {
                        assert.ok(s.Condition, `${s.Sid}: a service principal needs a condition`);
                    }
                }
                const services = statements(key.inputs.policy).map((s) => (s.Principal as { Service?: string }).Service).filter(Boolean);
                assert.deepStrictEqual(services, [`logs.${expected.region}.amazonaws.com`, "cloudwatch.amazonaws.com", "sns.amazonaws.com"]);
            });

            it("encrypts the data bucket with the region key and S3 Bucket Keys, and keeps versions", () => {
                const name = dataBucket(get(stack)).inputs.bucket;
                assert.strictEqual(name, `tandem-data-${ACCOUNT}-${expected.region}`);
                const [rule] = byBucket(get(stack), TYPES.encryption, name).inputs.rules;
                assert.strictEqual(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
                assert.strictEqual(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId, keyArn(get(stack)));
                assert.strictEqual(rule.bucketKeyEnabled, true);
                assert.strictEqual(byBucket(get(stack), TYPES.versioning, name).inputs.versioningConfiguration.status, "Enabled");
            });

            it("blocks public access four ways, disables ACLs and refuses plain HTTP on both buckets", () => {
                for (const bucket of ofType(get(stack), TYPES.bucket)) {
                    const name = bucket.inputs.bucket;
                    const pab = byBucket(get(stack), TYPES.publicAccessBlock, name).inputs;
                    assert.deepStrictEqual([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets], [true, true, true, true], name);
                    assert.strictEqual(byBucket(get(stack), TYPES.ownership, name).inputs.rule.objectOwnership, "BucketOwnerEnforced");
                    const deny = statements(byBucket(get(stack), TYPES.bucketPolicy, name).inputs.policy).find((s) => s.Effect === "Deny");
                    assert.ok(deny, `${name} has no deny statement`);
                    assert.deepStrictEqual(deny.Condition, { Bool: { "aws:SecureTransport": false } });
                    assert.deepStrictEqual(asList(deny.Resource), [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`]);
                    assert.strictEqual(deny.Principal, "*");
                }
            });

            it("never uses the deprecated inline bucket arguments", () => {
                for (const bucket of ofType(get(stack), TYPES.bucket)) {
                    for (const inline of ["versioning", "serverSideEncryptionConfiguration", "replicationConfiguration", "lifecycleRules", "policy", "acl", "logging", "grants"]) {
                        assert.strictEqual(bucket.inputs[inline], undefined, `${bucket.name} sets ${inline}`);
                    }
                }
            });

            it("expires what costs money for nothing: incomplete uploads, old versions, probes; moves nothing by default", () => {
                const rules = byBucket(get(stack), TYPES.lifecycle, dataBucket(get(stack)).inputs.bucket).inputs.rules as any[];
                const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
                for (const r of rules) {
                    assert.ok(r.filter, `rule ${r.id} needs a filter`);
                    assert.strictEqual(r.status, "Enabled");
                }
                assert.strictEqual(byId["abort-incomplete-multipart-uploads"].abortIncompleteMultipartUpload.daysAfterInitiation, 7);
                assert.strictEqual(byId["expire-noncurrent-versions"].noncurrentVersionExpiration.noncurrentDays, 30);
                // documentStorage defaults to standard, the cheapest at the default usage (test/cost/cli.test.ts).
                assert.ok(rules.every((r) => r.transitions === undefined), "no transition by default");
                assert.strictEqual(byId["expire-canary-probes"].filter.prefix, "canary/probes/");
            });

            it("logs data bucket access to the log bucket, which is SSE-S3 by necessity and says so", () => {
                const logBucket = one(get(stack), TYPES.bucket, "documents-access-logs");
                const logging = byBucket(get(stack), TYPES.logging, dataBucket(get(stack)).inputs.bucket);
                assert.strictEqual(logging.inputs.targetBucket, logBucket.inputs.bucket);
                const [rule] = byBucket(get(stack), TYPES.encryption, logBucket.inputs.bucket).inputs.rules;
                assert.strictEqual(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
                assert.match(logBucket.inputs.tags["tandem:policy-exempt:s3-sse-kms-customer-key"], /SSE-S3/);
                const grant = statements(byBucket(get(stack), TYPES.bucketPolicy, logBucket.inputs.bucket).inputs.policy).find((s) => s.Effect === "Allow");
                assert.deepStrictEqual(grant?.Principal, { Service: "logging.s3.amazonaws.com" });
                assert.deepStrictEqual(grant?.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
            });

            for (const fn of ["api", "ingest", "canary"] as const) {
                describe(`function ${fn}`, () => {
                    it("runs nodejs22.x on arm64 with X-Ray, explicit limits and an environment encrypted with the region key", () => {
                        const f = functionNamed(get(stack), fn).inputs;
                        assert.strictEqual(f.name, `tandem-${fn}`);
                        assert.strictEqual(f.runtime, "nodejs22.x");
                        assert.deepStrictEqual(f.architectures, ["arm64"]);
                        assert.deepStrictEqual(f.tracingConfig, { mode: "Active" });
                        assert.ok(f.timeout > 0 && f.memorySize >= 128 && f.reservedConcurrentExecutions >= 1);
                        assert.strictEqual(f.kmsKeyArn, keyArn(get(stack)));
                        assert.strictEqual(f.handler, "__index.handler");
                        const env = f.environment.variables;
                        assert.strictEqual(env[ENV.bucket], dataBucket(get(stack)).inputs.bucket);
                        assert.strictEqual(env[ENV.role], expected.role);
                        assert.strictEqual(env[ENV.peerRegion], expected.peer);
                        assert.strictEqual(env[ENV.service], SERVICES[fn]);
                        assert.strictEqual(env[ENV.metricsNamespace], METRICS.namespace);
                        // The functions' own validator takes the environment the program sets (Lambda adds AWS_REGION).
                        const config = loadConfig({ AWS_REGION: expected.region, ...env });
                        const defaults = (["ingestPartBytes", "ingestConcurrency", "ingestParallel"] as const).map((key) => CONFIG_KEYS[key].default);
                        assert.deepStrictEqual([config.ingestPartBytes, config.ingestConcurrency, config.ingestParallel], defaults);
                    });

                    it("logs to its own log group with retention and KMS", () => {
                        const f = functionNamed(get(stack), fn);
                        const group = one(get(stack), TYPES.logGroup, fn);
                        assert.strictEqual(group.inputs.name, `/aws/lambda/tandem-${fn}`);
                        assert.strictEqual(group.inputs.retentionInDays, 30);
                        assert.strictEqual(group.inputs.kmsKeyId, keyArn(get(stack)));
                        assert.strictEqual(f.inputs.loggingConfig.logGroup, group.inputs.name);
                        assert.deepStrictEqual(f.propertyDependencies.loggingConfig, [group.urn]);
                    });

                    it("sends failed asynchronous events to its KMS-encrypted queue", () => {
                        const queue = one(get(stack), TYPES.queue, `${fn}-failures`);
                        assert.strictEqual(queue.inputs.kmsMasterKeyId, keyArn(get(stack)));
                        const config = one(get(stack), TYPES.invokeConfig, fn).inputs;
                        assert.strictEqual(config.functionName, `tandem-${fn}`);
                        assert.strictEqual(config.destinationConfig.onFailure.destination, queue.state.arn);
                    });

                    it("has its own role: trusted by Lambda for this account only, no wildcard action, no managed policy", () => {
                        const role = one(get(stack), TYPES.role, fn);
                        assert.strictEqual(functionNamed(get(stack), fn).inputs.role, role.state.arn);
                        assert.strictEqual(role.inputs.managedPolicyArns, undefined);
                        const [trust] = statements(role.inputs.assumeRolePolicy);
                        assert.deepStrictEqual(trust.Principal, { Service: "lambda.amazonaws.com" });
                        assert.deepStrictEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
                        for (const s of allStatements(get(stack), fn)) {
                            for (const action of asList(s.Action)) {
                                assert.ok(!action.includes("*"), `${fn}: ${s.Sid} allows ${action}`);
                            }
                            if (asList(s.Resource).includes("*")) {
                                assert.deepStrictEqual(asList(s.Action).map((a) => a.split(":")[0]), ["xray", "xray"], `${fn}: ${s.Sid} on *`);
                            }
                        }
                    });
                });
            }

            it("attaches no managed policy to any role (CallbackFunction's defaults include FullAccess policies)", () => {
                assert.deepStrictEqual(ofType(get(stack), TYPES.rolePolicyAttachment), []);
            });

            it("serves the api on a Function URL that requires SigV4 (AWS_IAM)", () => {
                const url = one(get(stack), TYPES.functionUrl).inputs;
                assert.strictEqual(url.authorizationType, "AWS_IAM");
                assert.strictEqual(url.functionName, "tandem-api");
            });

            it("lets only the primary's api write documents", () => {
                const writes = allStatements(get(stack), "api").filter((s) => asList(s.Action).some((a) => a === "s3:PutObject" || a === "s3:DeleteObject"));
                if (expected.role === "primary") {
                    assert.deepStrictEqual(writes.flatMap((s) => asList(s.Resource)), [`arn:aws:s3:::tandem-data-${ACCOUNT}-${expected.region}/objects/*`]);
                } else {
                    assert.deepStrictEqual(writes, []);
                }
            });

            it("notifies ingest of new documents only, and lets only this bucket in this account invoke it", () => {
                const bucketName = dataBucket(get(stack)).inputs.bucket;
                const notification = byBucket(get(stack), TYPES.notification, bucketName).inputs;
                assert.deepStrictEqual(notification.lambdaFunctions.map((l: any) => [l.lambdaFunctionArn, l.events, l.filterPrefix]), [
                    [functionNamed(get(stack), "ingest").state.arn, ["s3:ObjectCreated:*"], "objects/"],
                ]);
                const permission = one(get(stack), TYPES.permission, "ingest").inputs;
                assert.deepStrictEqual([permission.principal, permission.sourceArn, permission.sourceAccount], ["s3.amazonaws.com", `arn:aws:s3:::${bucketName}`, ACCOUNT]);
            });

            it("runs the canary every minute from an EventBridge rule allowed to invoke only it", () => {
                const rule = one(get(stack), TYPES.eventRule);
                assert.strictEqual(rule.inputs.scheduleExpression, "rate(1 minute)");
                assert.strictEqual(one(get(stack), TYPES.eventTarget).inputs.arn, functionNamed(get(stack), "canary").state.arn);
                const permission = one(get(stack), TYPES.permission, "canary").inputs;
                assert.deepStrictEqual([permission.principal, permission.sourceArn, permission.sourceAccount], ["events.amazonaws.com", rule.state.arn, ACCOUNT]);
            });

            it("alarms on errors, throttles and duration of every function and on every failure queue, all to the encrypted topic", () => {
                const topic = one(get(stack), TYPES.topic);
                assert.strictEqual(topic.inputs.kmsMasterKeyId, keyArn(get(stack)));
                const alarms = ofType(get(stack), TYPES.alarm);
                for (const a of alarms) {
                    assert.deepStrictEqual(a.inputs.alarmActions, [topic.state.arn], a.name);
                    assert.strictEqual(a.inputs.actionsEnabled, true, a.name);
                }
                for (const fn of ["api", "ingest", "canary"]) {
                    const f = functionNamed(get(stack), fn);
                    const onFunction = alarms.filter((a) => a.inputs.dimensions?.FunctionName === `tandem-${fn}`);
                    assert.deepStrictEqual(onFunction.map((a) => a.inputs.metricName).sort(), ["Duration", "Errors", "Throttles"]);
                    for (const a of onFunction) {
                        assert.deepStrictEqual(a.propertyDependencies.dimensions, [f.urn], `${a.name} depends on its function`);
                    }
                    const duration = onFunction.find((a) => a.inputs.metricName === "Duration")!;
                    assert.strictEqual(duration.inputs.threshold, f.inputs.timeout * 1000 * 0.8);
                    const queue = one(get(stack), TYPES.queue, `${fn}-failures`);
                    assert.ok(alarms.some((a) => a.inputs.metricName === "ApproximateNumberOfMessagesVisible" && a.inputs.dimensions.QueueName === queue.state.name), `no depth alarm on ${queue.name}`);
                }
            });

            it("alarms when the api answers with 5xx, which Lambda's Errors metric does not count", () => {
                const alarm = ofType(get(stack), TYPES.alarm).find((a) => a.inputs.metricName === METRICS.apiServerErrors);
                assert.ok(alarm);
                assert.deepStrictEqual([alarm.inputs.namespace, alarm.inputs.statistic, alarm.inputs.dimensions], [METRICS.namespace, "Sum", { [METRICS.serviceDimension]: SERVICES.api }]);
                assert.strictEqual(alarm.inputs.treatMissingData, "notBreaching");
            });

            it("alarms when the canary's replication lag exceeds the RPO", () => {
                const lag = ofType(get(stack), TYPES.alarm).find((a) => a.inputs.metricName === METRICS.replicationLag);
                assert.ok(lag);
                assert.deepStrictEqual([lag.inputs.namespace, lag.inputs.threshold, lag.inputs.dimensions], [METRICS.namespace, 900, { [METRICS.serviceDimension]: SERVICES.canary }]);
                assert.strictEqual(lag.inputs.treatMissingData, "breaching");
            });

            it("shows alarms, replication and every function on the region's dashboard", () => {
                const body = JSON.parse(one(get(stack), TYPES.dashboard).inputs.dashboardBody);
                assert.strictEqual(one(get(stack), TYPES.dashboard).inputs.dashboardName, `tandem-${expected.region}`);
                const text = JSON.stringify(body);
                for (const fn of ["api", "ingest", "canary"]) {
                    assert.ok(text.includes(`"tandem-${fn}"`), `dashboard lacks tandem-${fn}`);
                }
                assert.ok(text.includes(METRICS.replicationLag));
                assert.deepStrictEqual([...body.widgets[0].properties.alarms].sort(), ofType(get(stack), TYPES.alarm).map((a) => a.state.arn).sort());
            });

            it("exports what an operator needs", () => {
                const o = get(stack).outputs;
                assert.strictEqual(o.dataBucket, `tandem-data-${ACCOUNT}-${expected.region}`);
                assert.match(o.kmsKeyArn, new RegExp(`^arn:aws:kms:${expected.region}:${ACCOUNT}:key/[0-9a-f-]{36}$`));
                assert.match(o.apiUrl, new RegExp(`^https://[0-9a-f]{32}\\.lambda-url\\.${expected.region}\\.on\\.aws/$`));
                assert.match(o.alarmTopicArn, new RegExp(`^arn:aws:sns:${expected.region}:${ACCOUNT}:tandem-alarms$`));
                assert.strictEqual(o.dashboardName, `tandem-${expected.region}`);
            });

            it("groups every resource under a component", () => {
                const stackUrn = one(get(stack), "pulumi:pulumi:Stack").urn;
                const topLevel = get(stack).resources.filter((r) => r.parent === stackUrn).map((r) => r.type);
                assert.ok(topLevel.every((t) => t.startsWith("tandem:") || t === TYPES.provider), topLevel.join(", "));
                const fn = one(get(stack), "tandem:compute:HardenedFunction", "api");
                assert.deepStrictEqual(inComponent(get(stack), fn.urn).map((r) => r.type).sort(), [
                    TYPES.logGroup, TYPES.function, TYPES.invokeConfig, TYPES.role, TYPES.rolePolicy, TYPES.queue,
                    TYPES.alarm, TYPES.alarm, TYPES.alarm, TYPES.alarm,
                ].sort());
            });
        });
    }

    describe("replication", () => {
        it("exists only on the primary, towards the peer region's bucket, re-encrypted with the peer's key", () => {
            assert.deepStrictEqual(ofType(get("dr"), TYPES.replication), []);
            const config = one(get("prod"), TYPES.replication).inputs;
            assert.strictEqual(config.bucket, `tandem-data-${ACCOUNT}-us-east-1`);
            const [rule] = config.rules;
            assert.strictEqual(rule.status, "Enabled");
            assert.strictEqual(rule.destination.bucket, `arn:aws:s3:::tandem-data-${ACCOUNT}-us-west-2`);
            assert.match(rule.destination.encryptionConfiguration.replicaKmsKeyId, new RegExp(`^arn:aws:kms:us-west-2:${ACCOUNT}:key/`));
            assert.strictEqual(rule.destination.encryptionConfiguration.replicaKmsKeyId, keyArn(get("dr")), "the replica key is the dr stack's key");
            assert.deepStrictEqual(rule.deleteMarkerReplication, { status: "Enabled" });
            assert.deepStrictEqual(rule.sourceSelectionCriteria, { sseKmsEncryptedObjects: { status: "Enabled" }, replicaModifications: { status: "Enabled" } });
            assert.deepStrictEqual(rule.destination.metrics, { status: "Enabled" });
            assert.strictEqual(rule.destination.replicationTime, undefined);
            assert.deepStrictEqual(rule.filter, { prefix: "" });
        });

        it("uses a role with exactly the permissions S3 documents for SSE-KMS replication", () => {
            const role = one(get("prod"), TYPES.role, "replication");
            assert.strictEqual(one(get("prod"), TYPES.replication).inputs.role, role.state.arn);
            assert.deepStrictEqual(statements(role.inputs.assumeRolePolicy)[0].Principal, { Service: "s3.amazonaws.com" });
            const source = `arn:aws:s3:::tandem-data-${ACCOUNT}-us-east-1`;
            const destination = `arn:aws:s3:::tandem-data-${ACCOUNT}-us-west-2`;
            const granted = statements(one(get("prod"), TYPES.rolePolicy, "replication").inputs.policy)
                .map((s) => [asList(s.Action).sort(), asList(s.Resource), s.Condition?.StringEquals?.["kms:ViaService"]]);
            assert.deepStrictEqual(granted, [
                [["s3:GetReplicationConfiguration", "s3:ListBucket"], [source], undefined],
                [["s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"], [`${source}/*`], undefined],
                [["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"], [`${destination}/*`], undefined],
                [["kms:Decrypt"], [keyArn(get("prod"))], "s3.us-east-1.amazonaws.com"],
                [["kms:Encrypt", "kms:GenerateDataKey"], [keyArn(get("dr"))], "s3.us-west-2.amazonaws.com"],
            ]);
        });

        it("is applied after versioning and lifecycle (S3 refuses concurrent bucket changes)", () => {
            const replication = one(get("prod"), "tandem:storage:Replication");
            const versioning = byBucket(get("prod"), TYPES.versioning, `tandem-data-${ACCOUNT}-us-east-1`);
            const lifecycle = byBucket(get("prod"), TYPES.lifecycle, `tandem-data-${ACCOUNT}-us-east-1`);
            assert.ok(replication.dependencies.includes(versioning.urn) && replication.dependencies.includes(lifecycle.urn));
        });

        it("alarms on S3's failed replication and latency on the primary only", () => {
            const s3Alarms = (inv: Inventory) => ofType(inv, TYPES.alarm).filter((a) => a.inputs.namespace === "AWS/S3");
            assert.deepStrictEqual(s3Alarms(get("dr")), []);
            const alarms = s3Alarms(get("prod"));
            assert.deepStrictEqual(alarms.map((a) => a.inputs.metricName).sort(), ["OperationsFailedReplication", "ReplicationLatency"]);
            for (const a of alarms) {
                assert.deepStrictEqual(a.inputs.dimensions, { SourceBucket: `tandem-data-${ACCOUNT}-us-east-1`, DestinationBucket: `tandem-data-${ACCOUNT}-us-west-2`, RuleId: "all-objects-to-peer" });
            }
        });

        it("adds Replication Time Control (with its 15-minute metrics threshold) when configured", async () => {
            const inv = await evaluateStack("prod", { config: { "tandem:replicationTimeControl": "true" } });
            const [rule] = one(inv, TYPES.replication).inputs.rules;
            assert.deepStrictEqual(rule.destination.replicationTime, { status: "Enabled", time: { minutes: 15 } });
            assert.deepStrictEqual(rule.destination.metrics, { status: "Enabled", eventThreshold: { minutes: 15 } });
        });

        it("can be switched off on a primary, which then needs no peer", async () => {
            const inv = await evaluateStack("prod", { config: { "tandem:replicationEnabled": "false" }, world: { deployedRegions: ["us-east-1"] } });
            assert.deepStrictEqual(ofType(inv, TYPES.replication), []);
            assert.strictEqual(inv.outputs.replicatesTo, "none");
            assert.ok(!ofType(inv, TYPES.alarm).some((a) => a.inputs.metricName === METRICS.replicationLag), "no lag alarm without replication");
        });

        it("stops a primary whose peer is not deployed, saying which stack to deploy first", async () => {
            await assert.rejects(evaluateStack("prod", { world: { deployedRegions: ["us-east-1"] } }),
                /The peer bucket tandem-data-123456789012-us-west-2 was not found in us-west-2: deploy the stack of us-west-2 first/);
        });
    });

    describe("settings from config", () => {
        it("sizes each function from its keys", async () => {
            const inv = await evaluateStack("dr", {
                config: { "tandem:ingestMemoryMb": "2048", "tandem:ingestTimeoutSeconds": "600", "tandem:ingestReservedConcurrency": "7", "tandem:logRetentionDays": "90", "tandem:alarmEmails": '["a@example.com","b@example.com"]' },
            });
            const ingest = one(inv, TYPES.function, "ingest").inputs;
            assert.deepStrictEqual([ingest.memorySize, ingest.timeout, ingest.reservedConcurrentExecutions], [2048, 600, 7]);
            assert.ok(ofType(inv, TYPES.logGroup).every((g) => g.inputs.retentionInDays === 90));
            assert.deepStrictEqual(ofType(inv, TYPES.subscription).map((s) => [s.inputs.protocol, s.inputs.endpoint]), [["email", "a@example.com"], ["email", "b@example.com"]]);
            assert.strictEqual(ofType(inv, TYPES.alarm).find((a) => a.inputs.name === "tandem-ingest-duration")!.inputs.threshold, 480000);
        });
    });
});
