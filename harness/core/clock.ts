/**
 * Time for systems, simulators and middleware. In sim mode it is virtual and
 * advanced only by the scheduler; in live mode it is the wall clock. Code under
 * test never calls Date.now or setTimeout directly, so the same code runs in both.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` after `delayMs`. Returns a function that cancels it. */
  setTimer(delayMs: number, callback: () => void, options?: TimerOptions): Cancel;
  sleep(delayMs: number): Promise<void>;
}

export type Cancel = () => void;

export interface TimerOptions {
  /**
   * A daemon timer (a periodic job such as reconciliation) does not keep a
   * simulated run alive on its own, like an unref'd timer in Node.
   */
  daemon?: boolean;
}

/** The virtual epoch every simulated run starts at, unless the scenario says otherwise. */
export const DEFAULT_SIM_EPOCH_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

/** A clock shifted by a constant offset: how clock-skew faults are applied. */
export function skewedClock(base: Clock, offsetMs: () => number): Clock {
  return {
    now: () => base.now() + offsetMs(),
    setTimer: (delayMs, callback, options) => base.setTimer(delayMs, callback, options),
    sleep: (delayMs) => base.sleep(delayMs),
  };
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, the way Odoo writes datetimes on the wire. */
export function formatOdooDatetime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

export function formatOdooDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
