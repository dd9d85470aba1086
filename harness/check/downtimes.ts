import type { FaultSpec } from '../core/faults.ts';

/**
 * Faults that shut a door for a while: the middleware's (a crash) or Odoo's
 * (an outage, a cut link, a method refusing every call, calls held past the
 * caller's timeout). Each generated one
 * is short enough for its own sake, but several close together are one long
 * stretch to whoever waits behind them, and a stretch no design can make up
 * for says nothing about the design. These keep a case's stretches inside a
 * budget.
 */
export interface DowntimeBudget {
  /** Stretches with a gap shorter than this are one: a sender backing off may sleep through the gap. */
  joinMs: number;
  /** Every joined stretch stays shorter than this. */
  limitMs: number;
}

type Window = readonly [number, number];

/** How long a design may rightly wait between two tries at Odoo (the reference designs back off up to a minute, and reconcile every 30 s). */
export const DESIGN_RETRY_GAP_MS = 120_000;

/**
 * The share of the convergence bound Odoo may be shut for in one stretch: an
 * order placed as it starts still has the rest to reach Odoo once it ends.
 */
export const ODOO_DOWN_SHARE = 0.8;

/** When a fault keeps the middleware down. */
export function middlewareDown(fault: FaultSpec): Window[] {
  if (fault.kind !== 'crash' || !('system' in fault) || fault.system !== 'middleware' || fault.schedule?.kind !== 'window') return [];
  return [[fault.schedule.fromMs, fault.schedule.fromMs + fault.restartAfterMs]];
}

/**
 * How long Odoo may rightly take to answer once a call reaches it (the
 * emulated Odoo's few workers take tens of ms, more in a queue): a call held
 * on the way for longer than the caller's timeout less this is never answered
 * in time, though it is still done. Below a tenth of the reference designs'
 * 10 s, so the crash-loop aim's holds (at most 90 % of the timeout) still
 * leave a call time to return, as that aim intends.
 */
export const ANSWER_TIME_MS = 500;

/**
 * When a fault keeps the middleware, which gives up on an Odoo call after
 * `timeoutMs`, from getting anything done in Odoo: Odoo out, its link cut,
 * one method refusing every call, or every call held so long that no answer
 * can come back in time (a delay, or a latency there and back, within
 * `ANSWER_TIME_MS` of the timeout). Every call then fails or is left unknown,
 * which shuts Odoo as surely as an outage.
 */
export function odooDown(timeoutMs: number): (fault: FaultSpec) => Window[] {
  const tooSlowMs = timeoutMs - ANSWER_TIME_MS;
  return (fault) => {
    if (fault.schedule?.kind !== 'window') return [];
    const window: Window = [fault.schedule.fromMs, fault.schedule.toMs];
    if ('system' in fault) return fault.system === 'odoo' && fault.kind === 'outage' ? [window] : [];
    if (fault.link.to !== 'odoo') return [];
    switch (fault.kind) {
      case 'link-down':
        return [window];
      case 'http-error':
        return fault.probability === undefined || fault.probability >= 1 ? [window] : [];
      case 'delay':
        // A share of the calls held leaves the others through: Odoo is slow for some, not shut.
        return fault.ms >= tooSlowMs && (fault.probability === undefined || fault.probability >= 1) ? [window] : [];
      case 'latency':
        return fault.meanMs >= tooSlowMs ? [window] : [];
      default:
        return [];
    }
  };
}

/** The longest stretch of windows whose gaps are each shorter than `joinMs`. */
export function longestStretchMs(windows: readonly Window[], joinMs: number): number {
  const sorted = [...windows].sort((a, b) => a[0] - b[0]);
  let longest = 0;
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const [start, end] of sorted) {
    if (start - to >= joinMs) from = start;
    to = Math.max(to, end);
    longest = Math.max(longest, to - from);
  }
  return longest;
}

/** The generated faults, in order, less each that would join `fixed` and those kept before it into a stretch over the budget. */
export function withinLimit(
  fixed: readonly FaultSpec[],
  generated: readonly FaultSpec[],
  down: (fault: FaultSpec) => Window[],
  budget: DowntimeBudget,
): FaultSpec[] {
  const windows = fixed.flatMap(down);
  const kept: FaultSpec[] = [];
  for (const fault of generated) {
    const own = down(fault);
    if (own.length > 0 && longestStretchMs([...windows, ...own], budget.joinMs) >= budget.limitMs) continue;
    windows.push(...own);
    kept.push(fault);
  }
  return kept;
}

/**
 * The aimed faults with each that shuts Odoo (`down`) cut short where it
 * would join the scenario's own into a stretch over the budget (a method out
 * of service right after the scenario's Odoo outage), or left out when even a
 * moment of it would. The aim still strikes where it was aimed, for as long
 * as a design can make up for.
 */
export function withinOdooBudget(
  fixed: readonly FaultSpec[],
  aimed: readonly FaultSpec[],
  down: (fault: FaultSpec) => Window[],
  budget: DowntimeBudget,
): FaultSpec[] {
  const windows = fixed.flatMap(down);
  const kept: FaultSpec[] = [];
  for (const fault of aimed) {
    const [own] = down(fault);
    if (own === undefined || fault.schedule?.kind !== 'window') {
      kept.push(fault);
      continue;
    }
    const fits = (toMs: number): boolean => longestStretchMs([...windows, [own[0], toMs]], budget.joinMs) < budget.limitMs;
    if (fits(own[1])) {
      windows.push(own);
      kept.push(fault);
      continue;
    }
    if (!fits(own[0] + 1)) continue;
    // The stretch grows with the window's end: the longest end that fits, to the millisecond.
    let [low, high] = [own[0] + 1, own[1]];
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (fits(mid)) low = mid;
      else high = mid;
    }
    windows.push([own[0], low]);
    kept.push({ ...fault, schedule: { ...fault.schedule, toMs: low } });
  }
  return kept;
}
