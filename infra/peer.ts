import * as aws from "@pulumi/aws";
import { dataBucketName, functionName, keyAlias } from "./naming";

export interface PeerResources {
    bucketName: string;
    bucketArn: string;
    keyArn: string;
}

/**
 * Finds the standby's data bucket and key in the peer region by their deterministic names, through
 * the `peer` provider: no StackReference, no shared backend. A missing peer stops the deployment with
 * the fix (deploy the peer stack first) instead of replicating into nothing.
 */
export async function findPeer(app: string, accountId: string, peerRegion: string, peer: aws.Provider): Promise<PeerResources> {
    const bucketName = dataBucketName(app, accountId, peerRegion);
    const alias = keyAlias(app);
    const deployPeerFirst = `deploy the stack of ${peerRegion} first (pulumi up -s <peer stack>), or set tandem:replicationEnabled to false while ${peerRegion} is down`;

    const bucket = aws.s3.getBucket({ bucket: bucketName }, { provider: peer }).catch((e: unknown) => {
        throw new Error(`The peer bucket ${bucketName} was not found in ${peerRegion}: ${deployPeerFirst}. (${message(e)})`);
    });
    const key = aws.kms.getAlias({ name: alias }, { provider: peer }).catch((e: unknown) => {
        throw new Error(`The peer key ${alias} was not found in ${peerRegion}: ${deployPeerFirst}. (${message(e)})`);
    });
    const [{ arn: bucketArn }, { targetKeyArn: keyArn }] = await Promise.all([bucket, key]);
    return { bucketName, bucketArn, keyArn };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The other region's api Function URL, for the failover edge. */
export async function findPeerApiUrl(app: string, peerRegion: string, peer: aws.Provider): Promise<string> {
    const name = functionName(app, "api");
    try {
        return (await aws.lambda.getFunctionUrl({ functionName: name }, { provider: peer })).functionUrl;
    } catch (e) {
        throw new Error(`The peer api ${name} has no Function URL in ${peerRegion}: deploy the stack of ${peerRegion} first; the edge needs both regions' URLs. (${message(e)})`);
    }
}
