// Components evaluated on their own, as a small program of their own on the mock runtime: a fixture
// project (./projectFixture) whose program builds what the test asks for, on an explicit `home`
// provider in us-east-1, with AWS's default provider disabled as on the real stacks, so a lookup
// without the component's provider fails here as it would on `pulumi up`.
import * as aws from "@pulumi/aws";
import { MOCK_ACCOUNT_ID } from "../../tools/engine/mockWorld";
import { EvaluateOptions, evaluateStack, Inventory } from "../../tools/engine/evaluate";
import { CONFIG_KEYS, DocumentStorage } from "../../infra/config";
import type { IngestParallelMode } from "../../functions/contract";
import { FunctionContext } from "../../infra/functionContext";
import { projectFixture } from "./projectFixture";

/** Builds components under `home`; what it returns becomes the stack's outputs. */
export type Build = (home: { providers: aws.Provider[] }) => Record<string, unknown> | void;

const builds = new Map<number, Build>();
let next = 0;

/** The fixture program's entry point (it requires this module by path). */
export function program(id: number): () => Promise<Record<string, unknown> | void> {
    return async () => builds.get(id)!({ providers: [new aws.Provider("home", { region: "us-east-1" })] });
}

export async function evaluateComponents(build: Build, options: Omit<EvaluateOptions, "root"> = {}): Promise<Inventory> {
    const id = ++next;
    builds.set(id, build);
    const root = projectFixture({
        "Pulumi.yaml": "name: tandem\nruntime: nodejs\nmain: program.js\n",
        "Pulumi.test.yaml": "config:\n  aws:region: us-east-1\n  pulumi:disable-default-providers:\n    - aws\n",
        "program.js": `module.exports = require(${JSON.stringify(__filename)}).program(${id});\n`,
    });
    try {
        return await evaluateStack("test", { ...options, root });
    } finally {
        builds.delete(id);
    }
}

/** What a function of the `test` stack is deployed with (plain values: no other component needed). */
export const CONTEXT: FunctionContext = {
    app: "tandem",
    accountId: MOCK_ACCOUNT_ID,
    region: "us-east-1",
    peerRegion: "us-west-2",
    role: "primary",
    bucketName: "tandem-data",
    bucketArn: "arn:aws:s3:::tandem-data",
    kmsKeyArn: `arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:key/11111111-2222-4333-a444-555555555555`,
    // The settings the configuration defaults to.
    logRetentionDays: CONFIG_KEYS.logRetentionDays.default as number,
    presignExpirySeconds: CONFIG_KEYS.presignExpirySeconds.default as number,
    maxInlineBytes: CONFIG_KEYS.maxInlineBytes.default as number,
    maxUploadBytes: CONFIG_KEYS.maxUploadBytes.default as number,
    documentStorage: CONFIG_KEYS.documentStorage.default as DocumentStorage,
    ingestPartBytes: CONFIG_KEYS.ingestPartBytes.default as number,
    ingestConcurrency: CONFIG_KEYS.ingestConcurrency.default as number,
    ingestParallel: CONFIG_KEYS.ingestParallel.default as IngestParallelMode,
};

export const TOPIC_ARN = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT_ID}:alarms`;
