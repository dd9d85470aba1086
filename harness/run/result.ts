import type { HistoryEvent } from '../core/history.ts';
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

export interface RunStats {
  orders: number;
  messages: number;
  faultsInjected: number;
  virtualMs: number;
  wallMs: number;
  historyEvents: number;
  quiescent: boolean;
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
  history: readonly HistoryEvent[];
  /** What the invariants judged besides the history: ledgers and Odoo's final state, as read over the wire. */
  observations: Pick<InvariantInput, 'ledgers' | 'odoo'>;
  replay: ReplaySpec;
}

/** fail beats unknown beats pass. */
export function overallVerdict(verdicts: readonly InvariantVerdict[]): VerdictValue {
  if (verdicts.some((v) => v.verdict === 'fail')) return 'fail';
  if (verdicts.some((v) => v.verdict === 'unknown')) return 'unknown';
  return 'pass';
}
