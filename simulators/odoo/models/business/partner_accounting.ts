import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { extendModel, type Row } from '../../orm/model.ts';
import { moveResidual } from './account_amounts.ts';
import { currencyRounding } from './company.ts';
import { floatRound } from './rounding.ts';

/**
 * `res.partner.credit` ("Total Receivable"): what the customer still owes,
 * open invoices minus open credit notes and unreconciled payments — so an
 * extra payment from the double-payment race shows as a negative credit.
 */
function totalReceivable(env: Env, row: Row): number {
  const moves = env.model('account.move');
  const payments = env.model('account.payment');
  const table = env.db.table('account.move');
  const partners = [row.id, ...env.db.table('res.partner').referrers('parent_id', row.id)];
  let total = 0;
  for (const partnerId of partners) {
    for (const id of table.referrers('partner_id', partnerId)) {
      const move = moves.row(id);
      if (move === undefined || move.state !== 'posted') continue;
      const residual = moveResidual(env, move);
      if (move.move_type === 'out_invoice' || move.move_type === 'out_receipt') total += residual;
      else if (move.move_type === 'out_refund') total -= residual;
      else if (typeof move.payment_id === 'number') {
        const payment = payments.row(move.payment_id);
        if (payment?.partner_type !== 'customer') continue;
        total += payment.payment_type === 'inbound' ? -residual : residual;
      }
    }
  }
  return floatRound(total, currencyRounding(env, env.model('res.company').get(env.companyId, 'currency_id') as number));
}

/**
 * res.partner.total_invoiced (_invoice_total): untaxed amounts of the posted
 * customer invoices of the partner and its contacts, credit notes subtracted.
 */
function totalInvoiced(env: Env, row: Row): number {
  const moves = env.model('account.move');
  const table = env.db.table('account.move');
  let total = 0;
  for (const partnerId of [row.id, ...env.db.table('res.partner').referrers('parent_id', row.id)]) {
    for (const id of table.referrers('partner_id', partnerId)) {
      const move = moves.row(id);
      if (move === undefined || move.state !== 'posted') continue;
      if (move.move_type === 'out_invoice') total += Number(move.amount_untaxed ?? 0);
      else if (move.move_type === 'out_refund') total -= Number(move.amount_untaxed ?? 0);
    }
  }
  return floatRound(total, currencyRounding(env, env.model('res.company').get(env.companyId, 'currency_id') as number));
}

/**
 * account.move.invoice_has_outstanding: an open customer invoice whose partner
 * has money not yet matched on the other side (an unreconciled inbound payment
 * or credit note), which js_assign_outstanding_line could use.
 */
export function hasOutstanding(env: Env, row: Row): boolean {
  if (row.state !== 'posted' || (row.move_type !== 'out_invoice' && row.move_type !== 'out_refund')) return false;
  const rounding = currencyRounding(env, row.currency_id as number | false);
  if (floatRound(moveResidual(env, row), rounding) <= 0) return false;
  const invoice = row.move_type === 'out_invoice';
  const moves = env.model('account.move');
  const payments = env.model('account.payment');
  for (const id of env.db.table('account.move').referrers('partner_id', row.partner_id as number)) {
    const other = moves.row(id);
    if (other === undefined || other.id === row.id || other.state !== 'posted' || floatRound(moveResidual(env, other), rounding) <= 0) continue;
    if (typeof other.payment_id === 'number') {
      const payment = payments.row(other.payment_id);
      if (payment?.partner_type === 'customer' && (payment.payment_type === 'inbound') === invoice) return true;
    } else if (other.move_type === (invoice ? 'out_refund' : 'out_invoice')) return true;
  }
  return false;
}

/** Sales and accounting views of a partner that integrations read. */
export const partnerAccounting = extendModel({
  name: 'res.partner',
  fields: {
    credit: fields.monetary({ string: 'Total Receivable', compute: (env, row) => totalReceivable(env, row) }),
    debit: fields.monetary({ string: 'Total Payable', compute: () => 0 }),
    total_invoiced: fields.monetary({ string: 'Total Invoiced', compute: (env, row) => totalInvoiced(env, row) }),
    sale_order_ids: fields.one2many('sale.order', 'partner_id', { string: 'Sales Order' }),
    sale_order_count: fields.integer({ string: 'Sale Order Count', compute: (env, row) => env.db.table('sale.order').referrers('partner_id', row.id).length }),
    invoice_ids: fields.one2many('account.move', 'partner_id', { string: 'Invoices' }),
  },
});
