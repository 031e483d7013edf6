// The local run over HTTP, as a developer (or the api tests) use it through startLocalApp: deletes
// reach the standby as delete markers and a version-specific delete does not (as in S3); any body is
// stored byte for byte with its exact Content-Type, form and multipart types included (moto alone
// stores those empty); the replication status S3 reports; stop() ends everything it started.
import { strict as assert } from "assert";
import { createHash, randomBytes } from "crypto";
import type * as S3 from "@aws-sdk/client-s3";
import { captureFunctionOutput } from "../support/lambda";
import { clientConfig } from "../../tools/local/emulator";
import { LocalApp, startLocalApp } from "../../tools/local/localApp";
import { PREFIX } from "../../functions/contract";
import { until } from "../support/poll";

const s3sdk = require("@aws-sdk/client-s3") as typeof S3;

const EMPTY_MD5 = `"${createHash("md5").update("").digest("hex")}"`;

describe("local run: startLocalApp over HTTP", function () {
    this.timeout(240_000);
    captureFunctionOutput();
    let app: LocalApp;
    let viaEndpoint: S3.S3Client;
    let motoDirect: S3.S3Client;
    const notes: string[] = [];
    const unique = () => randomBytes(6).toString("hex");

    before(async () => {
        app = await startLocalApp({ port: 0, standbyPort: 0, replicationDelayMs: 0, canaryIntervalMs: 3_600_000, log: (line) => notes.push(line) });
        viaEndpoint = new s3sdk.S3Client(clientConfig(app.s3Endpoint, app.primary.region));
        motoDirect = new s3sdk.S3Client(clientConfig(app.motoEndpoint, app.standby.region));
    });
    after(async () => {
        viaEndpoint?.destroy();
        motoDirect?.destroy();
        await app?.stop();
    });

    const put = (key: string, body: Buffer | string, contentType: string) => fetch(`${app.primary.url}/objects/${key}`, { method: "PUT", body, headers: { "content-type": contentType } });
    const standbyServes = async (key: string) => (await fetch(`${app.standby.url}/objects/${key}`)).status === 200;
    const replicated = (key: string) => app.replication.records.find((r) => r.key === PREFIX.objects + key && !r.deleteMarker && r.status === "COMPLETED") !== undefined;

    describe("deletes", () => {
        it("a DELETE on the primary reaches the standby as a delete marker; the replica's version stays underneath", async () => {
            const key = `deletes/${unique()}.txt`;
            assert.equal((await put(key, "to be deleted", "text/plain")).status, 201);
            await until("the replica", () => standbyServes(key));
            assert.equal((await fetch(`${app.primary.url}/objects/${key}`, { method: "DELETE" })).status, 204);
            await until("the standby to stop serving it", async () => (await fetch(`${app.standby.url}/objects/${key}`)).status === 404);

            const record = app.replication.records.find((r) => r.key === PREFIX.objects + key && r.deleteMarker);
            assert.equal(record?.status, "COMPLETED");
            const versions = await motoDirect.send(new s3sdk.ListObjectVersionsCommand({ Bucket: app.standby.bucket, Prefix: PREFIX.objects + key }));
            assert.deepEqual(
                versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]),
                [[record?.replicaVersionId, true]],
            );
            assert.equal(versions.Versions?.length, 1, "a delete marker, not a deleted version");
        });

        it("a DELETE of a specific version is not replicated (S3 never replicates those)", async () => {
            const key = `deletes/${unique()}.txt`;
            const created = (await (await put(key, "kept on the standby", "text/plain")).json()) as { versionId: string };
            await until("the replica", () => standbyServes(key));
            await viaEndpoint.send(new s3sdk.DeleteObjectCommand({ Bucket: app.primary.bucket, Key: PREFIX.objects + key, VersionId: created.versionId }));
            // The bucket's writes replicate in order: once a later write has, the version delete was passed over.
            const later = `deletes/${unique()}.txt`;
            await put(later, "later", "text/plain");
            await until("the later write's replication", () => replicated(later));

            assert.equal((await fetch(`${app.primary.url}/objects/${key}`)).status, 404);
            const replica = await fetch(`${app.standby.url}/objects/${key}`);
            assert.equal(replica.status, 200);
            assert.equal(await replica.text(), "kept on the standby");
            assert.equal(app.replication.records.filter((r) => r.key === PREFIX.objects + key && r.deleteMarker).length, 0);
        });

        it("a multi-object delete replicates the markers it creates and passes over the versions it names", async () => {
            const [marked, versioned] = [`deletes/${unique()}`, `deletes/${unique()}`];
            await put(marked, "marked", "text/plain");
            const { versionId } = (await (await put(versioned, "versioned", "text/plain")).json()) as { versionId: string };
            await until("both replicas", async () => (await standbyServes(marked)) && (await standbyServes(versioned)));
            await viaEndpoint.send(
                new s3sdk.DeleteObjectsCommand({ Bucket: app.primary.bucket, Delete: { Objects: [{ Key: PREFIX.objects + marked }, { Key: PREFIX.objects + versioned, VersionId: versionId }] } }),
            );
            await until("the marker's replication", async () => (await fetch(`${app.standby.url}/objects/${marked}`)).status === 404);
            assert.deepEqual(
                app.replication.records.filter((r) => r.deleteMarker && [marked, versioned].map((k) => PREFIX.objects + k).includes(r.key)).map((r) => [r.key, r.status]),
                [[PREFIX.objects + marked, "COMPLETED"]],
            );
            assert.equal(await (await fetch(`${app.standby.url}/objects/${versioned}`)).text(), "versioned");
        });
    });

    describe("replication status", () => {
        it("the primary's version reports COMPLETED once copied, the standby's copy REPLICA", async () => {
            const key = `status/${unique()}.txt`;
            await put(key, "status", "text/plain");
            await until("the replication", () => replicated(key));
            const source = await viaEndpoint.send(new s3sdk.HeadObjectCommand({ Bucket: app.primary.bucket, Key: PREFIX.objects + key }));
            assert.equal(source.ReplicationStatus, "COMPLETED");
            const standby = new s3sdk.S3Client(clientConfig(app.s3Endpoint, app.standby.region));
            try {
                const replica = await standby.send(new s3sdk.HeadObjectCommand({ Bucket: app.standby.bucket, Key: PREFIX.objects + key }));
                assert.equal(replica.ReplicationStatus, "REPLICA");
            } finally {
                standby.destroy();
            }
        });
    });

    describe("bodies are stored byte for byte with their exact Content-Type", () => {
        const boundary = "----TandemBoundary7MA4YWxkTrZu0gW";
        const multipart = Buffer.concat([
            Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nquarterly report\r\n`),
            Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="q3.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
            Buffer.from([0, 1, 2, 0xfe, 0xff, 0x0d, 0x0a]),
            Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        const cases: Array<[string, string, Buffer]> = [
            ["form-urlencoded (curl --data-binary's default)", "application/x-www-form-urlencoded", Buffer.from("name=tandem&greeting=hello+world%21")],
            ["form-urlencoded with a charset and the fields moto reads as an upload", "application/x-www-form-urlencoded; charset=UTF-8", Buffer.from("key=caf%C3%A9&file=cr%C3%A8me")],
            ["form-urlencoded, binary bytes", "application/x-www-form-urlencoded", Buffer.from(Array.from({ length: 256 }, (_, i) => i))],
            ["multipart with a boundary and a binary file part", `multipart/form-data; boundary=${boundary}`, multipart],
            ["multipart, mixed case, quoted boundary", 'Multipart/Form-Data; Boundary="quoted boundary"', Buffer.from('--quoted boundary\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--quoted boundary--\r\n')],
            ["multipart without a boundary", "multipart/form-data", Buffer.from("not really multipart")],
            ["plain text, for comparison", "text/plain; charset=utf-8", Buffer.from("plain")],
        ];

        for (const [what, contentType, body] of cases) {
            it(`${what}: ${contentType}`, async () => {
                const key = `bodies/${unique()}`;
                const created = await put(key, body, contentType);
                assert.equal(created.status, 201, await created.clone().text());
                const { etag } = (await created.json()) as { etag: string };
                assert.notEqual(etag, EMPTY_MD5, "stored empty");

                const read = await fetch(`${app.primary.url}/objects/${key}`);
                assert.ok(Buffer.from(await read.arrayBuffer()).equals(body), "the primary's bytes");
                assert.equal(read.headers.get("content-type"), contentType);
                assert.equal(read.headers.get("etag"), etag);

                const sha256 = createHash("sha256").update(body).digest("hex");
                await until("ingest's manifest", async () => (await fetch(`${app.primary.url}/manifests/${key}`)).status === 200);
                const manifest = (await (await fetch(`${app.primary.url}/manifests/${key}`)).json()) as { sha256: string; size: number; contentType: string };
                assert.deepEqual([manifest.sha256, manifest.size, manifest.contentType], [sha256, body.length, contentType]);

                await until("the replica", () => standbyServes(key));
                const replica = await fetch(`${app.standby.url}/objects/${key}`);
                assert.ok(Buffer.from(await replica.arrayBuffer()).equals(body), "the standby's bytes");
                assert.equal(replica.headers.get("content-type"), contentType);
            });
        }

        it("through the local S3 endpoint too: PutObject, and a presigned upload the api hands out", async () => {
            const [, contentType, body] = cases[3];
            const key = `${PREFIX.objects}bodies/${unique()}`;
            await viaEndpoint.send(new s3sdk.PutObjectCommand({ Bucket: app.primary.bucket, Key: key, Body: body, ContentType: contentType }));
            const got = await viaEndpoint.send(new s3sdk.GetObjectCommand({ Bucket: app.primary.bucket, Key: key }));
            assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body));
            assert.equal(got.ContentType, contentType);
            assert.deepEqual(got.Metadata, {}, "the content-type swap stays inside the local endpoint");
            // S3 answers response-content-type first (GetObject's response overrides).
            const overridden = await viaEndpoint.send(new s3sdk.GetObjectCommand({ Bucket: app.primary.bucket, Key: key, ResponseContentType: "text/csv" }));
            assert.equal(overridden.ContentType, "text/csv");

            const upload = `bodies/${unique()}`;
            const form = "application/x-www-form-urlencoded";
            const offer = (await (await fetch(`${app.primary.url}/uploads/${upload}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ contentType: form }) })).json()) as {
                url: string;
                fields: Record<string, string>;
            };
            // A browser-form upload (POST Object): the policy's fields, then the file last (S3 ignores what follows it).
            const formData = new FormData();
            Object.entries(offer.fields).forEach(([name, value]) => formData.append(name, value));
            formData.append("file", new Blob(["a=1&b=2"], { type: form }));
            const posted = await fetch(offer.url, { method: "POST", body: formData });
            assert.ok(posted.status === 204 || posted.status === 200 || posted.status === 201, `POST Object answered ${posted.status}`);
            const read = await fetch(`${app.primary.url}/objects/${upload}`);
            assert.equal(await read.text(), "a=1&b=2");
            assert.equal(read.headers.get("content-type"), form);
        });
    });

    describe("stopping", () => {
        it("stop() lets invocations under way finish, then ends the api servers, the S3 endpoint and moto", async () => {
            const canaries = app.runCanaries();
            await app.stop();
            await canaries;
            for (const url of [`${app.primary.url}/health`, `${app.standby.url}/health`, app.s3Endpoint, `${app.motoEndpoint}/moto-api/`]) {
                await assert.rejects(fetch(url), `${url} still answers`);
            }
            assert.deepEqual(notes.filter((n) => /"level":"ERROR"/.test(n)), []);
        });
    });
});
