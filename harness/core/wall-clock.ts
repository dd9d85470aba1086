import type { Cancel, Clock } from './clock.ts';

/*
 * The one module in live mode that touches real time: Date.now, the
 * high-resolution monotonic clock and real timers. Everything else in
 * live mode (harness/engine/live) takes its time from here, so a lint rule can keep bare timers
 * out of the rest of the code base.
 */

/** The wall clock: a `Clock` on real time, for systems served in live mode. */
export const wallClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs: number, callback: () => void, options?: { daemon?: boolean }): Cancel {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const handle = setTimeout(callback, delay);
    // Daemon timers (periodic jobs) must not keep the process alive, as in sim mode.
    if (options?.daemon === true) handle.unref();
    return () => clearTimeout(handle);
  },
  sleep: (delayMs: number) =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0);
    }),
};

/**
 * Milliseconds on a monotonic clock with sub-millisecond resolution (never
 * jumps with NTP): for measuring latencies and pacing load.
 */
export function monotonicMs(): number {
  return performance.now();
}

/** Lets I/O callbacks run before continuing a busy loop (a load generator's tick). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A timer that does not keep the process alive: for watchdogs and deadlines
 * that must never be the reason a run hangs on exit.
 */
export function unrefTimer(delayMs: number, callback: () => void): Cancel {
  const handle = setTimeout(callback, Math.max(0, delayMs));
  handle.unref();
  return () => clearTimeout(handle);
}
