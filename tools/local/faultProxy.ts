// A small fault-injecting HTTP proxy in front of moto: forwards requests unchanged, or, for requests
// matching a rule, answers an error status, stalls, drops the connection, cuts a response body short,
// or adds response headers (e.g. the x-amz-replication-status moto never sets). Optionally it caps the
// bandwidth of every client connection, as one connection to S3 is capped. Loopback only.
//
// Everything it does is recorded per request (`seen`): the connection it came on, its Range header,
// the status and body bytes it answered, and when (this process's clock), so that tests can assert on
// what went over the wire rather than on how long something took.

import * as http from "http";
import type { Socket } from "net";
import { performance } from "perf_hooks";
import { listenOnLoopback, LoopbackServer } from "./loopback";

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
    /**
     * Forward, but answer a complete, well-framed body of only this many bytes (Content-Length
     * rewritten, every other header — Content-Range included — as the server sent it): a server that
     * says it sends a range and sends less.
     */
    | { kind: "short"; bytes: number }
    /** Forward and add these headers to the response. */
    | { kind: "headers"; headers: Record<string, string> }
    /** Run this first (e.g. a concurrent writer going to moto directly), then forward. */
    | { kind: "before"; run: () => Promise<void> };

export interface ProxiedRequest {
    method: string;
    /** Path without the query string, percent-decoded. */
    path: string;
    query: URLSearchParams;
    /** The Range and If-Match headers, if any. */
    range?: string;
    ifMatch?: string;
}

/** A request as the proxy handled it; the answer fields fill in as the answer goes out. */
export interface SeenRequest extends ProxiedRequest {
    fault: Fault["kind"];
    /** Which client connection it came on (1, 2, …, in the order connections were accepted). */
    connection: number;
    /** performance.now() when the request arrived, when the server's answer began, and when the answer ended (or was cut). */
    startedAt: number;
    answeredAt?: number;
    endedAt?: number;
    /** When it was sent on to the server (undefined: it never reached the server). */
    forwardedAt?: number;
    /**
     * When its connection closed before the answer was complete, by either side: after `endedAt` for a
     * stalled answer (the client gave up), without `forwardedAt` for a delayed one the client abandoned.
     */
    closedAt?: number;
    /** The status answered (undefined when the connection was dropped before an answer). */
    status?: number;
    /** Response body bytes written to the client. */
    bytes: number;
}

export interface FaultRule {
    match?: (request: ProxiedRequest) => boolean;
    fault: Fault;
    /** How many requests the rule applies to (default: all). */
    times?: number;
}

export interface FaultProxyOptions {
    /**
     * Cap of every client connection, in response body bytes per second (a token bucket per socket:
     * over any interval t a connection carries at most `burstBytes` + rate × t). Default: no cap.
     */
    bytesPerSecond?: number;
    /** The bucket's depth (what a fresh connection may send at once); default 5 ms worth of the rate, at least 16 KiB. */
    burstBytes?: number;
}

export interface FaultProxy extends LoopbackServer {
    /** Every request seen, with the fault applied and its answer. */
    readonly seen: SeenRequest[];
    /** The cap in force (undefined: none) and the bucket depth. */
    readonly bandwidth: { bytesPerSecond: number; burstBytes: number } | undefined;
    setRules(rules: FaultRule[]): void;
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
    const { range, "if-match": ifMatch } = request.headers;
    return { method: request.method ?? "GET", path, query: url.searchParams, ...(range !== undefined ? { range } : {}), ...(ifMatch !== undefined ? { ifMatch } : {}) };
}

/** The clock a bucket reads and the timer it waits on (a test replaces them). */
export interface BucketClock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

const realClock: BucketClock = { now: () => performance.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** Tokens are bytes; a write of n bytes waits until the bucket holds n. */
export class TokenBucket {
    private tokens: number;
    private at: number;

    constructor(private readonly rate: number, private readonly depth: number, private readonly clock: BucketClock = realClock) {
        this.tokens = depth;
        this.at = clock.now();
    }

    /** Takes n ≤ depth tokens, waiting for them when the bucket holds fewer. */
    async take(n: number): Promise<void> {
        // More than the bucket holds would never be there: the caller must cut its writes to the depth.
        if (n > this.depth) throw new RangeError(`a take of ${n} bytes exceeds the bucket's depth of ${this.depth}`);
        for (;;) {
            const now = this.clock.now();
            this.tokens = Math.min(this.depth, this.tokens + ((now - this.at) / 1000) * this.rate);
            this.at = now;
            if (this.tokens >= n) {
                this.tokens -= n;
                return;
            }
            // Checked again on waking: a timer counts from the event loop's cached time, which lags the
            // clock when the loop is busy, so it can fire before the tokens are really there. The delay
            // is rounded up because Node truncates a fractional one.
            await this.clock.sleep(Math.ceil(((n - this.tokens) / this.rate) * 1000));
        }
    }
}

function writeAll(response: http.ServerResponse, chunk: Buffer): Promise<boolean> {
    if (response.destroyed) return Promise.resolve(false);
    if (response.write(chunk)) return Promise.resolve(true);
    return new Promise((resolve) => {
        const done = (ok: boolean) => {
            response.off("drain", onDrain);
            response.off("close", onClose);
            resolve(ok);
        };
        const onDrain = () => done(true);
        const onClose = () => done(false);
        response.on("drain", onDrain);
        response.on("close", onClose);
    });
}

export async function startFaultProxy(target: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
    const upstream = new URL(target);
    let rules: Array<FaultRule & { used: number }> = [];
    const seen: SeenRequest[] = [];
    const agent = new http.Agent({ keepAlive: true });
    const connections = new WeakMap<Socket, { id: number; bucket?: TokenBucket }>();
    let connectionCount = 0;
    const rate = options.bytesPerSecond;
    if (rate !== undefined && !(rate > 0)) throw new Error(`bytesPerSecond must be positive, got ${rate}`);
    const bandwidth = rate === undefined ? undefined : { bytesPerSecond: rate, burstBytes: Math.floor(options.burstBytes ?? Math.max(16 * 1024, rate / 200)) };

    function pick(request: ProxiedRequest): Fault {
        for (const rule of rules) {
            if (rule.times !== undefined && rule.used >= rule.times) continue;
            if (rule.match !== undefined && !rule.match(request)) continue;
            rule.used++;
            return rule.fault;
        }
        return { kind: "pass" };
    }

    /** Copies the answer's body to the client through the connection's bucket, up to `limit` bytes. */
    async function relay(answer: http.IncomingMessage, response: http.ServerResponse, limit: number, bucket: TokenBucket | undefined, record: SeenRequest): Promise<"complete" | "limited" | "gone"> {
        const slice = bandwidth?.burstBytes ?? Infinity;
        try {
            for await (const chunk of answer as AsyncIterable<Buffer>) {
                for (let offset = 0; offset < chunk.length; offset += slice) {
                    const piece = chunk.subarray(offset, Math.min(chunk.length, offset + slice, offset + limit - record.bytes));
                    if (piece.length > 0) {
                        await bucket?.take(piece.length);
                        if (!(await writeAll(response, piece))) return "gone";
                        record.bytes += piece.length;
                    }
                    if (record.bytes >= limit) return "limited";
                }
            }
        } catch {
            return "gone";
        }
        return "complete";
    }

    function forward(request: http.IncomingMessage, response: http.ServerResponse, fault: Fault, record: SeenRequest): void {
        const headers = { ...request.headers, host: upstream.host };
        const bucket = connections.get(request.socket)?.bucket;
        record.forwardedAt = performance.now();
        const out = http.request(
            { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers, agent },
            (answer) => {
                // Connection handling is hop-by-hop (RFC 9110 §7.6.1): the client's connection stays open
                // like one to S3 does, whatever the server does with the proxy's.
                const { connection: _connection, "keep-alive": _keepAlive, ...responseHeaders } = answer.headers;
                if (fault.kind === "headers") Object.assign(responseHeaders, fault.headers);
                let limit = Infinity;
                if (fault.kind === "truncate" || fault.kind === "stall") limit = fault.afterBytes;
                if (fault.kind === "short" && Number(answer.headers["content-length"]) > fault.bytes) {
                    limit = fault.bytes;
                    responseHeaders["content-length"] = String(fault.bytes);
                }
                record.status = answer.statusCode ?? 502;
                record.answeredAt = performance.now();
                response.writeHead(record.status, responseHeaders);
                void relay(answer, response, limit, bucket, record).then((how) => {
                    record.endedAt = performance.now();
                    if (how === "complete" || (how === "limited" && fault.kind === "short")) {
                        if (how === "limited") answer.destroy();
                        response.end();
                    } else if (how === "limited") {
                        answer.destroy();
                        // Flush what was written, then cut the connection mid-body (or just go silent).
                        if (fault.kind === "truncate") setImmediate(() => response.socket?.destroy());
                    } else {
                        answer.destroy();
                        response.socket?.destroy();
                    }
                });
            },
        );
        out.on("error", () => {
            record.endedAt = performance.now();
            response.socket?.destroy();
        });
        request.pipe(out);
    }

    const server = http.createServer((request, response) => {
        const described = describe(request);
        const fault = pick(described);
        const record: SeenRequest = { ...described, fault: fault.kind, connection: connections.get(request.socket)?.id ?? 0, startedAt: performance.now(), bytes: 0 };
        seen.push(record);
        response.on("close", () => {
            if (!response.writableFinished) record.closedAt = performance.now();
        });
        switch (fault.kind) {
            case "status": {
                request.resume();
                request.on("end", () => {
                    const code = fault.code ?? S3_ERROR_CODES[fault.status] ?? "InternalError";
                    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected by the fault proxy</Message><RequestId>fault</RequestId></Error>`;
                    record.status = fault.status;
                    response.writeHead(fault.status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
                    response.end(request.method === "HEAD" ? undefined : body);
                    record.endedAt = performance.now();
                });
                return;
            }
            case "reset":
                request.socket.destroy();
                record.endedAt = performance.now();
                return;
            case "before": {
                request.pause();
                fault.run().then(
                    () => forward(request, response, fault, record),
                    () => request.socket.destroy(),
                );
                return;
            }
            case "delay": {
                request.pause();
                setTimeout(() => {
                    if (record.closedAt !== undefined || request.socket.destroyed) return;
                    forward(request, response, fault, record);
                }, fault.ms);
                return;
            }
            default:
                forward(request, response, fault, record);
        }
    });
    server.on("connection", (socket: Socket) => {
        connections.set(socket, { id: ++connectionCount, bucket: bandwidth && new TokenBucket(bandwidth.bytesPerSecond, bandwidth.burstBytes) });
    });
    const listening = await listenOnLoopback(server);

    return {
        endpoint: listening.endpoint,
        port: listening.port,
        seen,
        bandwidth,
        setRules(next) {
            rules = next.map((rule) => ({ ...rule, used: 0 }));
        },
        async close() {
            agent.destroy();
            await listening.close();
        },
    };
}
