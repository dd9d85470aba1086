import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import type { Row } from '../../orm/model.ts';
import { companySettings, idList, m2oId } from './company.ts';
import { invoiceHeader, invoiceLineVals } from './invoicing.ts';
import { MSG } from './messages.ts';
import { htmlLink, originLink, postMessage } from './chatter.ts';
import { floatIsZero, floatRound } from './rounding.ts';
import { recomputeSaleLines } from './sale_amounts.ts';
import { releasingDownPayments } from './sale_order_line.ts';

/**
 * Down payments (sale.advance.payment.inv with advance_payment_method
 * 'percentage' or 'fixed'), as Odoo 17's sale module makes them: a service
 * product "Down payment" (created once, kept on the company), a "Down
 * Payments" section on the order, one order line per tax combination with
 * quantity 0 and the down-payment price, and a draft invoice of that line
 * with quantity 1. The final invoice deducts it (invoicing.ts).
 */

export interface DownPaymentRequest {
  readonly method: 'percentage' | 'fixed';
  /** Percent for 'percentage'. */
  readonly amount: number;
  /** Currency amount, taxes included, for 'fixed'. */
  readonly fixedAmount: number;
  readonly productId: number | false;
}

/** `format_date` in en_US: 11/27/2026. */
export function usDate(isoDate: string): string {
  const [year, month, day] = isoDate.slice(0, 10).split('-');
  return `${month}/${day}/${year}`;
}

/** _check_amount_is_positive: a constraint of the wizard, so it fires on create and write. */
export function checkDownPaymentAmount(row: Row): void {
  if (row.advance_payment_method === 'percentage' && Number(row.amount ?? 0) <= 0) throw new UserError(MSG.downPaymentNotPositive);
  if (row.advance_payment_method === 'fixed' && Number(row.fixed_amount ?? 0) <= 0) throw new UserError(MSG.downPaymentNotPositive);
}

/** The company's down-payment product, created on first use (service, ordered quantities, no taxes). */
export function downPaymentProduct(env: Env, given: number | false): number {
  if (given !== false) return given;
  const companies = env.model('res.company');
  const current = m2oId(companies.get(env.companyId, 'sale_down_payment_product_id'));
  if (current !== false && env.model('product.product').row(current) !== undefined) return current;
  const product = env.model('product.product').create({
    name: 'Down payment',
    type: 'service',
    invoice_policy: 'order',
    company_id: env.companyId,
    taxes_id: [[6, 0, []]],
  });
  companies.write([env.companyId], { sale_down_payment_product_id: product });
  return product;
}

function isDisplayLine(line: Row): boolean {
  return line.display_type !== false && line.display_type !== undefined;
}

function lastSequence(env: Env, orderId: number): number | undefined {
  const lines = env.model('sale.order.line');
  const ids = idList(env.model('sale.order').get(orderId, 'order_line'));
  if (ids.length === 0) return undefined;
  // order_line is sorted like sale.order.line's _order: sequence, then id.
  const rows = ids.map((id) => lines.row(id)!).sort((a, b) => Number(a.sequence) - Number(b.sequence) || a.id - b.id);
  return Number(rows[rows.length - 1]!.sequence ?? 10);
}

function nextSequence(env: Env, orderId: number): number {
  const last = lastSequence(env, orderId);
  return last === undefined ? 10 : last + 1;
}

/**
 * The wizard's _create_invoices for a down payment on one order. Returns the
 * new invoice's id.
 */
export function createDownPaymentInvoice(env: Env, orderId: number, request: DownPaymentRequest): number {
  const orders = env.model('sale.order');
  const lines = env.model('sale.order.line');
  const order = orders.row(orderId)!;
  const productId = downPaymentProduct(env, request.productId);
  const rounding = companySettings(env).rounding;

  const existing = idList(orders.get(orderId, 'order_line')).map((id) => lines.row(id)!);
  if (!existing.some((line) => isDisplayLine(line) && line.is_downpayment === true)) {
    lines.create({
      order_id: orderId,
      display_type: 'line_section',
      name: 'Down Payments',
      product_uom_qty: 0,
      is_downpayment: true,
      sequence: nextSequence(env, orderId),
    });
  }

  const total = Number(order.amount_total ?? 0);
  const ratio = request.method === 'percentage' ? request.amount / 100 : total !== 0 ? request.fixedAmount / total : 1;
  // One down-payment line per combination of taxes, in the order the combinations first appear.
  const byTaxes = new Map<string, { taxIds: number[]; subtotal: number }>();
  for (const line of existing) {
    if (isDisplayLine(line) || line.is_downpayment === true) continue;
    const taxIds = [...idList(line.tax_id)].sort((a, b) => a - b);
    const key = taxIds.join(',');
    const group = byTaxes.get(key) ?? { taxIds, subtotal: 0 };
    group.subtotal += Number(line.price_subtotal ?? 0);
    byTaxes.set(key, group);
  }
  const sequence = nextSequence(env, orderId);
  const name = `Down Payment: ${usDate(env.today())} (Draft)`;
  const productUom = env.model('product.product').get(productId, 'uom_id');
  const dpLines: number[] = [];
  for (const group of byTaxes.values()) {
    dpLines.push(
      lines.create({
        order_id: orderId,
        name,
        product_id: productId,
        product_uom: productUom,
        product_uom_qty: 0,
        price_unit: floatRound(group.subtotal * ratio, rounding),
        discount: 0,
        tax_id: [[6, 0, group.taxIds]],
        is_downpayment: true,
        sequence,
      }),
    );
  }
  const description = request.method === 'percentage' ? `Down payment of ${pythonNumber(request.amount)}%` : 'Down Payment';
  const moves = env.model('account.move');
  const invoice = moves.create({
    ...invoiceHeader(env, [orderId]),
    invoice_line_ids: dpLines.map((id) => [0, 0, invoiceLineVals(lines.row(id)!, 1, { name: description })]),
  });
  if (request.method === 'fixed') adjustToFixedAmount(env, invoice, request.fixedAmount, rounding);
  // sale.advance.payment.inv._create_invoices: the invoice names its order, and the order links the invoice (a post: sender checked).
  originLink(env, 'account.move', invoice, 'sale.order', [orderId]);
  postMessage(env, 'sale.order', orderId, `${htmlLink(env, 'account.move', invoice, 'Down payment invoice')} has been created`);
  return invoice;
}

/** The wizard's amount is a Python float: `%s` prints 30.0 for 30. */
function pythonNumber(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/**
 * Odoo makes a fixed down payment's invoice total exactly the amount asked,
 * moving the rounding difference into the tax (and receivable) lines; the
 * untaxed amount stays. Only when the invoice has taxes, as in Odoo.
 */
function adjustToFixedAmount(env: Env, invoiceId: number, fixedAmount: number, rounding: number): void {
  const moves = env.model('account.move');
  const move = moves.row(invoiceId)!;
  const delta = floatRound(Number(move.amount_total ?? 0) - fixedAmount, rounding);
  if (floatIsZero(delta, rounding) || floatIsZero(Number(move.amount_tax ?? 0), rounding)) return;
  moves.write([invoiceId], {
    amount_tax: floatRound(Number(move.amount_tax) - delta, rounding),
    amount_total: floatRound(Number(move.amount_total) - delta, rounding),
  });
}

/** Down-payment order lines (not sections) invoiced on these moves. */
function downPaymentLinesOf(env: Env, moveIds: readonly number[]): number[] {
  const amls = env.model('account.move.line');
  const saleLines = env.model('sale.order.line');
  const out = new Set<number>();
  for (const moveId of moveIds) {
    for (const amlId of idList(env.model('account.move').get(moveId, 'invoice_line_ids'))) {
      for (const saleLineId of idList(amls.row(amlId)?.sale_line_ids)) {
        const line = saleLines.row(saleLineId);
        if (line !== undefined && line.is_downpayment === true && !isDisplayLine(line)) out.add(saleLineId);
      }
    }
  }
  return [...out];
}

/** sale.order.line._get_downpayment_description, from the states of the line's invoices. */
function downPaymentName(env: Env, line: Row): string {
  const amls = env.model('account.move.line');
  const moves = env.model('account.move');
  const invoiceLines = idList(line.invoice_lines)
    .map((id) => amls.row(id))
    .filter((row): row is Row => row !== undefined);
  const states = invoiceLines.map((aml) => moves.row(aml.move_id as number)?.state);
  if (states.every((state) => state === 'draft')) return `Down Payment: ${usDate(String(line.create_date))} (Draft)`;
  if (states.every((state) => state === 'cancel')) return 'Down Payment (Cancelled)';
  const invoices = new Set(
    invoiceLines
      .filter((aml) => Number(aml.quantity ?? 0) >= 0 && moves.row(aml.move_id as number)?.move_type === 'out_invoice')
      .map((aml) => aml.move_id as number),
  );
  if (invoices.size === 1) {
    const invoice = moves.row([...invoices][0]!)!;
    if (typeof invoice.payment_reference === 'string' && invoice.payment_reference !== '' && typeof invoice.invoice_date === 'string') {
      return `Down Payment (ref: ${invoice.payment_reference} on ${usDate(invoice.invoice_date)})`;
    }
  }
  return 'Down Payment';
}

/**
 * After moves change state: the down-payment lines they carry take their new
 * description, and on posting their price and taxes follow what was posted
 * (final invoices left out), as sale's account.move.action_post does. A
 * locked order keeps its lines.
 */
export function refreshDownPayments(env: Env, moveIds: readonly number[], posted: boolean): void {
  const dpLines = downPaymentLinesOf(env, moveIds);
  if (dpLines.length === 0) return;
  const saleLines = env.model('sale.order.line');
  const orders = env.model('sale.order');
  const moves = env.model('account.move');
  const amls = env.model('account.move.line');
  for (const lineId of dpLines) {
    const line = saleLines.row(lineId)!;
    const name = downPaymentName(env, line);
    if (name !== line.name) saleLines.setStored([lineId], { name });
    if (!posted || orders.row(line.order_id as number)?.locked === true) continue;
    // Invoices that also bill regular lines of the order are final invoices: their deduction does not reprice.
    const others = idList(orders.get(line.order_id as number, 'order_line')).filter((id) => id !== lineId && saleLines.row(id)?.is_downpayment !== true);
    const finalMoves = new Set(others.flatMap((id) => idList(saleLines.row(id)?.invoice_lines).map((amlId) => amls.row(amlId)?.move_id)));
    let price = 0;
    const taxIds = new Set<number>();
    for (const amlId of idList(line.invoice_lines)) {
      const aml = amls.row(amlId);
      if (aml === undefined) continue;
      for (const tax of idList(aml.tax_ids)) taxIds.add(tax);
      const move = moves.row(aml.move_id as number);
      if (move === undefined || move.state !== 'posted' || finalMoves.has(move.id)) continue;
      price += (move.move_type === 'out_invoice' ? 1 : -1) * Number(aml.price_unit ?? 0);
    }
    const taxes = [...taxIds].sort((a, b) => a - b);
    const current = [...idList(line.tax_id)].sort((a, b) => a - b);
    if (price !== line.price_unit || taxes.join(',') !== current.join(',')) {
      saleLines.setStored([lineId], { price_unit: price, tax_id: taxes });
      recomputeSaleLines(env, [lineId]);
    }
  }
}

/** account.move.unlink in sale: the down-payment lines billed only by the deleted invoices go with them. */
export function releaseDownPayments(env: Env, moveIds: readonly number[]): void {
  const amls = env.model('account.move.line');
  const deleting = new Set(moveIds);
  const saleLines = env.model('sale.order.line');
  const orphans = downPaymentLinesOf(env, moveIds).filter((id) =>
    idList(saleLines.row(id)?.invoice_lines).every((amlId) => deleting.has(amls.row(amlId)?.move_id as number)),
  );
  if (orphans.length === 0) return;
  releasingDownPayments.add(env.db);
  try {
    saleLines.unlink(orphans);
  } finally {
    releasingDownPayments.delete(env.db);
  }
}
