import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { idList, m2oId } from './company.ts';
import { MSG } from './messages.ts';
import { floatIsZero } from './rounding.ts';
import { qtyToInvoice } from './sale_order_line.ts';

const QTY = 0.01;

/**
 * sale.order._create_invoices (final regular invoices only): one draft
 * out_invoice per partner/currency group, a line per invoiceable order line
 * (its qty_to_invoice, price, discount and taxes), linked both ways to the
 * order lines. `ref` is the client_order_ref, `invoice_origin` the order name.
 * Raises Odoo's "nothing to invoice" UserError when no line has anything to
 * invoice.
 */
export function createInvoices(env: Env, orderIds: readonly number[]): number[] {
  const orders = env.model('sale.order');
  const lines = env.model('sale.order.line');
  interface Group {
    orderIds: number[];
    lineVals: Record<string, unknown>[];
  }
  const groups = new Map<string, Group>();
  for (const orderId of orderIds) {
    const order = orders.row(orderId);
    if (order === undefined) continue;
    const lineVals: Record<string, unknown>[] = [];
    for (const lineId of idList(orders.get(orderId, 'order_line'))) {
      const line = lines.row(lineId);
      if (line === undefined || (line.display_type !== false && line.display_type !== undefined)) continue;
      const quantity = qtyToInvoice(env, line);
      if (floatIsZero(quantity, QTY)) continue;
      lineVals.push({
        display_type: 'product',
        sequence: line.sequence,
        name: line.name,
        product_id: line.product_id,
        product_uom_id: line.product_uom,
        quantity,
        discount: line.discount,
        price_unit: line.price_unit,
        tax_ids: [[6, 0, idList(line.tax_id)]],
        sale_line_ids: [[4, lineId, 0]],
      });
    }
    if (lineVals.length === 0) continue;
    const key = `${String(order.company_id)}|${String(order.partner_invoice_id || order.partner_id)}|${String(order.currency_id)}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { orderIds: [], lineVals: [] }));
    group.orderIds.push(orderId);
    group.lineVals.push(...lineVals);
  }
  if (groups.size === 0) {
    if (env.context.raise_if_nothing_to_invoice === false) return [];
    throw new UserError(MSG.nothingToInvoice);
  }
  const moves = env.model('account.move');
  const invoiceIds: number[] = [];
  for (const group of groups.values()) {
    const first = orders.row(group.orderIds[0]!)!;
    const refs = group.orderIds.map((id) => orders.row(id)!.client_order_ref).filter((ref): ref is string => typeof ref === 'string' && ref !== '');
    const origins = group.orderIds.map((id) => String(orders.row(id)!.name));
    const references = group.orderIds.map((id) => orders.row(id)!.reference).filter((ref): ref is string => typeof ref === 'string' && ref !== '');
    invoiceIds.push(
      moves.create({
        move_type: 'out_invoice',
        partner_id: m2oId(first.partner_invoice_id) || first.partner_id,
        partner_shipping_id: m2oId(first.partner_shipping_id) || first.partner_id,
        currency_id: first.currency_id,
        invoice_payment_term_id: m2oId(first.payment_term_id),
        invoice_origin: [...new Set(origins)].join(', '),
        ref: refs.length > 0 ? [...new Set(refs)].join(', ') : '',
        payment_reference: references.length > 0 ? references[0] : false,
        invoice_user_id: first.user_id,
        narration: first.note ?? false,
        invoice_line_ids: group.lineVals.map((vals) => [0, 0, vals]),
      }),
    );
  }
  return invoiceIds;
}
