import type { Env } from '../../orm/env.ts';
import type { Row } from '../../orm/model.ts';
import { companySettings, currencyRounding, idList } from './company.ts';
import { floatIsZero, floatRound } from './rounding.ts';
import { percentTaxes } from './sale_amounts.ts';
import { computeDocument, computeLine, type TaxBaseLine } from './taxes.ts';

/**
 * Invoice amounts. Only product lines are emulated as journal items; the tax
 * and receivable lines Odoo also creates are folded into the move's stored
 * amounts, and reconciliation is recorded per move (account.partial.reconcile).
 */
export function amlBase(env: Env, row: Row): TaxBaseLine {
  return {
    priceUnit: Number(row.price_unit ?? 0),
    quantity: Number(row.quantity ?? 0),
    discount: Number(row.discount ?? 0),
    taxes: percentTaxes(env, idList(row.tax_ids)),
  };
}

export function isProductLine(row: Row): boolean {
  return row.display_type === 'product' || row.display_type === false || row.display_type === undefined;
}

export function recomputeLineAmounts(env: Env, lineIds: readonly number[]): void {
  const lines = env.model('account.move.line');
  const settings = companySettings(env);
  for (const id of lineIds) {
    const row = lines.row(id);
    if (row === undefined || !isProductLine(row)) continue;
    const moveCurrency = typeof row.move_id === 'number' ? env.model('account.move').row(row.move_id)?.currency_id : undefined;
    const rounding = typeof moveCurrency === 'number' ? currencyRounding(env, moveCurrency) : settings.rounding;
    const amounts = computeLine(amlBase(env, row), rounding, settings.taxRounding);
    if (row.price_subtotal !== amounts.subtotal || row.price_total !== amounts.total) {
      lines.write([id], { price_subtotal: amounts.subtotal, price_total: amounts.total });
    }
  }
}

export function recomputeMoveTotals(env: Env, moveIds: readonly number[], excludingLines: ReadonlySet<number> = new Set()): void {
  const moves = env.model('account.move');
  const lines = env.model('account.move.line');
  const settings = companySettings(env);
  for (const moveId of moveIds) {
    const move = moves.row(moveId);
    // A payment's amounts come from the payment, not from its journal items.
    if (move === undefined || typeof move.payment_id === 'number') continue;
    const bases: TaxBaseLine[] = [];
    for (const lineId of idList(moves.get(moveId, 'invoice_line_ids'))) {
      const row = excludingLines.has(lineId) ? undefined : lines.row(lineId);
      if (row !== undefined && isProductLine(row)) bases.push(amlBase(env, row));
    }
    const rounding = currencyRounding(env, move.currency_id as number | false);
    const totals = computeDocument(bases, rounding, settings.taxRounding);
    moves.write([moveId], { amount_untaxed: totals.untaxed, amount_tax: totals.tax, amount_total: totals.total });
  }
}

/** Sum of reconciled amounts touching a move (either side of a partial). */
export function reconciledAmount(env: Env, moveId: number): number {
  const partials = env.model('account.partial.reconcile');
  let sum = 0;
  for (const id of env.db.table('account.partial.reconcile').referrers('debit_move_id', moveId)) sum += Number(partials.row(id)?.amount ?? 0);
  for (const id of env.db.table('account.partial.reconcile').referrers('credit_move_id', moveId)) sum += Number(partials.row(id)?.amount ?? 0);
  return sum;
}

/** The moves a move is reconciled with, in partial order. */
export function counterpartMoves(env: Env, moveId: number): number[] {
  const table = env.db.table('account.partial.reconcile');
  const partials = env.model('account.partial.reconcile');
  const out: number[] = [];
  const ids = [...table.referrers('debit_move_id', moveId), ...table.referrers('credit_move_id', moveId)].sort((a, b) => a - b);
  for (const id of ids) {
    const row = partials.row(id);
    if (row === undefined) continue;
    const other = row.debit_move_id === moveId ? row.credit_move_id : row.debit_move_id;
    if (typeof other === 'number' && !out.includes(other)) out.push(other);
  }
  return out;
}

/** What is still open on a posted move; drafts and cancelled moves show their total. */
export function moveResidual(env: Env, row: Row): number {
  const total = Number(row.amount_total ?? 0);
  if (row.state !== 'posted') return total;
  const rounding = currencyRounding(env, row.currency_id as number | false);
  const residual = floatRound(total - reconciledAmount(env, row.id), rounding);
  // A payment can close more than its amount when the difference was written off.
  return typeof row.payment_id === 'number' && residual < 0 ? 0 : residual;
}

/** account.move._compute_payment_state for Community (no in_payment). */
export function movePaymentState(env: Env, row: Row): string {
  if (row.state !== 'posted') return 'not_paid';
  const type = row.move_type;
  if (type !== 'out_invoice' && type !== 'out_refund' && type !== 'in_invoice' && type !== 'in_refund' && type !== 'out_receipt' && type !== 'in_receipt') {
    return 'not_paid';
  }
  const rounding = currencyRounding(env, row.currency_id as number | false);
  const residual = moveResidual(env, row);
  const counterparts = counterpartMoves(env, row.id);
  if (floatIsZero(residual, rounding)) {
    const moves = env.model('account.move');
    // 'reversed' only for the entry a posted reversal closed on its own; the credit note itself reads 'paid'.
    const reversedOnly =
      counterparts.length > 0 &&
      counterparts.every((id) => {
        const other = moves.row(id);
        return other !== undefined && other.reversed_entry_id === row.id && !(typeof other.payment_id === 'number');
      });
    return reversedOnly ? 'reversed' : 'paid';
  }
  if (counterparts.length > 0) return 'partial';
  return 'not_paid';
}
