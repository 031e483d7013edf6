// The bench's second process (./benchWorker.js): the load and the bare-SDK baselines run there, so the
// code under test and its baseline each run in a process of their own.
import { ChildProcess, fork } from "child_process";
import * as path from "path";
import { lambdaNodeFlags, REPO_ROOT } from "../bundle/bundle";

export interface Worker {
    readonly pid: number;
    request(message: Record<string, unknown>): Promise<any>;
    stop(): void;
}

/** Starts the worker with a function's environment and the node flags Lambda would run that function with, as its baseline runs beside it. */
export function startWorker(env: Record<string, string>): Promise<Worker> {
    const child: ChildProcess = fork(path.join(__dirname, "benchWorker.js"), [], {
        cwd: REPO_ROOT,
        execArgv: lambdaNodeFlags(env),
        env: { PATH: process.env.PATH ?? "", ...env },
        stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    let next = 1;
    const waiting = new Map<number, (m: any) => void>();
    child.on("message", (m: any) => {
        const w = waiting.get(m?.id);
        if (w) {
            waiting.delete(m.id);
            w(m);
        }
    });
    return new Promise((resolve, reject) => {
        child.once("message", () =>
            resolve({
                pid: child.pid!,
                request: (m) =>
                    new Promise((res, rej) => {
                        const id = next++;
                        waiting.set(id, (answer) => (answer.error ? rej(new Error(answer.error)) : res(answer)));
                        child.send({ ...m, id });
                    }),
                stop: () => child.kill(),
            }),
        );
        child.once("exit", (code) => reject(new Error(`bench worker exited (${code})`)));
    });
}
