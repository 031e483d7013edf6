// Tandem: one program, one stack per region. This file only reads the configuration, makes the
// `home` and `peer` region providers and composes the components of infra/, through their outputs.
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
import { Replication } from "./infra/replication";
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
        documentStorage: cfg.documentStorage,
        intelligentTieringDays: cfg.intelligentTieringDays,
        accessLogRetentionDays: cfg.accessLogRetentionDays,
        logArchiveBucket: foundation?.logArchiveBucket,
    }, inHome);

    // The alarm topic first: every component alarms to it; the dashboard comes last.
    const monitoring = new Monitoring("monitoring", {
        app: cfg.app,
        region: cfg.region,
        topic: foundation ? { existing: { arn: foundation.alarmTopicArn } } : { kmsKeyArn: key.arn, emails: cfg.alarmEmails },
    }, inHome);
    const alarms = monitoring.alarmTarget;

    // S3 takes a replication configuration only once the bucket is versioned: after the whole store.
    const replication = peerStore && new Replication("replication", {
        app: cfg.app,
        accountId,
        sourceRegion: cfg.region,
        sourceBucket: { name: store.dataBucketName, arn: store.dataBucketArn },
        sourceKeyArn: key.arn,
        destination: { region: cfg.peerRegion, ...peerStore },
        replicationTimeControl: cfg.replicationTimeControl,
        permissionsBoundary: foundation?.permissionsBoundaryArn,
        rpoMinutes: cfg.rpoMinutes,
        alarms,
    }, { ...inHome, dependsOn: [store] });

    const context: FunctionContext = {
        app: cfg.app,
        accountId,
        region: cfg.region,
        peerRegion: cfg.peerRegion,
        role: cfg.role,
        bucketName: store.dataBucketName,
        bucketArn: store.dataBucketArn,
        kmsKeyArn: key.arn,
        logRetentionDays: cfg.logRetentionDays,
        presignExpirySeconds: cfg.presignExpirySeconds,
        maxInlineBytes: cfg.maxInlineBytes,
        maxUploadBytes: cfg.maxUploadBytes,
        documentStorage: cfg.documentStorage,
        ingestPartBytes: cfg.ingestPartBytes,
        ingestConcurrency: cfg.ingestConcurrency,
        ingestParallel: cfg.ingestParallel,
        permissionsBoundary: foundation?.permissionsBoundaryArn,
    };
    const api = new DocumentApi("api", { context, settings: cfg.functions.api, edgeOrigin: cfg.edge !== "none", alarms }, inHome);
    const ingest = new IngestPipeline("ingest", { context, settings: cfg.functions.ingest, alarms }, inHome);
    const canary = new ReplicationCanary("canary", {
        context,
        settings: cfg.functions.canary,
        rpoMinutes: cfg.rpoMinutes,
        // A standby always expects replicated probes; a primary only while it replicates.
        lagAlarm: cfg.role === "standby" || replicating,
        alarms,
    }, inHome);
    const dashboardName = monitoring.addDashboard([api, ingest, canary, ...(replication ? [replication] : [])]);

    const edge = cfg.edge === "host" && new FailoverEdge("edge", {
        app: cfg.app,
        ...orderedByRole(cfg.role, api.url, await findPeerApiUrl(cfg.app, cfg.peerRegion, peer)),
        viewerPublicKey: cfg.edgePublicKey!,
    }, inHome);

    return {
        region: cfg.region,
        role: cfg.role,
        dataBucket: store.dataBucketName,
        accessLogBucket: store.accessLogBucketName,
        kmsKeyArn: key.arn,
        apiUrl: api.url,
        alarmTopicArn: monitoring.topicArn,
        dashboardName,
        replicatesTo: replication ? peerStore.bucketArn : "none",
        edgeUrl: edge ? edge.url : "none",
    };
};
