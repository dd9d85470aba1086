import type { Clock } from '../../core/clock.ts';

export interface QuietOptions {
  /** The load is over: every order placed and settled (the capture platform's `finished()`). */
  loadDone: () => boolean;
  /** Why the world is still busy (requests in flight, webhooks pending, parcels on their way), or undefined when idle. */
  busy: () => string | undefined;
  /** How long the world keeps running after the load ends, for retries and reconciliation (sim's settle, scaled). */
  settleMs: number;
  /** The hard bound, on the same clock, when the run stops waiting. */
  deadlineMs: number;
  clock: Clock;
  /** Time between looks; 250 ms unless set. */
  pollMs?: number;
  /** The world must look idle this many looks in a row; 3 unless set. */
  idleLooks?: number;
  onProgress?: (text: string) => void;
  /** Stops waiting early (Ctrl-C, a fatal error elsewhere). */
  signal?: AbortSignal;
}

export interface QuietResult {
  quiescent: boolean;
  /** What was still going on when the deadline came, if it did. */
  busyWith: string | undefined;
  loadDoneAtMs: number | undefined;
}

/**
 * Live mode's counterpart of the sim engine's "no work left": waits until the
 * load is done, the settle window has passed and the world has looked idle
 * several times in a row, or until the deadline.
 */
export async function waitForQuiet(options: QuietOptions): Promise<QuietResult> {
  const { clock } = options;
  const pollMs = options.pollMs ?? 250;
  const idleLooks = options.idleLooks ?? 3;
  let loadDoneAtMs: number | undefined;
  let idleInARow = 0;
  let busyWith: string | undefined = 'the load';
  let looks = 0;
  // Bounded by the deadline; the count is a second guard against a clock that does not move.
  const maxLooks = Math.ceil(Math.max(0, options.deadlineMs - clock.now()) / pollMs) + 10;
  while (clock.now() < options.deadlineMs && looks++ < maxLooks && options.signal?.aborted !== true) {
    const now = clock.now();
    if (loadDoneAtMs === undefined && options.loadDone()) loadDoneAtMs = now;
    busyWith = loadDoneAtMs === undefined ? 'the load' : options.busy();
    if (loadDoneAtMs !== undefined && busyWith === undefined && now >= loadDoneAtMs + options.settleMs) {
      if (++idleInARow >= idleLooks) return { quiescent: true, busyWith: undefined, loadDoneAtMs };
    } else {
      idleInARow = 0;
    }
    if (options.onProgress !== undefined && looks % 8 === 0) {
      const settleLeft = loadDoneAtMs === undefined ? undefined : Math.max(0, loadDoneAtMs + options.settleMs - now);
      options.onProgress(busyWith !== undefined ? `waiting for ${busyWith}` : `settling (${Math.ceil((settleLeft ?? 0) / 1000)} s left)`);
    }
    await clock.sleep(pollMs);
  }
  return { quiescent: false, busyWith: busyWith ?? 'the settle window', loadDoneAtMs };
}
