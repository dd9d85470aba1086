import type { FaultSchedule } from '../../core/faults.ts';
import { UsageError } from '../../run/errors.ts';
import type { LiveRunOptions } from '../../run/run-options.ts';
import { DEFAULT_BUDGET } from '../../scenario/scenario.ts';
import type { Scenario } from '../../scenario/scenario.ts';

/**
 * Scenarios are written in business time (a 3PL step takes minutes, a gateway
 * retries for days). A live run squeezes that time by this factor so it ends
 * in minutes: one virtual hour of parcel steps becomes 30 s.
 */
export const DEFAULT_TIME_SCALE = 1 / 120;
/** The hard bound of a live run unless --live-timeout says otherwise, or the scenario's load and faults need longer. */
export const MAX_DEFAULT_LIVE_TIMEOUT_MS = 5 * 60_000;
/** Time a design gets to recover after the last arrival and the last fault window closes: retries and reconciliation run at real speed. */
const RECOVERY_MS = 3 * 60_000;
/** Even a scenario whose load and fault windows are long gets stopped by default after this. */
const LONGEST_DEFAULT_LIVE_TIMEOUT_MS = 20 * 60_000;
const MIN_LIVE_TIMEOUT_MS = 30_000;
/** A settle window shorter than this would end the run before the middlewares' own retries get a turn. */
const MIN_SETTLE_MS = 5_000;

export interface LiveSettings {
  timeScale: number;
  /** Real ms from the start of the run to the hard stop. */
  timeoutMs: number;
  /** Real ms the world keeps running after the load ends. */
  settleMs: number;
  convergenceBoundMs: number;
}

export function liveSettings(scenario: Scenario, options: LiveRunOptions = {}): LiveSettings {
  const budget = { ...DEFAULT_BUDGET, ...scenario.budget };
  const timeScale = options.timeScale ?? DEFAULT_TIME_SCALE;
  if (!(typeof timeScale === 'number' && Number.isFinite(timeScale) && timeScale > 0 && timeScale <= 1)) {
    throw new UsageError(`--time-scale must be a number in (0, 1], e.g. 0.01 (one virtual minute in 0.6 s); got ${String(timeScale)}`);
  }
  const scaled = Math.min(MAX_DEFAULT_LIVE_TIMEOUT_MS, Math.max(MIN_LIVE_TIMEOUT_MS, budget.maxVirtualMs * timeScale));
  // Arrivals and fault windows run at real speed: a run cut off before the last window closes judges a world still in its fault.
  const timeoutMs =
    options.timeoutMs ?? Math.max(scaled, Math.min(LONGEST_DEFAULT_LIVE_TIMEOUT_MS, realTimeNeededMs(onLiveTime(scenario, timeScale)) + RECOVERY_MS));
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new UsageError(`--live-timeout must be a positive duration, got ${String(timeoutMs)}`);
  return {
    timeScale,
    timeoutMs,
    // A scenario that asks for a shorter settle than the floor (a quick test) gets what it asked for.
    settleMs: Math.min(Math.max(Math.min(MIN_SETTLE_MS, budget.settleMs), budget.settleMs * timeScale), timeoutMs),
    // Network faults and the middlewares' timeouts run at real speed, so the bound stays as written.
    convergenceBoundMs: budget.convergenceBoundMs,
  };
}

/** Real ms until the last order is placed and the last fault window on a schedule closes. */
function realTimeNeededMs(scenario: Scenario): number {
  const rate = scenario.orders.ratePerSecond;
  const loadMs = rate !== undefined && rate > 0 ? (scenario.orders.count / rate) * 1_000 : 0;
  const windows = (scenario.faults ?? []).map((fault) => (fault.schedule?.kind === 'window' ? fault.schedule.toMs : 0));
  return Math.max(loadMs, ...windows);
}

/**
 * Whether a scenario is written in business time all through: one with a CRM
 * or an analytics sink places a few orders a minute among the reps' edits, and
 * its outages span a working day. Its arrivals and fault windows are scaled in
 * live mode like the simulators' delays; the built-in world's are load and
 * network tests and stay at real speed.
 */
export function isBusinessPaced(scenario: Scenario): boolean {
  return scenario.systems?.crm !== undefined || scenario.systems?.analytics !== undefined;
}

/**
 * The scenario as a live run plays it: unchanged, or for a business-paced one
 * its arrival rate and its faults' schedules squeezed by the time scale, so the
 * orders still meet the edits they meet in sim mode and a day's outage ends
 * within the run. A crash's restart delay is left as written (a process restarts in real time).
 */
export function onLiveTime(scenario: Scenario, timeScale: number): Scenario {
  if (!isBusinessPaced(scenario) || timeScale === 1) return scenario;
  const rate = scenario.orders.ratePerSecond;
  return {
    ...scenario,
    orders: { ...scenario.orders, ...(rate !== undefined && { ratePerSecond: rate / timeScale }) },
    ...(scenario.faults !== undefined && {
      faults: scenario.faults.map((fault) => (fault.schedule === undefined ? fault : { ...fault, schedule: scaledSchedule(fault.schedule, timeScale) })),
    }),
  };
}

function scaledSchedule(schedule: FaultSchedule, timeScale: number): FaultSchedule {
  switch (schedule.kind) {
    case 'always':
      return schedule;
    case 'window':
      return { kind: 'window', fromMs: schedule.fromMs * timeScale, toMs: schedule.toMs * timeScale };
    case 'periodic':
      return {
        kind: 'periodic',
        everyMs: schedule.everyMs * timeScale,
        forMs: schedule.forMs * timeScale,
        ...(schedule.offsetMs !== undefined && { offsetMs: schedule.offsetMs * timeScale }),
      };
  }
}

/** The simulators' knobs with the time scale added where a simulator supports it (and the scenario did not set one). */
export function scaledConfig(config: Readonly<Record<string, unknown>>, timeScale: number): Record<string, unknown> {
  return { timeScale, ...config };
}

/** `90s`, `2m`, `1500ms`, `3m30s` or plain milliseconds → ms. */
export function parseDuration(flag: string, text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let match = pattern.exec(trimmed); match !== null; match = pattern.exec(trimmed)) {
    const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
    total += Number(match[1]) * unit;
    matched += match[0].length;
  }
  if (matched === 0 || matched !== trimmed.length) throw new UsageError(`${flag} must be a duration such as 90s, 2m or 1500ms; got ${JSON.stringify(text)}`);
  return total;
}
