import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import type { Row } from '../../orm/model.ts';
import { currencyRounding, idList } from './company.ts';
import { moveResidual, movePaymentState } from './account_amounts.ts';
import { invoicePaidHook } from './chatter.ts';
import { MSG } from './messages.ts';
import { nameDraftMove, namePostedMove } from './move_numbering.ts';
import { ValidationError } from '../../orm/errors.ts';
import { syncJournalItems } from './journal_items.ts';
import { floatIsZero, floatRound } from './rounding.ts';

const DAY_MS = 86_400_000;
const INVOICE_TYPES = new Set(['out_invoice', 'out_refund', 'in_invoice', 'in_refund', 'out_receipt', 'in_receipt']);

export function isInvoice(row: Row): boolean {
  return INVOICE_TYPES.has(String(row.move_type));
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The due date: the payment term's last line counted from the invoice date (or today for drafts). */
export function dueDate(env: Env, invoiceDate: string, termId: unknown): string {
  if (typeof termId !== 'number') return invoiceDate;
  const lines = env.model('account.payment.term.line');
  let days = 0;
  for (const id of idList(env.model('account.payment.term').get(termId, 'line_ids'))) {
    days = Math.max(days, Number(lines.row(id)?.nb_days ?? 0));
  }
  return addDays(invoiceDate, days);
}

/** account.move.action_post → _post(soft=False). Returns False, as Odoo does. */
export function postMoves(env: Env, moveIds: readonly number[]): false {
  const moves = env.model('account.move');
  for (const id of moveIds) {
    const move = moves.row(id);
    if (move === undefined) continue;
    if (move.state === 'posted' || move.state === 'cancel') throw new UserError(MSG.mustBeDraft(String(move.name), id));
    if (isInvoice(move)) {
      if (idList(moves.get(id, 'invoice_line_ids')).length === 0) throw new UserError(MSG.noLineToPost);
      if (typeof move.partner_id !== 'number') throw new UserError(MSG.customerRequired);
      if (Number(move.amount_total ?? 0) < 0) throw new UserError(MSG.negativeTotal);
    }
  }
  for (const id of moveIds) {
    const move = moves.row(id);
    if (move === undefined) continue;
    const changes: Record<string, unknown> = {};
    if (isInvoice(move) && (move.invoice_date === false || move.invoice_date === undefined)) {
      changes.invoice_date = env.today();
      changes.date = env.today();
    }
    if (Object.keys(changes).length > 0) moves.write([id], changes);
    namePostedMove(env, id);
    const named = moves.row(id)!;
    const after: Record<string, unknown> = { state: 'posted', posted_before: true };
    if (isInvoice(named)) {
      after.invoice_date_due = dueDate(env, String(named.invoice_date), named.invoice_payment_term_id);
      if ((named.payment_reference === false || named.payment_reference === undefined) && named.move_type === 'out_invoice') {
        // _compute_payment_reference: customer invoices only; a credit note keeps none (its posting tracks no reference).
        after.payment_reference = named.name;
      }
    }
    moves.write([id], after);
  }
  for (const id of moveIds) syncJournalItems(env, id);
  // A reversal posted closes the entry it reverses (_reverse_moves reconciles the receivable lines).
  for (const id of moveIds) {
    const move = moves.row(id);
    const reversed = typeof move?.reversed_entry_id === 'number' ? moves.row(move.reversed_entry_id) : undefined;
    if (move === undefined || reversed === undefined || reversed.state !== 'posted') continue;
    const available = Math.min(moveResidual(env, move), moveResidual(env, reversed));
    if (available <= 0) continue;
    // Paying by reconciliation runs sale's _invoice_paid_hook too ("Invoice RINV/… paid" on the order).
    const before = new Map([
      [id, 'not_paid'],
      [reversed.id, movePaymentState(env, reversed)],
    ]);
    reconcile(env, id, [reversed.id], available);
    invoicePaidHook(env, before);
  }
  return false;
}

/** Removes every reconciliation of the moves (remove_move_reconcile). */
export function unreconcileMoves(env: Env, moveIds: readonly number[]): void {
  const table = env.db.table('account.partial.reconcile');
  const partials = new Set<number>();
  for (const id of moveIds) {
    for (const p of table.referrers('debit_move_id', id)) partials.add(p);
    for (const p of table.referrers('credit_move_id', id)) partials.add(p);
  }
  if (partials.size > 0) env.model('account.partial.reconcile').unlink([...partials]);
}

/** button_draft: posted or cancelled → draft, unreconciling payments (which become outstanding). */
export function draftMoves(env: Env, moveIds: readonly number[]): void {
  const moves = env.model('account.move');
  for (const id of moveIds) {
    const state = moves.row(id)?.state;
    if (state !== 'posted' && state !== 'cancel') throw new UserError(MSG.onlyPostedCancelledToDraft);
  }
  unreconcileMoves(env, moveIds);
  if (moveIds.length > 0) moves.write(moveIds, { state: 'draft' });
}

/** button_cancel (17.0): posted moves go back to draft first (unreconciling), then everything is cancelled. */
export function cancelMoves(env: Env, moveIds: readonly number[]): void {
  const moves = env.model('account.move');
  const posted = moveIds.filter((id) => moves.row(id)?.state === 'posted');
  if (posted.length > 0) draftMoves(env, posted);
  if (moveIds.some((id) => moves.row(id)?.state !== 'draft')) throw new UserError(MSG.onlyDraftCancel);
  if (moveIds.length > 0) moves.write(moveIds, { state: 'cancel', auto_post: 'no' });
}

/**
 * Reconciles `creditMoveId` (a payment or credit note) with the open debit
 * moves in order, each up to its residual. What is left stays outstanding.
 */
export function reconcile(env: Env, creditMoveId: number, debitMoveIds: readonly number[], available: number): number {
  const moves = env.model('account.move');
  const partials = env.model('account.partial.reconcile');
  let left = available;
  for (const debitId of debitMoveIds) {
    const debit = moves.row(debitId);
    if (debit === undefined || debit.state !== 'posted') continue;
    const rounding = currencyRounding(env, debit.currency_id as number | false);
    const residual = moveResidual(env, debit);
    if (floatIsZero(residual, rounding) || floatIsZero(left, rounding)) continue;
    const amount = floatRound(Math.min(residual, left), rounding);
    partials.create({ debit_move_id: debitId, credit_move_id: creditMoveId, amount, max_date: env.today() });
    left = floatRound(left - amount, rounding);
  }
  return left;
}

/**
 * action_switch_move_type: an invoice becomes a credit note (and back), drops
 * its number for one of the new kind, and when its total was negative its
 * product lines change sign so the document reads positive.
 */
export function switchMoveType(env: Env, moveIds: readonly number[]): void {
  const moves = env.model('account.move');
  const lines = env.model('account.move.line');
  const rows = moveIds.map((id) => moves.row(id)).filter((row): row is Row => row !== undefined);
  if (rows.some((row) => row.posted_before === true)) throw new ValidationError(MSG.switchPosted);
  if (rows.some((row) => row.move_type === 'entry')) throw new ValidationError(MSG.switchNotAvailable);
  for (const row of rows) {
    const [inOut, old] = String(row.move_type).split('_') as [string, string];
    moves.write([row.id], { move_type: `${inOut}_${old === 'refund' ? 'invoice' : 'refund'}`, name: '/' });
    if (Number(moves.row(row.id)!.amount_total ?? 0) < 0) {
      for (const lineId of idList(moves.get(row.id, 'invoice_line_ids'))) {
        const line = lines.row(lineId);
        if (line?.display_type === 'product') lines.write([lineId], { quantity: -Number(line.quantity ?? 0) });
      }
    }
    nameDraftMove(env, row.id);
  }
}
