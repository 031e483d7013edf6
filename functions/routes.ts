// The api's routes, written once: the router matches requests against this table, and the route table
// of docs/functions.md is rendered from it (npm run docs). A `<key>` is the rest of the path,
// percent-decoded once, stored as `objects/<key>`.

export type RouteName = "object" | "list" | "upload" | "manifest" | "health";
export type Method = "GET" | "HEAD" | "PUT" | "DELETE" | "POST";

export interface Operation {
    method: Method;
    /** What it answers, as the docs say it. */
    answer: string;
    /** A write: the standby refuses it (503 standby_read_only). */
    write?: true;
}

export interface Route {
    name: RouteName;
    /** As documented; ends in `<key>` when the rest of the path is a document key. */
    path: string;
    /** Query parameters, as documented. */
    query?: string;
    operations: Operation[];
}

const KEY = "<key>";

export const ROUTES: readonly Route[] = [
    {
        name: "object",
        path: "/objects/<key>",
        operations: [
            {
                method: "PUT",
                write: true,
                answer:
                    "body = the document (`Content-Type` kept, default `application/octet-stream`); optional `x-amz-checksum-sha256` / `Content-MD5`, verified before storing; `If-None-Match: *` or `If-Match: \"<etag>\"`. `201 {key, versionId, etag, checksumSha256}` and `Location`",
            },
            {
                method: "GET",
                answer:
                    "`200` the bytes with `Content-Type`, `ETag`, `Last-Modified`, `Repr-Digest`, `x-tandem-version-id` (active types as an attachment under a sandboxing CSP); `303` to a presigned URL when larger than `TANDEM_MAX_INLINE_BYTES`; `If-Match` → `412`, `If-None-Match` → `304`",
            },
            { method: "HEAD", answer: "the GET's status and headers, no body (one HeadObject)" },
            { method: "DELETE", write: true, answer: "`204` (idempotent: a delete marker in the versioned bucket)" },
        ],
    },
    {
        name: "list",
        path: "/objects",
        query: "prefix=&cursor=&limit=",
        operations: [
            { method: "GET", answer: "`200 {items:[{key, size, lastModified}], nextCursor}`; `limit` 1–1000 (default 100); `nextCursor` is `null` on the last page" },
            { method: "HEAD", answer: "the GET's status and headers, no body" },
        ],
    },
    {
        name: "upload",
        path: "/uploads/<key>",
        operations: [
            {
                method: "POST",
                write: true,
                answer:
                    "optional JSON body `{\"contentType\": \"type/subtype\"}`. `200 {url, fields, expiresAt}`: a presigned POST whose policy fixes the key, the content type and `content-length-range` 0–`TANDEM_MAX_UPLOAD_BYTES`",
            },
        ],
    },
    {
        name: "manifest",
        path: "/manifests/<key>",
        operations: [
            { method: "GET", answer: "`200 {key, versionId, sha256, size, contentType, processedAt, checksumSha256}`; `404` until the document is ingested" },
            { method: "HEAD", answer: "the GET's status and headers, no body" },
        ],
    },
    {
        name: "health",
        path: "/health",
        operations: [
            { method: "GET", answer: "`200 {region, role, bucket, replicationLagSeconds}` (`null` without a measurement); at most 2 S3 calls; `503` when S3 is unavailable" },
            { method: "HEAD", answer: "the GET's status and headers, no body" },
        ],
    },
];

export interface MatchedRoute {
    route: Route;
    /** The rest of the path after the route's prefix, still percent-encoded (keyed routes only). */
    rawKey?: string;
}

/** The route of a raw (still percent-encoded) path: an exact path, or a keyed route's prefix. */
export function matchRoute(rawPath: string): MatchedRoute | undefined {
    for (const route of ROUTES) {
        if (route.path.endsWith(KEY)) {
            const prefix = route.path.slice(0, -KEY.length);
            if (rawPath.startsWith(prefix)) return { route, rawKey: rawPath.slice(prefix.length) };
        } else if (rawPath === route.path) {
            return { route };
        }
    }
    return undefined;
}

export function allowedMethods(route: Route): Method[] {
    return route.operations.map((op) => op.method);
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The route table of docs/functions.md. */
export function renderRouteTable(): string {
    const rows = ROUTES.flatMap((route) =>
        route.operations.map((op) => `| \`${op.method} ${route.path}${route.query ? `?${route.query}` : ""}\` | ${op.write ? "primary only" : "both"} | ${cell(op.answer)} |`),
    );
    return ["| route | served by | answer |", "|---|---|---|", ...rows].join("\n");
}
