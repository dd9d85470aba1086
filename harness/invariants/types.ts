import type { HistoryEvents } from '../core/history.ts';
import type { HistoryIndex } from './history-index.ts';
import type { AnalyticsLedger } from '../contracts/analytics-ledger.ts';
import type { CrmLedger } from '../contracts/crm-ledger.ts';
import type { CaptureLedger, LogisticsLedger, PaymentLedger } from '../contracts/ledgers.ts';
import type { OdooSnapshot } from './odoo-snapshot.ts';

/**
 * Everything a run leaves for judgement. All of it is plain JSON, so a stored
 * run can be judged again without running it.
 */
export interface InvariantInput {
  history: HistoryEvents;
  /** A ledger is absent when its simulator was not part of the run or could not be read. */
  ledgers: { capture?: CaptureLedger; payment?: PaymentLedger; logistics?: LogisticsLedger; crm?: CrmLedger; analytics?: AnalyticsLedger };
  /** Absent when Odoo could not be read; invariants that need it then answer `unknown`. */
  odoo?: OdooSnapshot;
  options: InvariantOptions;
}

export interface InvariantOptions {
  /** How long an order may take, from `order.placed`, until every system agrees. */
  convergenceBoundMs?: number;
  /** Model → logins allowed to write it. Default: account.move and account.payment by the middleware and admin. */
  protectedModels?: Record<string, string[]>;
  /** Odoo's "Product Price" precision: unit prices are stored rounded to it (default 2, as Odoo ships). */
  priceDigits?: number;
  /** The middleware's Odoo login; default `faultline-middleware`. */
  middlewareLogin?: string;
  /**
   * How the run ended, for `settles`: whether it went quiet before its budget
   * (virtual time in sim mode, the deadline in live mode) ran out, and what was
   * still busy if not. Kept with the options so a stored run is judged the same.
   */
  runEnd?: { quiescent: boolean; budgetMs: number; busyWith?: string };
}

export type VerdictValue = 'pass' | 'fail' | 'unknown';

export interface Violation {
  orderRef?: string;
  message: string;
  /** History seqs that show it. */
  events?: number[];
  /** Odoo records that show it. */
  records?: { model: string; id: number }[];
}

export interface Verdict {
  name: string;
  verdict: VerdictValue;
  /** Every violation found; `examples` holds only the first few. */
  violations: number;
  examples: Violation[];
  summary: string;
}

export interface Invariant {
  /** kebab-case, unique: it names the testcase in JUnit and the column in reports. */
  name: string;
  description: string;
  check(input: InvariantInput, index: HistoryIndex): Verdict;
}
