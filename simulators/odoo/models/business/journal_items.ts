import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { fields } from '../../orm/fields.ts';
import { extendModel, recordMethod, type Row } from '../../orm/model.ts';
import { moveResidual, movePaymentState } from './account_amounts.ts';
import { accountByCode } from './account_move_line.ts';
import { reconcile } from './account_move_actions.ts';
import { invoicePaidHook } from './chatter.ts';
import { currencyRounding } from './company.ts';
import { floatIsZero, floatRound } from './rounding.ts';

/**
 * The journal items integrations read besides product lines: the receivable
 * (or payable) line of a posted invoice, and a payment's liquidity,
 * counterpart and write-off lines. Reconciliation stays per move
 * (account.partial.reconcile links moves), so a receivable line's residual is
 * its move's residual with the line's sign. Tax lines are not rows here.
 */
const INVOICE_TYPES = new Set(['out_invoice', 'out_refund', 'out_receipt', 'in_invoice', 'in_refund', 'in_receipt']);

function lineOf(env: Env, moveId: number, displayType: string, accountId: number | false, taxId: unknown = undefined): number | undefined {
  const lines = env.model('account.move.line');
  return env.db
    .table('account.move.line')
    .referrers('move_id', moveId)
    .find((id) => {
      const row = lines.row(id);
      return row !== undefined && row.display_type === displayType && row.account_id === accountId && (taxId === undefined || row.tax_line_id === taxId);
    });
}

function upsertLine(env: Env, moveId: number, displayType: string, accountId: number | false, amount: number, vals: Record<string, unknown>): number {
  const lines = env.model('account.move.line');
  const side = { debit: Math.max(amount, 0), credit: Math.max(-amount, 0), balance: amount };
  const existing = lineOf(env, moveId, displayType, accountId, displayType === 'tax' ? vals.tax_line_id : undefined);
  if (existing !== undefined) {
    lines.setStored([existing], side);
    return existing;
  }
  return lines.create({ move_id: moveId, display_type: displayType, account_id: accountId, quantity: 0, price_unit: 0, ...vals, ...side });
}

/** Creates or updates a posted move's receivable/payable (and, for payments, liquidity) items. */
export function syncJournalItems(env: Env, moveId: number): void {
  const moves = env.model('account.move');
  const move = moves.row(moveId);
  if (move === undefined) return;
  const total = Number(move.amount_total ?? 0);
  if (typeof move.payment_id === 'number') {
    const payment = env.model('account.payment').row(move.payment_id);
    if (payment === undefined) return;
    const inbound = payment.payment_type === 'inbound';
    const customer = payment.partner_type === 'customer';
    const signed = inbound ? total : -total;
    const common = { partner_id: payment.partner_id, name: payment.ref ?? false };
    upsertLine(env, moveId, 'product', accountByCode(env, inbound ? '101403' : '101404'), signed, common);
    upsertLine(env, moveId, 'payment_term', accountByCode(env, customer ? '121000' : '211000'), -signed, common);
    return;
  }
  if (!INVOICE_TYPES.has(String(move.move_type))) return;
  const debitSide = move.move_type === 'out_invoice' || move.move_type === 'out_receipt' || move.move_type === 'in_refund';
  const customer = String(move.move_type).startsWith('out_');
  syncProductAndTaxItems(env, move, debitSide ? -1 : 1, customer);
  upsertLine(env, moveId, 'payment_term', accountByCode(env, customer ? '121000' : '211000'), debitSide ? total : -total, {
    partner_id: move.partner_id,
    name: move.payment_reference ?? false,
  });
}

/**
 * Product items carry their subtotal on the side opposite the receivable, and
 * one tax item per tax holds the tax (Odoo's tax lines), so the entry balances.
 * The tax amounts are the lines' own, the last one taking the rounding so the
 * items add up to the move's amount_tax.
 */
function syncProductAndTaxItems(env: Env, move: Row, sign: number, customer: boolean): void {
  const lines = env.model('account.move.line');
  const rounding = currencyRounding(env, move.currency_id as number | false);
  const perTax = new Map<number, number>();
  for (const id of env.db.table('account.move.line').referrers('move_id', move.id)) {
    const line = lines.row(id);
    if (line === undefined || (line.display_type !== 'product' && line.display_type !== false && line.display_type !== undefined)) continue;
    const subtotal = Number(line.price_subtotal ?? 0);
    const balance = floatRound(sign * subtotal, rounding);
    lines.setStored([id], { balance, debit: Math.max(balance, 0), credit: Math.max(-balance, 0) });
    const taxes = (line.tax_ids as readonly number[] | undefined) ?? [];
    if (taxes.length > 0) perTax.set(taxes[0]!, (perTax.get(taxes[0]!) ?? 0) + Number(line.price_total ?? 0) - subtotal);
  }
  const amountTax = Number(move.amount_tax ?? 0);
  const taxIds = [...perTax.keys()];
  let left = amountTax;
  taxIds.forEach((taxId, i) => {
    const amount = i === taxIds.length - 1 ? left : floatRound(perTax.get(taxId)!, rounding);
    left = floatRound(left - amount, rounding);
    if (floatIsZero(amount, rounding)) return;
    const name = env.model('account.tax').get(taxId, 'name');
    upsertLine(env, move.id, 'tax', accountByCode(env, customer ? '251000' : '131000'), floatRound(sign * amount, rounding), {
      partner_id: move.partner_id,
      name,
      tax_line_id: taxId,
    });
  });
}

/** A payment register's write-off: one more item on the payment, its counterpart grown by as much. */
export function addWriteOff(env: Env, moveId: number, accountId: number | false, label: unknown, amount: number): void {
  const moves = env.model('account.move');
  const payment = env.model('account.payment').row(moves.row(moveId)?.payment_id as number);
  if (payment === undefined || amount <= 0 || accountId === false) return;
  const inbound = payment.payment_type === 'inbound';
  const signed = inbound ? amount : -amount;
  env.model('account.move.line').create({
    move_id: moveId,
    display_type: 'product',
    account_id: accountId,
    partner_id: payment.partner_id,
    name: label ?? false,
    quantity: 0,
    price_unit: 0,
    debit: Math.max(signed, 0),
    credit: Math.max(-signed, 0),
    balance: signed,
  });
  const counterpart = lineOf(env, moveId, 'payment_term', accountByCode(env, payment.partner_type === 'customer' ? '121000' : '211000'));
  if (counterpart !== undefined) {
    const line = env.model('account.move.line').row(counterpart)!;
    const balance = Number(line.balance ?? 0) - signed;
    env.model('account.move.line').setStored([counterpart], { balance, debit: Math.max(balance, 0), credit: Math.max(-balance, 0) });
  }
}

function reconcilable(env: Env, row: Row): boolean {
  return typeof row.account_id === 'number' && env.model('account.account').get(row.account_id, 'reconcile') === true;
}

function lineResidual(env: Env, row: Row): number {
  if (!reconcilable(env, row)) return 0;
  const move = typeof row.move_id === 'number' ? env.model('account.move').row(row.move_id) : undefined;
  const balance = Number(row.balance ?? 0);
  if (move === undefined || move.state !== 'posted' || row.display_type !== 'payment_term') return balance;
  const residual = moveResidual(env, move);
  return floatRound(balance >= 0 ? residual : -residual, currencyRounding(env, move.currency_id as number | false));
}

/** Journal item amounts (account.move.line). */
export const journalItemFields = extendModel({
  name: 'account.move.line',
  fields: {
    debit: fields.monetary({ string: 'Debit', currencyField: 'currency_id' }),
    credit: fields.monetary({ string: 'Credit', currencyField: 'currency_id' }),
    balance: fields.monetary({ string: 'Balance', currencyField: 'currency_id' }),
    amount_residual: fields.monetary({ string: 'Residual Amount', compute: (env, row) => lineResidual(env, row) }),
    reconciled: fields.boolean({
      string: 'Reconciled',
      compute: (env, row) =>
        reconcilable(env, row) &&
        row.display_type === 'payment_term' &&
        env.model('account.move').row(row.move_id as number)?.state === 'posted' &&
        floatIsZero(lineResidual(env, row), 0.01),
    }),
    payment_id: fields.many2one('account.payment', { string: 'Originator Payment', related: 'move_id.payment_id' }),
    tax_line_id: fields.many2one('account.tax', { string: 'Originator Tax' }),
  },
});

/**
 * account.move.js_assign_outstanding_line: reconciles an open invoice with the
 * move of an outstanding receivable item (a payment or credit note). Returns
 * None, like Odoo (so XML-RPC clients get the fault after it committed).
 */
export const assignOutstanding = extendModel({
  name: 'account.move',
  methods: {
    js_assign_outstanding_line: recordMethod(
      ['line_id'],
      ({ env, ids, args }) => {
        const line = env.model('account.move.line').row(Number(args.line_id));
        if (line === undefined || typeof line.move_id !== 'number') throw new UserError('Record does not exist or has been deleted.');
        const moves = env.model('account.move');
        const before = new Map(ids.map((id) => [id, moves.row(id) === undefined ? 'not_paid' : movePaymentState(env, moves.row(id)!)]));
        for (const id of ids) {
          const invoice = moves.row(id);
          const other = moves.row(line.move_id);
          if (invoice === undefined || other === undefined) continue;
          const available = Math.min(moveResidual(env, invoice), moveResidual(env, other));
          if (available <= 0) continue;
          // The side that owes (the invoice for a customer) is the debit move of the partial.
          if (invoice.move_type === 'out_invoice' || invoice.move_type === 'in_refund') reconcile(env, other.id, [invoice.id], available);
          else reconcile(env, invoice.id, [other.id], available);
        }
        invoicePaidHook(env, before);
        return undefined;
      },
      1,
    ),
  },
});
