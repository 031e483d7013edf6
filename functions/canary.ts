// The replication canary: the primary writes a probe every minute, and each side measures how old the
// newest *replicated* probe is — the live recovery point objective — and publishes it as
// METRICS.replicationLag. `GET /health` reads the same measurement.
//
// Probe keys sort newest-first: `canary/probes/<13-digit reverse epoch ms>-<region>-<random>`, so the
// first key of a listing is the newest probe and the write time is read from the key itself.
//
// What each side measures:
// - standby: the newest probe present in its bucket. Only replication puts probes there (a standby
//   never writes them), so lag = now - written-at of the first key.
// - primary: the newest of its own probes whose ReplicationStatus is COMPLETED (HeadObject, newest
//   first, at most `scanLimit` probes). When the scanned probes are all PENDING/FAILED the lag is at
//   least the age of the oldest scanned one: that lower bound is published (exact: false), so a stalled
//   replication shows as a growing lag. When no scanned probe carries a replication status at all,
//   replication is not configured (e.g. a promoted standby running without its peer): nothing is
//   published and a warning is logged.
// - no probe at all: nothing is published (the alarm's missing-data treatment decides) and a warning
//   is logged.
//
// `GET /health` cannot afford that scan on every request (up to 11 S3 calls when replication stalls):
// it uses the lag tracker below, which makes at most one LIST and one HEAD per measurement, remembers
// the newest probe it saw COMPLETED, and reuses a measurement for one canary period.

import { METRICS, PREFIX, StackRole } from "./contract";
import { InvocationContext, remainingBudget } from "./invocation";
import type { Logger, Metrics } from "./observability";
import { isStorageError, Storage } from "./storage";

/** Reverse timestamps are 13 digits: valid for epoch milliseconds up to the year 2286. */
const REVERSE_BASE = 9_999_999_999_999;

const PROBE_KEY = /^canary\/probes\/(\d{13})-/;

const NOT_CONFIGURED = "no recent probe carries a replication status (replication is not configured)";

/** The key of a probe written at `writtenAtMs`, sorting before every older probe. */
export function probeKey(writtenAtMs: number, region: string, nonce: string): string {
    const reverse = String(REVERSE_BASE - Math.floor(writtenAtMs)).padStart(13, "0");
    return `${PREFIX.probes}${reverse}-${region}-${nonce}`;
}

/** The write time (epoch ms) encoded in a probe key, or undefined for anything else. */
export function probeWrittenAt(key: string): number | undefined {
    const match = PROBE_KEY.exec(key);
    return match === null ? undefined : REVERSE_BASE - Number(match[1]);
}

export interface LagReading {
    /** Age of the newest replicated probe, seconds (never negative). */
    seconds: number;
    probeKey: string;
    writtenAt: string;
    /** False when the value is a lower bound (no scanned probe had completed replication). */
    exact: boolean;
}

export interface LagMeasurement {
    reading: LagReading | null;
    /** Why there is no reading, when there is none. */
    reason?: string;
    /** Probes examined (listed, and HEAD-ed on the primary). */
    scanned: number;
}

export interface LagReaderOptions {
    storage: Storage;
    role: StackRole;
    now?: () => number;
    /** How many of the newest probes the primary examines (default 10: ten minutes of probes). */
    scanLimit?: number;
}

export interface LagReader {
    measure(signal?: AbortSignal): Promise<LagMeasurement>;
}

interface Probe {
    key: string;
    writtenAt: number;
}

async function listProbes(storage: Storage, maxKeys: number, signal: AbortSignal | undefined): Promise<Probe[]> {
    const listed = await storage.list(PREFIX.probes, { maxKeys, signal });
    return listed.items
        .map((item) => ({ key: item.key, writtenAt: probeWrittenAt(item.key) }))
        .filter((p): p is Probe => p.writtenAt !== undefined);
}

function reading(key: string, writtenAt: number, now: number, exact: boolean): LagReading {
    const seconds = Math.max(0, Math.round(now - writtenAt) / 1000);
    return { seconds, probeKey: key, writtenAt: new Date(writtenAt).toISOString(), exact };
}

export function createLagReader(options: LagReaderOptions): LagReader {
    const now = options.now ?? Date.now;
    const scanLimit = Math.max(1, Math.min(options.scanLimit ?? 10, 100));
    const storage = options.storage;

    return {
        async measure(signal) {
            const probes = await listProbes(storage, options.role === "standby" ? 5 : scanLimit, signal);
            if (probes.length === 0) {
                return { reading: null, reason: "no canary probe in the bucket", scanned: 0 };
            }
            if (options.role === "standby") {
                const newest = probes[0];
                return { reading: reading(newest.key, newest.writtenAt, now(), true), scanned: 1 };
            }
            let oldestTracked: { key: string; writtenAt: number } | undefined;
            let scanned = 0;
            for (const probe of probes.slice(0, scanLimit)) {
                let status: string | undefined;
                try {
                    status = (await storage.head(probe.key, { signal })).replicationStatus;
                } catch (error) {
                    // Expired by the lifecycle rule between the listing and the HEAD: look further.
                    if (isStorageError(error) && error.storageErrorKind === "not_found") continue;
                    throw error;
                } finally {
                    scanned++;
                }
                if (status === "COMPLETED") {
                    return { reading: reading(probe.key, probe.writtenAt, now(), true), scanned };
                }
                if (status === "PENDING" || status === "FAILED") {
                    oldestTracked = probe;
                }
                // No status, or REPLICA (a probe replicated to us before a failover): says nothing
                // about replication out of this bucket.
            }
            if (oldestTracked !== undefined) {
                return { reading: reading(oldestTracked.key, oldestTracked.writtenAt, now(), false), scanned };
            }
            return { reading: null, reason: NOT_CONFIGURED, scanned };
        },
    };
}

export interface LagTrackerOptions extends LagReaderOptions {
    /** How long a measurement is reused (ms): one canary period, the resolution of the lag anyway. */
    reuseMs: number;
}

/**
 * The lag at a bounded cost: each measurement is one LIST of the newest probes and at most one HEAD,
 * and is reused for `reuseMs`. On the primary it HEADs the newest probe when it already knows a
 * COMPLETED one (then the lag is exact, or — still pending — at most the age of the known one), and
 * otherwise the oldest listed probe (COMPLETED: the lag is at most its age; PENDING or FAILED:
 * replication has been stalled for at least its age). The state lives as long as the container.
 */
export function createLagTracker(options: LagTrackerOptions): LagReader {
    const now = options.now ?? Date.now;
    const scanLimit = Math.max(1, Math.min(options.scanLimit ?? 10, 100));
    const { storage, role } = options;
    let completed: Probe | undefined;
    let last: { at: number; probe: Probe | null; exact: boolean; reason?: string; scanned: number } | undefined;

    async function fresh(signal: AbortSignal | undefined): Promise<{ probe: Probe | null; exact: boolean; reason?: string; scanned: number }> {
        const probes = await listProbes(storage, role === "standby" ? 1 : scanLimit, signal);
        if (probes.length === 0) return { probe: null, exact: false, reason: "no canary probe in the bucket", scanned: 0 };
        if (role === "standby") return { probe: probes[0], exact: true, scanned: 1 };
        const unknown = completed === undefined ? probes : probes.filter((p) => p.writtenAt > completed!.writtenAt);
        if (unknown.length === 0) return { probe: completed!, exact: true, scanned: 0 };
        const target = completed === undefined ? unknown[unknown.length - 1] : unknown[0];
        let status: string | undefined;
        try {
            status = (await storage.head(target.key, { signal })).replicationStatus;
        } catch (error) {
            // Expired by the lifecycle rule between the listing and the HEAD.
            if (isStorageError(error) && error.storageErrorKind === "not_found") {
                return completed === undefined ? { probe: null, exact: false, reason: "the probe expired while being read", scanned: 1 } : { probe: completed, exact: false, scanned: 1 };
            }
            throw error;
        }
        if (status === "COMPLETED") {
            completed = target;
            return { probe: target, exact: target === probes[0], scanned: 1 };
        }
        if (status === "PENDING" || status === "FAILED") return { probe: completed ?? target, exact: false, scanned: 1 };
        return { probe: null, exact: false, reason: NOT_CONFIGURED, scanned: 1 };
    }

    return {
        async measure(signal) {
            if (last === undefined || now() - last.at >= options.reuseMs) {
                const at = now();
                last = { at, ...(await fresh(signal)) };
            }
            const { probe, exact, reason, scanned } = last;
            return probe === null ? { reading: null, reason, scanned } : { reading: reading(probe.key, probe.writtenAt, now(), exact), scanned };
        },
    };
}

export interface CanaryOptions {
    storage: Storage;
    role: StackRole;
    region: string;
    log: Logger;
    metrics: Metrics;
    now?: () => number;
    /** Random suffix of a probe key (keeps two writers in the same millisecond apart). */
    nonce?: () => string;
    scanLimit?: number;
    /** How long a run may take (default 20 s); the callback passes the Lambda's remaining time. */
    budgetMs?: (context: InvocationContext | undefined) => number;
}

export interface CanaryResult {
    role: StackRole;
    /** The probe written by this run (primary only). */
    probe?: string;
    lag: LagReading | null;
    reason?: string;
}

export function createCanary(options: CanaryOptions) {
    const now = options.now ?? Date.now;
    const nonce = options.nonce ?? (() => Math.random().toString(36).slice(2, 10).padEnd(8, "0"));
    const lagReader = createLagReader({ storage: options.storage, role: options.role, now, scanLimit: options.scanLimit });
    const { log, metrics, storage } = options;

    return async function canary(_event: unknown, context?: InvocationContext): Promise<CanaryResult> {
        log.startInvocation(context);
        const budget = options.budgetMs?.(context) ?? remainingBudget(context, 20_000, 2_000);
        const signal = AbortSignal.timeout(budget);
        const result: CanaryResult = { role: options.role, lag: null };
        let writeError: unknown;
        if (options.role === "primary") {
            const writtenAt = now();
            const key = probeKey(writtenAt, options.region, nonce());
            const iso = new Date(writtenAt).toISOString();
            try {
                await storage.put(key, JSON.stringify({ writtenAt: iso, region: options.region }), {
                    contentType: "application/json",
                    metadata: { "written-at": iso, region: options.region },
                    signal,
                });
                result.probe = key;
            } catch (error) {
                // Still measure and publish: the lag of earlier probes is what the alarm needs.
                writeError = error;
                log.error("canary probe write failed", { probe: key, error });
            }
        }
        const measurement = await lagReader.measure(signal);
        result.lag = measurement.reading;
        if (measurement.reading !== null) {
            metrics.addMetric(METRICS.replicationLag, "Seconds", measurement.reading.seconds);
            metrics.publishStoredMetrics();
            log.info("replication lag", { ...measurement.reading, scanned: measurement.scanned });
        } else {
            result.reason = measurement.reason;
            log.warn("no replication lag to publish", { reason: measurement.reason, scanned: measurement.scanned, role: options.role });
        }
        if (writeError !== undefined) {
            throw writeError;
        }
        return result;
    };
}
