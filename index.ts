// Tandem: one program, one stack per region. This file only reads the configuration, makes the
// `home` and `peer` region providers and composes the components of infra/.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./infra/config";
import { DocumentApi } from "./infra/documentApi";
import { DocumentStore } from "./infra/documentStore";
import { FailoverEdge, orderedByRole } from "./infra/failoverEdge";
import { readFoundation } from "./infra/foundation";
import { FunctionContext } from "./infra/functionContext";
import { IngestPipeline } from "./infra/ingestPipeline";
import { Monitoring } from "./infra/monitoring";
import { keyAlias } from "./infra/naming";
import { findPeer, findPeerApiUrl } from "./infra/peer";
import { RegionKey } from "./infra/regionKey";
import { Replication, REPLICATION_RULE_ID } from "./infra/replication";
import { ReplicationCanary } from "./infra/replicationCanary";

export = async () => {
    const cfg = loadConfig();
    const defaultTags = {
        tags: { app: cfg.app, stack: pulumi.getStack(), role: cfg.role, owner: cfg.owner, "cost-center": cfg.costCenter },
    };
    const home = new aws.Provider("home", { region: cfg.region, defaultTags });
    const peer = new aws.Provider("peer", { region: cfg.peerRegion, defaultTags });
    const inHome = { providers: [home] };

    const { accountId } = await aws.getCallerIdentity({}, { provider: home });
    const foundation = cfg.foundation && await readFoundation(cfg.foundation, cfg.region);
    const replicating = cfg.role === "primary" && cfg.replicationEnabled;
    const peerStore = replicating ? await findPeer(cfg.app, accountId, cfg.peerRegion, peer) : undefined;

    const key = new RegionKey("region-key", {
        alias: keyAlias(cfg.app),
        accountId,
        region: cfg.region,
        deletionWindowInDays: cfg.kmsDeletionWindowDays,
    }, inHome);

    const store = new DocumentStore("documents", {
        app: cfg.app,
        accountId,
        region: cfg.region,
        kmsKeyArn: key.arn,
        noncurrentVersionDays: cfg.noncurrentVersionDays,
        abortIncompleteUploadDays: cfg.abortIncompleteUploadDays,
        intelligentTieringDays: cfg.intelligentTieringDays,
        accessLogRetentionDays: cfg.accessLogRetentionDays,
        logArchiveBucket: foundation?.logArchiveBucket,
    }, inHome);

    const replication = peerStore && new Replication("replication", {
        app: cfg.app,
        accountId,
        sourceRegion: cfg.region,
        sourceBucket: { name: store.data.name, arn: store.data.arn },
        sourceKeyArn: key.arn,
        destinationRegion: cfg.peerRegion,
        destinationBucketArn: peerStore.bucketArn,
        destinationKeyArn: peerStore.keyArn,
        replicationTimeControl: cfg.replicationTimeControl,
        permissionsBoundary: foundation?.permissionsBoundaryArn,
    }, { ...inHome, dependsOn: [store.data.versioning, store.data.lifecycle] });

    const context: FunctionContext = {
        app: cfg.app,
        accountId,
        region: cfg.region,
        peerRegion: cfg.peerRegion,
        role: cfg.role,
        bucketName: store.data.name,
        bucketArn: store.data.arn,
        kmsKeyArn: key.arn,
        logRetentionDays: cfg.logRetentionDays,
        presignExpirySeconds: cfg.presignExpirySeconds,
        maxInlineBytes: cfg.maxInlineBytes,
        maxUploadBytes: cfg.maxUploadBytes,
        permissionsBoundary: foundation?.permissionsBoundaryArn,
    };
    const api = new DocumentApi("api", { context, settings: cfg.functions.api, edgeOrigin: cfg.edge !== "none" }, inHome);
    const ingest = new IngestPipeline("ingest", { context, settings: cfg.functions.ingest }, inHome);
    const canary = new ReplicationCanary("canary", { context, settings: cfg.functions.canary }, inHome);

    const monitoring = new Monitoring("monitoring", {
        app: cfg.app,
        region: cfg.region,
        kmsKeyArn: key.arn,
        alarmEmails: cfg.alarmEmails,
        existingTopicArn: foundation?.alarmTopicArn,
        functions: [api.fn, ingest.fn, canary.fn],
        rpoMinutes: cfg.rpoMinutes,
        replication: peerStore && {
            sourceBucket: store.data.name,
            destinationBucket: peerStore.bucketName,
            ruleId: REPLICATION_RULE_ID,
        },
        expectReplicationLag: cfg.role === "standby" || replicating,
    }, inHome);

    const edge = cfg.edge === "host" && new FailoverEdge("edge", {
        app: cfg.app,
        ...orderedByRole(cfg.role, api.url.functionUrl, await findPeerApiUrl(cfg.app, cfg.peerRegion, peer)),
        viewerPublicKey: cfg.edgePublicKey!,
    }, inHome);

    return {
        region: cfg.region,
        role: cfg.role,
        dataBucket: store.data.name,
        accessLogBucket: store.accessLogs?.name,
        kmsKeyArn: key.arn,
        apiUrl: api.url.functionUrl,
        alarmTopicArn: monitoring.topicArn,
        dashboardName: monitoring.dashboard.dashboardName,
        replicatesTo: replication ? peerStore.bucketArn : "none",
        edgeUrl: edge ? edge.url : "none",
    };
};
