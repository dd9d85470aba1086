import type { Cancel, Clock } from './clock.ts';
import { skewedClock } from './clock.ts';
import type { SystemFetch } from './system.ts';

/** One life of a system between crashes: its clock (skewed, timers tracked) and whether it still lives. */
export interface Incarnation {
  readonly clock: Clock;
  alive(): boolean;
  /**
   * Its timers that are work still to do (a retry, a re-check), not the
   * daemon timers of periodic jobs: a run is not quiet while any is pending,
   * in sim (the scheduler's pending work) and in live mode alike.
   */
  pendingWork(): number;
  /** What the operating system would release at its death (open files); run once, at `kill`. */
  onKill(release: () => void): void;
  /**
   * `fetch` as this incarnation's own: once it is dead, a call neither goes
   * out nor comes back, and the promise never settles. A killed process runs
   * no more code; in one Node process the dead system's awaits would resume
   * and act (confirm the order whose create it sent before the crash), so
   * they must never resume. What is in flight at the death still reaches the
   * wire and its history events; only the dead caller never hears of it.
   */
  fence(fetch: SystemFetch): SystemFetch;
  /** Cancels its timers, releases what it registered; its fenced fetch goes silent from now on. */
  kill(): void;
}

/** What a dead incarnation's await waits on: nothing, ever. A fresh one each time, so the dead code it holds can be collected. */
function never(): Promise<never> {
  return new Promise<never>(() => undefined);
}

export function createIncarnation(base: Clock, skewMs: () => number): Incarnation {
  const timers = new Set<Cancel>();
  const work = new Set<Cancel>();
  const releases: Array<() => void> = [];
  let alive = true;
  const tracking: Clock = {
    now: () => base.now(),
    setTimer(delayMs, callback, options) {
      if (!alive) return () => undefined;
      const cancel = base.setTimer(
        delayMs,
        () => {
          timers.delete(cancel);
          work.delete(cancel);
          callback();
        },
        options,
      );
      timers.add(cancel);
      if (options?.daemon !== true) work.add(cancel);
      return () => {
        timers.delete(cancel);
        work.delete(cancel);
        cancel();
      };
    },
    sleep: (delayMs) => new Promise((resolve) => tracking.setTimer(delayMs, resolve)),
  };
  return {
    clock: skewedClock(tracking, skewMs),
    alive: () => alive,
    pendingWork: () => work.size,
    onKill(release) {
      if (alive) releases.push(release);
      else release();
    },
    fence(fetch) {
      return (input, init) => {
        if (!alive) return never();
        return fetch(input, init).then(
          (response) => (alive ? response : never()),
          (error: unknown) => (alive ? Promise.reject(error) : never()),
        );
      };
    },
    kill() {
      if (!alive) return;
      alive = false;
      for (const cancel of [...timers]) cancel();
      timers.clear();
      work.clear();
      for (const release of releases.splice(0)) release();
    },
  };
}
