import type { HistoryEvents } from '../core/history.ts';
import type { InvariantInput } from '../invariants/types.ts';

export type VerdictValue = 'pass' | 'fail' | 'unknown';

/** One invariant's judgement of a run, with the evidence a person needs to act on it. */
export interface InvariantVerdict {
  name: string;
  verdict: VerdictValue;
  violations: number;
  examples: ReadonlyArray<{ orderRef?: string; message: string; events?: number[]; records?: Array<{ model: string; id: number }> }>;
  summary: string;
}

/** p50/p95/p99/max of a latency, in ms. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** What only a live run measures: end-to-end latency on the wall clock and throughput. */
export interface LiveStats {
  timeScale: number;
  /** From `order.placed` to the first sale order created in Odoo for it. */
  placedToOdooMs: LatencySummary;
  /** From `order.placed` to the middleware's `invoice.posted`. */
  placedToInvoicedMs: LatencySummary;
  /** Orders placed and first seen in Odoo per interval of `intervalMs`. */
  throughput: Array<{ startMs: number; placed: number; inOdoo: number }>;
  intervalMs: number;
  /** Arrivals the load could not issue; the capture platform's open model never queues, so this counts orders never placed. */
  droppedArrivals: number;
  /** Orders per second the scenario asked for and the capture platform managed (first to last placed): a generator that falls behind shows here. */
  arrivalRate: { targetPerSec: number; measuredPerSec: number };
  /** Fault switches Toxiproxy refused or that hung. */
  faultErrors: string[];
}

export interface RunStats {
  orders: number;
  messages: number;
  faultsInjected: number;
  virtualMs: number;
  wallMs: number;
  historyEvents: number;
  quiescent: boolean;
  live?: LiveStats;
}

/** How to run the same thing again: the command line and its parts. */
export interface ReplaySpec {
  command: string;
  scenario: string;
  seed: number;
  mode: 'sim' | 'live';
  middleware: string;
  odoo: string;
  /** A generated case from `check` carries its whole scenario, since no file names it. */
  scenarioValue?: unknown;
}

export interface RunResult {
  scenario: string;
  seed: number;
  mode: 'sim' | 'live';
  middleware: string;
  odoo: string;
  verdict: VerdictValue;
  invariants: InvariantVerdict[];
  stats: RunStats;
  history: HistoryEvents;
  /** What the invariants judged besides the history: ledgers and Odoo's final state, as read over the wire. */
  observations: Pick<InvariantInput, 'ledgers' | 'odoo'> & { options?: InvariantInput['options'] };
  replay: ReplaySpec;
}

/** fail beats unknown beats pass. */
export function overallVerdict(verdicts: readonly InvariantVerdict[]): VerdictValue {
  if (verdicts.some((v) => v.verdict === 'fail')) return 'fail';
  if (verdicts.some((v) => v.verdict === 'unknown')) return 'unknown';
  return 'pass';
}
