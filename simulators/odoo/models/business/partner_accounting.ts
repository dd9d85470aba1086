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

/** Sales and accounting views of a partner that integrations read. */
export const partnerAccounting = extendModel({
  name: 'res.partner',
  fields: {
    credit: fields.monetary({ string: 'Total Receivable', compute: (env, row) => totalReceivable(env, row) }),
    debit: fields.monetary({ string: 'Total Payable', compute: () => 0 }),
    sale_order_ids: fields.one2many('sale.order', 'partner_id', { string: 'Sales Order' }),
    sale_order_count: fields.integer({ string: 'Sale Order Count', compute: (env, row) => env.db.table('sale.order').referrers('partner_id', row.id).length }),
    invoice_ids: fields.one2many('account.move', 'partner_id', { string: 'Invoices' }),
  },
});
