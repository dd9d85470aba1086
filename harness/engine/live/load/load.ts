import type { ArrivalProfile } from './arrival-profile.ts';
import { Histogram } from './histogram.ts';
import type { HistogramSummary } from './histogram.ts';
import { monotonicMs, wallClock, yieldToEventLoop } from '../../../core/wall-clock.ts';

export { constantRate, rampRate, spikeRate, profile } from './arrival-profile.ts';
export type { ArrivalProfile, RampStage, RateSegment, SpikeOptions } from './arrival-profile.ts';

/** One arrival handed to the task. */
export interface Arrival {
  /** 0-based position in the profile. */
  index: number;
  /** When it was due, in ms after the load started. */
  intendedMs: number;
  /** Aborted when the load stops waiting for it (drain timeout or the caller's signal). */
  signal: AbortSignal;
}

export interface OpenLoadOptions {
  profile: ArrivalProfile;
  /** The work for one arrival (e.g. place one order). A rejection counts as failed. */
  task: (arrival: Arrival) => Promise<unknown>;
  /**
   * Most arrivals in flight at once (k6's maxVUs). An arrival due while this
   * many are running is dropped and counted, never queued: queueing would
   * hide the system's slowness (coordinated omission).
   */
  maxInFlight: number;
  /** How long to wait for arrivals still in flight after the last one (k6's gracefulStop); 30 s unless set. */
  drainTimeoutMs?: number;
  /** Width of the throughput-over-time buckets; 1 s unless set. */
  intervalMs?: number;
  /** Spin the event loop for sub-millisecond arrival precision; costs a full core. Off unless set. */
  busyWait?: boolean;
  /** Stops issuing arrivals early; those not issued are not counted as dropped. */
  signal?: AbortSignal;
}

export interface LoadInterval {
  /** Start of the bucket, in ms after the load started. */
  startMs: number;
  /** Arrivals due in this bucket that were started / dropped. */
  started: number;
  dropped: number;
  /** Arrivals that finished in this bucket, by outcome. */
  completed: number;
  failed: number;
}

export interface LoadResult {
  profile: string;
  plannedArrivals: number;
  plannedDurationMs: number;
  /** Planned arrivals per second over the whole profile. */
  targetRatePerSec: number;
  /** Arrivals issued (started + dropped) per second, between the first and the last issue: how well the generator kept pace. */
  measuredRatePerSec: number;
  started: number;
  dropped: number;
  completed: number;
  failed: number;
  /** Still in flight when the drain timeout ran out. */
  unfinished: number;
  /** Arrivals not issued because the caller aborted. */
  notIssued: number;
  maxInFlightSeen: number;
  /** From first arrival to the end of draining. */
  elapsedMs: number;
  /** From the intended arrival time to completion, in ms (includes any lateness of the generator). */
  latencyMs: HistogramSummary;
  /** How late arrivals were issued compared with their intended time, in ms. */
  issueLagMs: HistogramSummary;
  timeline: LoadInterval[];
  /** The most frequent failure messages with counts (at most 20 distinct). */
  errors: { message: string; count: number }[];
}

/**
 * Runs an open-model load (k6's arrival-rate executors): arrivals follow the
 * profile whatever the response times; latency is measured from when each
 * arrival was due, so a late generator or a slow system both show up.
 */
export async function runOpenLoad(options: OpenLoadOptions): Promise<LoadResult> {
  const { profile, task } = options;
  if (profile === null || typeof profile !== 'object' || typeof profile.timeOf !== 'function') {
    throw new TypeError('runOpenLoad: profile must come from constantRate, rampRate, spikeRate or profile()');
  }
  if (typeof task !== 'function') throw new TypeError('runOpenLoad: task must be a function (arrival) => Promise');
  if (!(Number.isInteger(options.maxInFlight) && options.maxInFlight > 0)) {
    throw new RangeError(`runOpenLoad: maxInFlight must be a positive integer (like k6's maxVUs), got ${String(options.maxInFlight)}`);
  }
  const drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 1_000;
  if (!(drainTimeoutMs >= 0)) throw new RangeError(`runOpenLoad: drainTimeoutMs must be >= 0, got ${String(drainTimeoutMs)}`);
  if (!(intervalMs > 0)) throw new RangeError(`runOpenLoad: intervalMs must be positive, got ${String(intervalMs)}`);

  const latency = new Histogram();
  const lag = new Histogram();
  const timeline: LoadInterval[] = [];
  const errors = new Map<string, number>();
  const stopWaiting = new AbortController();
  const bucket = (ms: number): LoadInterval => {
    const i = Math.max(0, Math.floor(ms / intervalMs));
    for (let j = timeline.length; j <= i; j++) timeline.push({ startMs: j * intervalMs, started: 0, dropped: 0, completed: 0, failed: 0 });
    return timeline[i]!;
  };
  bucket(profile.durationMs - 1);

  let inFlight = 0;
  let maxSeen = 0;
  let started = 0;
  let dropped = 0;
  let completed = 0;
  let failed = 0;
  let allSettled: (() => void) | undefined;
  const start = monotonicMs();

  const settle = (intendedMs: number, error: unknown) => {
    const now = monotonicMs() - start;
    latency.record(Math.max(0, now - intendedMs) * 1000);
    const slot = bucket(now);
    if (error === undefined) {
      completed++;
      slot.completed++;
    } else {
      failed++;
      slot.failed++;
      const message = error instanceof Error ? error.message : String(error);
      if (errors.has(message) || errors.size < 20) errors.set(message, (errors.get(message) ?? 0) + 1);
    }
    inFlight--;
    if (inFlight === 0) allSettled?.();
  };

  const issue = (index: number, intendedMs: number, now: number) => {
    lag.record(Math.max(0, now - intendedMs) * 1000);
    const slot = bucket(intendedMs);
    if (inFlight >= options.maxInFlight) {
      dropped++;
      slot.dropped++;
      return;
    }
    inFlight++;
    if (inFlight > maxSeen) maxSeen = inFlight;
    started++;
    slot.started++;
    let pending: Promise<unknown>;
    try {
      pending = task({ index, intendedMs, signal: stopWaiting.signal });
    } catch (error) {
      pending = Promise.reject(error);
    }
    Promise.resolve(pending).then(
      () => settle(intendedMs, undefined),
      (error: unknown) => settle(intendedMs, error ?? new Error('task rejected without a reason')),
    );
  };

  const total = profile.arrivals;
  let next = 0;
  let firstIssueAt = -1;
  let lastIssueAt = 0;
  while (next < total) {
    if (options.signal?.aborted === true) break;
    const now = monotonicMs() - start;
    let due = profile.timeOf(next);
    while (due <= now) {
      issue(next, due, now);
      if (firstIssueAt < 0) firstIssueAt = now;
      lastIssueAt = now;
      next++;
      if (next >= total) break;
      due = profile.timeOf(next);
    }
    if (next >= total) break;
    const wait = due - (monotonicMs() - start);
    // Timers have millisecond resolution: below that, either spin the event loop
    // (exact, but burns the core the systems under test need) or wake on the
    // next millisecond and issue what is due then (late by under ~1 ms, which
    // the latency from the intended time shows).
    if (wait >= 1) await wallClock.sleep(Math.floor(wait));
    else if (options.busyWait === true) await yieldToEventLoop();
    else await wallClock.sleep(1);
  }
  const notIssued = total - next;

  if (inFlight > 0) {
    await new Promise<void>((resolve) => {
      const cancel = wallClock.setTimer(drainTimeoutMs, resolve);
      allSettled = () => {
        cancel();
        resolve();
      };
    });
  }
  const unfinished = inFlight;
  stopWaiting.abort(new Error('the load stopped waiting for this arrival (drain timeout)'));
  const elapsedMs = monotonicMs() - start;
  const issued = started + dropped;
  const issuingMs = lastIssueAt - firstIssueAt;
  const measuredRatePerSec = issued > 1 && issuingMs > 0 ? ((issued - 1) / issuingMs) * 1000 : 0;

  return {
    profile: profile.name,
    plannedArrivals: total,
    plannedDurationMs: profile.durationMs,
    targetRatePerSec: (total / profile.durationMs) * 1000,
    measuredRatePerSec,
    started,
    dropped,
    completed,
    failed,
    unfinished,
    notIssued,
    maxInFlightSeen: maxSeen,
    elapsedMs,
    latencyMs: inMs(latency),
    issueLagMs: inMs(lag),
    timeline,
    errors: [...errors].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count),
  };
}

function inMs(histogram: Histogram): HistogramSummary {
  const s = histogram.summary();
  return { count: s.count, min: s.min / 1000, mean: s.mean / 1000, p50: s.p50 / 1000, p95: s.p95 / 1000, p99: s.p99 / 1000, max: s.max / 1000 };
}
