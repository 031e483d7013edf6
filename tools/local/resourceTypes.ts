// What the local run does with each resource type the program registers (tokens from
// tools/engine/resourceTypes.ts, read from @pulumi/aws): provision it on moto, run it itself, or leave
// it out for a reason listed in ./gaps.ts. A type the program registers that is not here is reported
// at start, never ignored silently.
import { TYPES } from "../engine/resourceTypes";
import type { GapId } from "./gaps";

/** The tokens, from the tools' one table (read from @pulumi/aws), under the names this module uses. */
export const TYPE = { ...TYPES, metricAlarm: TYPES.alarm, topicSubscription: TYPES.subscription } as const;

export type Treatment =
    /** Created on moto from the registered inputs (./provision*.ts). */
    | { by: "moto" }
    /** Done by the local run itself (./localApp.ts); the gap says how it differs from AWS. */
    | { by: "local run"; gap: GapId }
    /** Not created locally; the gap says why. */
    | { by: "left out"; gap: GapId };

const moto: Treatment = { by: "moto" };

/** What the local run does with each type of resource the program may register. */
export const TREATMENT: ReadonlyMap<string, Treatment> = new Map<string, Treatment>([
    ["pulumi:providers:aws", { by: "local run", gap: "regions" }],
    [TYPE.bucket, moto],
    [TYPE.versioning, moto],
    [TYPE.encryption, moto],
    [TYPE.publicAccessBlock, moto],
    [TYPE.ownership, moto],
    [TYPE.lifecycle, moto],
    [TYPE.logging, moto],
    [TYPE.bucketPolicy, moto],
    [TYPE.notification, moto],
    [TYPE.replication, { by: "local run", gap: "replication" }],
    [TYPE.key, moto],
    [TYPE.alias, moto],
    [TYPE.queue, moto],
    [TYPE.topic, moto],
    [TYPE.topicSubscription, moto],
    [TYPE.function, { by: "local run", gap: "lambda" }],
    [TYPE.functionUrl, { by: "local run", gap: "function-url" }],
    [TYPE.eventRule, { by: "local run", gap: "schedules" }],
    [TYPE.eventTarget, { by: "local run", gap: "schedules" }],
    [TYPE.invokeConfig, { by: "left out", gap: "async-invoke" }],
    [TYPE.permission, { by: "left out", gap: "iam" }],
    [TYPE.role, { by: "left out", gap: "iam" }],
    [TYPE.rolePolicy, { by: "left out", gap: "iam" }],
    [TYPE.rolePolicyAttachment, { by: "left out", gap: "iam" }],
    [TYPE.logGroup, { by: "left out", gap: "cloudwatch" }],
    [TYPE.metricAlarm, { by: "left out", gap: "cloudwatch" }],
    [TYPE.dashboard, { by: "left out", gap: "cloudwatch" }],
    [TYPE.distribution, { by: "left out", gap: "edge" }],
    [TYPE.originAccessControl, { by: "left out", gap: "edge" }],
    [TYPE.publicKey, { by: "left out", gap: "edge" }],
    [TYPE.keyGroup, { by: "left out", gap: "edge" }],
    [TYPE.responseHeadersPolicy, { by: "left out", gap: "edge" }],
]);
