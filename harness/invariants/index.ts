/**
 * The invariants: checks over a run's history, the simulators' ledgers and
 * Odoo's final state (read over the wire with `readOdooSnapshot`), each
 * returning a verdict with evidence. `checkInvariants(resolveInvariants(names), input)`
 * judges a run; `defineInvariant` adds a scenario's own check, which gets the
 * same input and the shared `HistoryIndex`.
 */
export type { Invariant, InvariantInput, InvariantOptions, Verdict, VerdictValue, Violation } from './types.ts';
export type { HistoryIndex, OrderTrail } from './history-index.ts';
export { buildHistoryIndex } from './history-index.ts';
export { isOdooWrite } from '../core/odoo-reads.ts';
export { checkInvariants } from './check-invariants.ts';
export { defineInvariant } from './define-invariant.ts';
export { builtInInvariants, isShipped, resolveInvariants, shippedInvariantNames, shippedInvariantsByName } from './built-in.ts';
export { DEAD_LETTER_CYCLE_LIMIT, REPEATED_FAILURE_LIMIT } from './settles.ts';
export type {
  Domain,
  InvoiceLineRow,
  InvoiceRow,
  OdooReader,
  OdooSnapshot,
  PaymentRow,
  PickingRow,
  ProductRow,
  SaleOrderRow,
  SnapshotOptions,
  UserRow,
} from './odoo-snapshot.ts';
export { emptySnapshot, readOdooSnapshot } from './odoo-snapshot.ts';
export type { OdooIndex } from './odoo-index.ts';
export { indexOdooSnapshot } from './odoo-index.ts';
export { EXAMPLE_LIMIT, ViolationLog, unknownVerdict } from './evidence.ts';
export { odooOrderTotal, roundHalfUp, sameCents, toCents } from './money.ts';
