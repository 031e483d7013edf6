// SDK clients for moto, one per service and region, made on first use and destroyed together.
import type * as S3 from "@aws-sdk/client-s3";
import type * as KMS from "@aws-sdk/client-kms";
import type * as SQS from "@aws-sdk/client-sqs";
import { clientConfig } from "./moto";

export const s3sdk = require("@aws-sdk/client-s3") as typeof S3;
export const kmssdk = require("@aws-sdk/client-kms") as typeof KMS;
export const sqssdk = require("@aws-sdk/client-sqs") as typeof SQS;

export class MotoClients {
    private readonly made = new Map<string, { destroy(): void }>();

    constructor(readonly endpoint: string) {}

    private client<T extends { destroy(): void }>(service: string, region: string, make: () => T): T {
        const key = `${service}:${region}`;
        let client = this.made.get(key) as T | undefined;
        if (client === undefined) {
            client = make();
            this.made.set(key, client);
        }
        return client;
    }

    s3(region: string): S3.S3Client {
        return this.client("s3", region, () => new s3sdk.S3Client(clientConfig(this.endpoint, region)));
    }

    kms(region: string): KMS.KMSClient {
        return this.client("kms", region, () => new kmssdk.KMSClient(clientConfig(this.endpoint, region)));
    }

    sqs(region: string): SQS.SQSClient {
        return this.client("sqs", region, () => new sqssdk.SQSClient(clientConfig(this.endpoint, region)));
    }

    destroy(): void {
        for (const client of this.made.values()) client.destroy();
        this.made.clear();
    }
}
