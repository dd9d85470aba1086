import type { Env } from '../../orm/env.ts';
import { companySettings, idList, m2oId } from './company.ts';
import { floatRound, PRECISION } from './rounding.ts';
import { computeDocument, computeLine, type PercentTax, type TaxBaseLine } from './taxes.ts';

/**
 * Stored amounts of sale order lines and orders. Odoo stores them and only
 * recomputes when a line changes, so an order keeps its totals when the
 * company later switches to round_globally (flow 10's last step).
 */

const taxCache = new WeakMap<Env['db'], Map<number, PercentTax>>();

/** Forgets cached taxes of a database, after a client edits a tax. */
export function forgetTaxes(db: Env['db']): void {
  taxCache.delete(db);
}

/** The percent taxes behind tax ids (cached per database: taxes are master data). */
export function percentTaxes(env: Env, taxIds: readonly number[]): PercentTax[] {
  let cache = taxCache.get(env.db);
  if (cache === undefined) taxCache.set(env.db, (cache = new Map()));
  const out: PercentTax[] = [];
  const taxes = env.model('account.tax');
  for (const id of taxIds) {
    let tax = cache.get(id);
    if (tax === undefined) {
      const row = taxes.row(id);
      if (row === undefined) continue;
      tax = { id, amount: Number(row.amount ?? 0), priceInclude: row.price_include === true };
      cache.set(id, tax);
    }
    out.push(tax);
  }
  return out;
}

/** Odoo rounds these on write: Product Price, Product Unit of Measure and Discount are 2 digits. */
export function roundLineInputs(vals: Record<string, unknown>): void {
  if (typeof vals.price_unit === 'number') vals.price_unit = floatRound(vals.price_unit, 10 ** -PRECISION.productPrice);
  if (typeof vals.product_uom_qty === 'number') vals.product_uom_qty = floatRound(vals.product_uom_qty, 10 ** -PRECISION.productUnitOfMeasure);
  if (typeof vals.discount === 'number') vals.discount = floatRound(vals.discount, 10 ** -PRECISION.discount);
}

export function saleLineBase(env: Env, row: Record<string, unknown>): TaxBaseLine {
  return {
    priceUnit: Number(row.price_unit ?? 0),
    quantity: Number(row.product_uom_qty ?? 0),
    discount: Number(row.discount ?? 0),
    taxes: percentTaxes(env, idList(row.tax_id)),
  };
}

/** Writes price_subtotal/price_tax/price_total of sale lines from their inputs. */
export function recomputeSaleLines(env: Env, lineIds: readonly number[]): void {
  const lines = env.model('sale.order.line');
  const settings = companySettings(env);
  for (const id of lineIds) {
    const row = lines.row(id);
    if (row === undefined) continue;
    if (row.display_type !== false && row.display_type !== undefined) continue;
    const amounts = computeLine(saleLineBase(env, row), settings.rounding, settings.taxRounding);
    if (row.price_subtotal !== amounts.subtotal || row.price_tax !== amounts.tax || row.price_total !== amounts.total) {
      lines.write([id], { price_subtotal: amounts.subtotal, price_tax: amounts.tax, price_total: amounts.total });
    }
  }
}

/** Writes amount_untaxed/amount_tax/amount_total of orders from their lines. */
export function recomputeOrderTotals(env: Env, orderIds: readonly number[], excludingLines: ReadonlySet<number> = new Set()): void {
  const orders = env.model('sale.order');
  const lines = env.model('sale.order.line');
  const settings = companySettings(env);
  for (const orderId of orderIds) {
    if (orders.row(orderId) === undefined) continue;
    const bases: TaxBaseLine[] = [];
    for (const lineId of idList(orders.get(orderId, 'order_line'))) {
      const row = excludingLines.has(lineId) ? undefined : lines.row(lineId);
      if (row === undefined || (row.display_type !== false && row.display_type !== undefined)) continue;
      bases.push(saleLineBase(env, row));
    }
    const totals = computeDocument(bases, settings.rounding, settings.taxRounding);
    orders.write([orderId], { amount_untaxed: totals.untaxed, amount_tax: totals.tax, amount_total: totals.total });
  }
}

/** Distinct order ids of some lines. */
export function ordersOfLines(env: Env, lineIds: readonly number[]): number[] {
  const lines = env.model('sale.order.line');
  const out = new Set<number>();
  for (const id of lineIds) {
    const order = m2oId(lines.row(id)?.order_id);
    if (order !== false) out.add(order);
  }
  return [...out];
}
