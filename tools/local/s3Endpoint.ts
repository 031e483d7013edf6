// The local run's S3 endpoint: an HTTP proxy in front of moto that every function (and anyone using
// the printed endpoint) goes through. It forwards requests unchanged except where moto cannot
// behave like S3:
// - Form-typed bodies. moto reads a request body as werkzeug's `request.data`
//   (moto/core/responses.py BaseResponse.setup_class), and werkzeug parses a body whose mimetype is
//   application/x-www-form-urlencoded or multipart/form-data as a form, leaving `data` empty
//   (werkzeug/formparser.py FormDataParser.parse; tried on moto 5.2.1: an empty object, or the last
//   form field or file). A PutObject or UploadPart with such a type goes to moto as
//   application/octet-stream; a PutObject carries the real Content-Type in META_CONTENT_TYPE, which
//   GET and HEAD answers turn back into the Content-Type.
// - Response-header overrides (response-content-type and the like), which moto ignores: applied here.
// - Replication. moto never replicates and sends no event for a delete marker, so the endpoint
//   reports every accepted write — new object versions, and delete markers made by a DELETE without
//   a version id — and adds the x-amz-replication-status S3 reports on GET and HEAD
//   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-status.html).
// Path-style requests only (http://127.0.0.1:PORT/bucket/key), as the SDK sends to an IP endpoint.
import * as http from "http";
import { listenOnLoopback, LoopbackServer } from "./loopback";
import { xmlBlocks, xmlElement } from "./xml";

export const META_CONTENT_TYPE = "x-amz-meta-tandem-local-content-type";

/**
 * GetObject's response-header overrides, which moto ignores (no trace of them in moto/s3):
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
 */
const RESPONSE_OVERRIDES = ["response-cache-control", "response-content-disposition", "response-content-encoding", "response-content-language", "response-content-type", "response-expires"];

const FORM_MIMETYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/** What werkzeug compares: the type without parameters, lower-cased (werkzeug/sansio/request.py Request.mimetype). */
export function isFormType(contentType: string | undefined): boolean {
    return contentType !== undefined && FORM_MIMETYPES.includes(contentType.split(";")[0].trim().toLowerCase());
}

/** An accepted write: a new version of `key`, or a delete marker a DELETE without version id created. */
export interface S3Write {
    bucket: string;
    key: string;
    versionId?: string;
    deleteMarker: boolean;
}

export interface S3EndpointHooks {
    /** Called before the client sees moto's answer. */
    written(write: S3Write): void;
    /** The x-amz-replication-status of a version, if it has one. */
    replicationStatus(bucket: string, versionId: string): string | undefined;
}

export type S3Endpoint = LoopbackServer;

interface Target {
    bucket?: string;
    key?: string;
    query: URLSearchParams;
    /** Query parameters that name a subresource or an operation (presigning, SDK bookkeeping, versionId and response overrides aside). */
    subresources: string[];
}

function target(url: string | undefined): Target {
    const parsed = new URL(url ?? "/", "http://local");
    const [, bucket, ...key] = parsed.pathname.split("/");
    const decode = (s: string) => {
        try {
            return decodeURIComponent(s);
        } catch {
            return s;
        }
    };
    const subresources = [...parsed.searchParams.keys()].filter((k) => !(k === "x-id" || k === "versionId" || /^x-amz-/i.test(k) || k.startsWith("response-")));
    return { bucket: bucket ? decode(bucket) : undefined, key: key.length > 0 && key.join("/") !== "" ? decode(key.join("/")) : undefined, query: parsed.searchParams, subresources };
}

/** The service a request is signed for (credential scope of the header or the presigned query); unsigned requests are S3's. */
function service(request: http.IncomingMessage, query: URLSearchParams): string {
    const scope = /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(request.headers.authorization ?? "")?.[1] ?? query.get("X-Amz-Credential")?.split("/")[3];
    return scope ?? "s3";
}

type Kind = "put" | "upload-part" | "copy" | "complete" | "delete" | "delete-objects" | "read" | "other";

function kindOf(method: string | undefined, t: Target, request: http.IncomingMessage): Kind {
    if (t.bucket === undefined) return "other";
    if (t.key === undefined) return method === "POST" && t.query.has("delete") ? "delete-objects" : "other";
    if (method === "PUT" && t.query.has("partNumber") && t.query.has("uploadId")) return "upload-part";
    if (method === "POST" && t.query.has("uploadId")) return "complete";
    // GetObject and HeadObject may read one part of a multipart object.
    if ((method === "GET" || method === "HEAD") && t.subresources.every((k) => k === "partNumber")) return "read";
    if (t.subresources.length > 0) return "other";
    if (method === "PUT") return request.headers["x-amz-copy-source"] !== undefined ? "copy" : "put";
    if (method === "DELETE" && !t.query.has("versionId")) return "delete";
    return "other";
}

const header = (headers: http.IncomingHttpHeaders, name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
};

export async function startS3Endpoint(motoEndpoint: string, hooks: S3EndpointHooks): Promise<S3Endpoint> {
    const upstream = new URL(motoEndpoint);
    const agent = new http.Agent({ keepAlive: true });

    function written(t: Target, kind: Kind, status: number, headers: http.IncomingHttpHeaders, body: string): void {
        if (status < 200 || status > 299 || t.bucket === undefined) return;
        const versionId = header(headers, "x-amz-version-id");
        if ((kind === "put" || kind === "copy" || kind === "complete") && t.key !== undefined) {
            hooks.written({ bucket: t.bucket, key: t.key, versionId, deleteMarker: false });
        } else if (kind === "delete" && t.key !== undefined && header(headers, "x-amz-delete-marker") === "true") {
            hooks.written({ bucket: t.bucket, key: t.key, versionId, deleteMarker: true });
        } else if (kind === "delete-objects") {
            // An entry names a VersionId only when the request did: those deletes are never replicated.
            for (const deleted of xmlBlocks(body, "Deleted")) {
                const key = xmlElement(deleted, "Key");
                if (key !== undefined && xmlElement(deleted, "VersionId") === undefined && xmlElement(deleted, "DeleteMarker") === "true") {
                    hooks.written({ bucket: t.bucket, key, versionId: xmlElement(deleted, "DeleteMarkerVersionId"), deleteMarker: true });
                }
            }
        }
    }

    function answerHeaders(t: Target, kind: Kind, answer: http.IncomingMessage): http.OutgoingHttpHeaders {
        const headers: http.OutgoingHttpHeaders = { ...answer.headers };
        if (kind !== "read" || t.bucket === undefined) return headers;
        const original = header(answer.headers, META_CONTENT_TYPE);
        if (original !== undefined) {
            delete headers[META_CONTENT_TYPE];
            headers["content-type"] = original;
        }
        if (answer.statusCode !== undefined && answer.statusCode < 300) {
            for (const [name, value] of t.query) {
                if (RESPONSE_OVERRIDES.includes(name)) headers[name.slice("response-".length)] = value;
            }
        }
        const versionId = header(answer.headers, "x-amz-version-id");
        const status = versionId === undefined ? undefined : hooks.replicationStatus(t.bucket, versionId);
        if (status !== undefined) headers["x-amz-replication-status"] = status;
        return headers;
    }

    const server = http.createServer((request, response) => {
        const t = target(request.url);
        const kind = service(request, t.query) === "s3" ? kindOf(request.method, t, request) : "other";
        const headers: http.OutgoingHttpHeaders = { ...request.headers, host: upstream.host };
        // This server already answered any `Expect: 100-continue`; the body follows at once.
        delete headers.expect;
        const contentType = header(request.headers, "content-type");
        if ((kind === "put" || kind === "upload-part") && isFormType(contentType)) {
            headers["content-type"] = "application/octet-stream";
            if (kind === "put") headers[META_CONTENT_TYPE] = contentType;
        }
        const out = http.request({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers, agent }, (answer) => {
            const status = answer.statusCode ?? 502;
            if (kind === "delete-objects") {
                const chunks: Buffer[] = [];
                answer.on("data", (c: Buffer) => chunks.push(c));
                answer.on("end", () => {
                    const body = Buffer.concat(chunks);
                    written(t, kind, status, answer.headers, body.toString("utf8"));
                    response.writeHead(status, answerHeaders(t, kind, answer)).end(body);
                });
                answer.on("error", () => response.socket?.destroy());
                return;
            }
            written(t, kind, status, answer.headers, "");
            response.writeHead(status, answerHeaders(t, kind, answer));
            answer.pipe(response);
        });
        out.on("error", () => response.socket?.destroy());
        request.pipe(out);
    });
    const listening = await listenOnLoopback(server);
    return {
        ...listening,
        async close() {
            agent.destroy();
            await listening.close();
        },
    };
}
