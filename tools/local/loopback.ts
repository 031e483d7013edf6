// Every local server (the Function URL stand-in, the S3 endpoint, the fault proxy) listens on
// 127.0.0.1 only, and stops by closing its open connections first: a keep-alive client would otherwise
// hold server.close() open until it hung up.

import type * as http from "http";
import type { AddressInfo } from "net";

export interface LoopbackServer {
    readonly endpoint: string;
    readonly port: number;
    close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0: any free port); a port in use is an error that says so, and `inUseHint`. */
export function listenOnLoopback(server: http.Server, port = 0, inUseHint = ""): Promise<LoopbackServer> {
    return new Promise((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? new Error(`port ${port} is already in use on 127.0.0.1${inUseHint}`) : error));
        server.listen(port, "127.0.0.1", () => {
            const bound = (server.address() as AddressInfo).port;
            resolve({
                endpoint: `http://127.0.0.1:${bound}`,
                port: bound,
                close: () =>
                    new Promise<void>((closed) => {
                        server.closeAllConnections();
                        server.close(() => closed());
                    }),
            });
        });
    });
}
