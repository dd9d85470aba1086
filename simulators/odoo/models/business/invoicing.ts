import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import type { Row } from '../../orm/model.ts';
import { idList, m2oId } from './company.ts';
import { MSG } from './messages.ts';
import { originLink } from './chatter.ts';
import { switchMoveType } from './account_move_actions.ts';
import { floatIsZero } from './rounding.ts';
import { qtyToInvoice } from './sale_order_line.ts';

const QTY = 0.01;

/** The invoice line of an order line (sale.order.line._prepare_invoice_line); `overrides` as its optional values. */
export function invoiceLineVals(line: Row, quantity: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    display_type: 'product',
    sequence: line.sequence,
    name: line.name,
    product_id: line.product_id,
    product_uom_id: line.product_uom,
    quantity,
    discount: line.discount,
    price_unit: line.price_unit,
    tax_ids: [[6, 0, idList(line.tax_id)]],
    sale_line_ids: [[4, line.id, 0]],
    is_downpayment: line.is_downpayment === true,
    ...overrides,
  };
}

/** sale.order._prepare_invoice for the orders of one group (the first order gives the partner and terms). */
export function invoiceHeader(env: Env, orderIds: readonly number[]): Record<string, unknown> {
  const orders = env.model('sale.order');
  const first = orders.row(orderIds[0]!)!;
  const refs = orderIds.map((id) => orders.row(id)!.client_order_ref).filter((ref): ref is string => typeof ref === 'string' && ref !== '');
  const origins = orderIds.map((id) => String(orders.row(id)!.name));
  const references = orderIds.map((id) => orders.row(id)!.reference).filter((ref): ref is string => typeof ref === 'string' && ref !== '');
  return {
    move_type: 'out_invoice',
    partner_id: m2oId(first.partner_invoice_id) || first.partner_id,
    partner_shipping_id: m2oId(first.partner_shipping_id) || first.partner_id,
    currency_id: first.currency_id,
    invoice_payment_term_id: m2oId(first.payment_term_id),
    invoice_origin: [...new Set(origins)].join(', '),
    ref: refs.length > 0 ? [...new Set(refs)].join(', ') : '',
    payment_reference: references.length > 0 ? references[0] : false,
    invoice_user_id: first.user_id,
    // sale's _prepare_invoice passes both; user_id is what mail.thread's auto-subscription notifies.
    user_id: first.user_id,
    narration: first.note ?? false,
  };
}

/**
 * sale.order._create_invoices (regular invoices): one draft out_invoice per
 * partner/currency group, a line per invoiceable order line (its
 * qty_to_invoice, price, discount and taxes), linked both ways to the order
 * lines. Down payments already invoiced come last, under a "Down Payments"
 * section, with a negative quantity: that is how the final invoice deducts
 * them. Negative quantities (down payments, returns) are only invoiced when
 * `final` (the wizard's deduct_down_payments). Raises Odoo's "nothing to
 * invoice" UserError when no line has anything to invoice.
 */
export function createInvoices(env: Env, orderIds: readonly number[], final = true): number[] {
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
    const downPayments: Record<string, unknown>[] = [];
    for (const lineId of idList(orders.get(orderId, 'order_line'))) {
      const line = lines.row(lineId);
      if (line === undefined || (line.display_type !== false && line.display_type !== undefined)) continue;
      const quantity = qtyToInvoice(env, line);
      if (floatIsZero(quantity, QTY) || (quantity < 0 && !final)) continue;
      (line.is_downpayment === true ? downPayments : lineVals).push(invoiceLineVals(line, quantity));
    }
    // An order whose only invoiceable lines are down payments has nothing to invoice.
    if (lineVals.length === 0) continue;
    if (downPayments.length > 0) {
      const sequence = Math.max(...lineVals.map((vals) => Number(vals.sequence ?? 0))) + 1;
      lineVals.push({ display_type: 'line_section', name: 'Down Payments', sequence, quantity: 0, price_unit: 0, discount: 0, account_id: false });
      lineVals.push(...downPayments);
    }
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
    invoiceIds.push(moves.create({ ...invoiceHeader(env, group.orderIds), invoice_line_ids: group.lineVals.map((vals) => [0, 0, vals]) }));
  }
  // A final invoice that deducts more than it bills is a credit note.
  if (final) {
    const negative = invoiceIds.filter((id) => Number(moves.row(id)?.amount_total ?? 0) < 0);
    if (negative.length > 0) switchMoveType(env, negative);
  }
  for (const [index, group] of [...groups.values()].entries()) originLink(env, 'account.move', invoiceIds[index]!, 'sale.order', group.orderIds);
  return invoiceIds;
}
