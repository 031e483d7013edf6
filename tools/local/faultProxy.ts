// A small fault-injecting HTTP proxy in front of moto: forwards requests unchanged, or, for requests
// matching a rule, answers an error status, stalls, drops the connection, cuts a response body short,
// or adds response headers (e.g. the x-amz-replication-status moto never sets). Loopback only.

import * as http from "http";
import type { AddressInfo } from "net";

export type Fault =
    /** Forward unchanged. */
    | { kind: "pass" }
    /** Answer this status with an S3-style XML error, without forwarding. */
    | { kind: "status"; status: number; code?: string }
    /** Wait, then forward — unless the client gave up meanwhile, in which case nothing is forwarded. */
    | { kind: "delay"; ms: number }
    /** Destroy the connection without answering. */
    | { kind: "reset" }
    /** Forward, but destroy the connection after this many response body bytes. */
    | { kind: "truncate"; afterBytes: number }
    /** Forward, but stop sending (connection left open, silent) after this many response body bytes. */
    | { kind: "stall"; afterBytes: number }
    /** Forward and add these headers to the response. */
    | { kind: "headers"; headers: Record<string, string> }
    /** Run this first (e.g. a concurrent writer going to moto directly), then forward. */
    | { kind: "before"; run: () => Promise<void> };

export interface ProxiedRequest {
    method: string;
    /** Path without the query string, percent-decoded. */
    path: string;
    query: URLSearchParams;
}

export interface FaultRule {
    match?: (request: ProxiedRequest) => boolean;
    fault: Fault;
    /** How many requests the rule applies to (default: all). */
    times?: number;
}

export interface FaultProxy {
    readonly endpoint: string;
    readonly port: number;
    /** Every request seen, with the fault applied. */
    readonly seen: Array<ProxiedRequest & { fault: Fault["kind"] }>;
    setRules(rules: FaultRule[]): void;
    close(): Promise<void>;
}

const S3_ERROR_CODES: Record<number, string> = { 500: "InternalError", 503: "SlowDown", 403: "AccessDenied", 400: "InvalidRequest" };

function describe(request: http.IncomingMessage): ProxiedRequest {
    const url = new URL(request.url ?? "/", "http://proxy");
    let path = url.pathname;
    try {
        path = decodeURIComponent(path);
    } catch {
        // keep it raw
    }
    return { method: request.method ?? "GET", path, query: url.searchParams };
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
    const upstream = new URL(target);
    let rules: Array<FaultRule & { used: number }> = [];
    const seen: FaultProxy["seen"] = [];
    const agent = new http.Agent({ keepAlive: true });
    const sockets = new Set<import("net").Socket>();

    function pick(request: ProxiedRequest): Fault {
        for (const rule of rules) {
            if (rule.times !== undefined && rule.used >= rule.times) continue;
            if (rule.match !== undefined && !rule.match(request)) continue;
            rule.used++;
            return rule.fault;
        }
        return { kind: "pass" };
    }

    function forward(request: http.IncomingMessage, response: http.ServerResponse, fault: Fault): void {
        const headers = { ...request.headers, host: upstream.host };
        const out = http.request(
            { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers, agent },
            (answer) => {
                const responseHeaders = { ...answer.headers };
                if (fault.kind === "headers") Object.assign(responseHeaders, fault.headers);
                response.writeHead(answer.statusCode ?? 502, responseHeaders);
                if (fault.kind === "truncate" || fault.kind === "stall") {
                    let sent = 0;
                    answer.on("data", (chunk: Buffer) => {
                        if (sent >= fault.afterBytes) return;
                        if (sent + chunk.length >= fault.afterBytes) {
                            response.write(chunk.subarray(0, Math.max(0, fault.afterBytes - sent)));
                            sent = fault.afterBytes;
                            answer.destroy();
                            // Flush what was written, then cut the connection mid-body (or just go silent).
                            if (fault.kind === "truncate") setImmediate(() => response.socket?.destroy());
                        } else {
                            sent += chunk.length;
                            response.write(chunk);
                        }
                    });
                    answer.on("end", () => {
                        if (sent < fault.afterBytes) response.end();
                    });
                } else {
                    answer.pipe(response);
                }
            },
        );
        out.on("error", () => response.socket?.destroy());
        request.pipe(out);
    }

    const server = http.createServer((request, response) => {
        const described = describe(request);
        const fault = pick(described);
        seen.push({ ...described, fault: fault.kind });
        switch (fault.kind) {
            case "status": {
                request.resume();
                request.on("end", () => {
                    const code = fault.code ?? S3_ERROR_CODES[fault.status] ?? "InternalError";
                    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected by the fault proxy</Message><RequestId>fault</RequestId></Error>`;
                    response.writeHead(fault.status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
                    response.end(request.method === "HEAD" ? undefined : body);
                });
                return;
            }
            case "reset":
                request.socket.destroy();
                return;
            case "before": {
                request.pause();
                fault.run().then(
                    () => forward(request, response, fault),
                    () => request.socket.destroy(),
                );
                return;
            }
            case "delay": {
                let gone = false;
                response.on("close", () => (gone = true));
                request.pause();
                setTimeout(() => {
                    if (gone || request.socket.destroyed) return;
                    forward(request, response, fault);
                }, fault.ms);
                return;
            }
            default:
                forward(request, response, fault);
        }
    });
    server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;

    return {
        endpoint: `http://127.0.0.1:${port}`,
        port,
        seen,
        setRules(next) {
            rules = next.map((rule) => ({ ...rule, used: 0 }));
        },
        async close() {
            for (const socket of sockets) socket.destroy();
            agent.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
