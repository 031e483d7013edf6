// The program of the synthetic large stack: the region key, the document store and the alarm topic of
// Tandem, and `pipelines` copies of its ingest pipeline (each a hardened function with its role, log
// group, failure queue, invoke config, alarms, permission and bucket notification).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, DocumentStorage } from "../../../infra/config";
import type { IngestParallelMode } from "../../../functions/contract";
import { DocumentStore } from "../../../infra/documentStore";
import { IngestPipeline } from "../../../infra/ingestPipeline";
import { Monitoring } from "../../../infra/monitoring";
import { RegionKey } from "../../../infra/regionKey";

/** Tandem's own defaults, read from its configuration table. */
const defaults = <T = number>(key: string) => CONFIG_KEYS[key].default as T;

export = async () => {
    const pipelines = new pulumi.Config().requireNumber("pipelines");
    const region = "us-east-1";
    const home = new aws.Provider("home", { region, defaultTags: { tags: { app: "bench", stack: pulumi.getStack(), role: "primary", owner: "platform-team", "cost-center": "bench" } } });
    const inHome = { providers: [home] };
    const { accountId } = await aws.getCallerIdentity({}, { provider: home });
    const key = new RegionKey("region-key", { alias: "alias/bench", accountId, region }, inHome);
    const store = new DocumentStore("documents", {
        app: "bench",
        accountId,
        region,
        kmsKeyArn: key.arn,
        noncurrentVersionDays: defaults("noncurrentVersionDays"),
        abortIncompleteUploadDays: defaults("abortIncompleteUploadDays"),
        documentStorage: defaults<DocumentStorage>("documentStorage"),
        intelligentTieringDays: defaults("intelligentTieringDays"),
        accessLogRetentionDays: defaults("accessLogRetentionDays"),
    }, inHome);
    const monitoring = new Monitoring("monitoring", { app: "bench", region, topic: { kmsKeyArn: key.arn } }, inHome);
    for (let i = 0; i < pipelines; i++) {
        new IngestPipeline(`ingest-${i}`, {
            context: {
                app: `bench${i}`,
                accountId,
                region,
                peerRegion: "us-west-2",
                role: "primary",
                bucketName: store.dataBucketName,
                bucketArn: store.dataBucketArn,
                kmsKeyArn: key.arn,
                logRetentionDays: defaults("logRetentionDays"),
                presignExpirySeconds: defaults("presignExpirySeconds"),
                maxInlineBytes: defaults("maxInlineBytes"),
                maxUploadBytes: defaults("maxUploadBytes"),
                documentStorage: defaults<DocumentStorage>("documentStorage"),
                ingestPartBytes: defaults("ingestPartBytes"),
                ingestConcurrency: defaults("ingestConcurrency"),
                ingestParallel: defaults<IngestParallelMode>("ingestParallel"),
            },
            settings: { memoryMb: defaults("ingestMemoryMb"), timeoutSeconds: defaults("ingestTimeoutSeconds"), reservedConcurrency: 1 },
            alarms: monitoring.alarmTarget,
        }, inHome);
    }
    return { resources: pipelines };
};
