import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import { formatAmount, odooOrderTotal, roundHalfUp, toCents } from './money.ts';
import { indexOdooSnapshot, liveOrders } from './odoo-index.ts';
import type { Invariant } from './types.ts';

const NAME = 'amounts-agree';

/** Odoo's default "Product Price" decimal precision: every stored `price_unit` is rounded to it. */
export const PRODUCT_PRICE_DIGITS = 2;

/** Unit prices Odoo cannot store as they are, e.g. `2.675 → 2.68`. */
function storedPrices(lines: readonly { unitPrice: number }[], digits: number): string {
  const changed = new Set<string>();
  for (const line of lines) {
    const stored = roundHalfUp(line.unitPrice, digits);
    if (stored !== line.unitPrice) changed.add(`${line.unitPrice} → ${stored}`);
  }
  return [...changed].join(', ');
}

/**
 * Why capture and Odoo disagree, when the storefront's own arithmetic explains
 * it: its total is not Odoo's rounding of the same lines. That is not itself a
 * violation (no middleware can change what a storefront charged), only the
 * reason a middleware has to bridge.
 */
function storefrontRounding(
  order: { lines: readonly { unitPrice: number; quantity: number }[]; taxRate: number; total: number },
  priceDigits: number,
): string | undefined {
  const expected = odooOrderTotal(order.lines, order.taxRate, { priceDigits }).total;
  if (toCents(expected) === toCents(order.total)) return undefined;
  const keptPrices = toCents(odooOrderTotal(order.lines, order.taxRate).total) === toCents(order.total);
  return (
    `Odoo's rounding of the storefront's lines gives ${formatAmount(expected)}, not the ${formatAmount(order.total)} it charged` +
    (keptPrices ? ` (the storefront kept unit prices Odoo stores to ${priceDigits} digits: ${storedPrices(order.lines, priceDigits)})` : '')
  );
}

export const amountsAgree: Invariant = {
  name: NAME,
  description:
    "Order totals agree to the cent across what the capture platform charged, Odoo's sale order and its posted invoices. Lines Odoo's order has beyond the storefront's (a rounding difference) count like any other; when the totals disagree, the evidence says whether Odoo's rounding of the storefront's lines (unit prices stored to 2 digits, HALF-UP, tax per line) explains it.",
  check(input) {
    const capture = input.ledgers.capture;
    if (capture === undefined) return unknownVerdict(NAME, 'no capture ledger, so what the storefront charged is unknown');
    if (input.odoo === undefined) return unknownVerdict(NAME, 'Odoo was not read, so its totals are unknown');
    const odoo = indexOdooSnapshot(input.odoo);
    const priceDigits = input.options.priceDigits ?? PRODUCT_PRICE_DIGITS;
    const log = new ViolationLog();
    let compared = 0;

    for (const order of capture.orders) {
      const charged = toCents(order.total);
      const problems: string[] = [];
      const records: { model: string; id: number }[] = [];

      const saleOrders = liveOrders(odoo, order.ref);
      for (const so of saleOrders) {
        if (toCents(so.amountTotal) === charged) continue;
        problems.push(`sale order ${so.name} totals ${formatAmount(so.amountTotal)}, capture charged ${formatAmount(order.total)}`);
        records.push({ model: 'sale.order', id: so.id });
      }

      // A cancelled order is refunded, so its invoices rightly net to nothing.
      const invoices = order.cancelled ? [] : (odoo.invoicesByRef.get(order.ref) ?? []).filter((i) => i.state === 'posted');
      if (invoices.length > 0) {
        let invoicedCents = 0;
        for (const invoice of invoices) invoicedCents += (invoice.moveType === 'out_refund' ? -1 : 1) * toCents(invoice.amountTotal);
        if (invoicedCents !== charged) {
          problems.push(
            `posted invoices ${invoices.map((i) => i.name).join(', ')} net ${formatAmount(invoicedCents / 100)}, capture charged ${formatAmount(order.total)}`,
          );
          records.push(...invoices.map((i) => ({ model: 'account.move', id: i.id })));
        }
      }
      if (saleOrders.length > 0 || invoices.length > 0) compared++;
      if (problems.length === 0) continue;
      const why = storefrontRounding(order, priceDigits);
      log.add({ orderRef: order.ref, message: [...problems, ...(why === undefined ? [] : [`why: ${why}`])].join('; '), records });
    }

    return log.verdict(NAME, {
      pass: `${plural(compared, 'order')} compared with Odoo, all totals agree to the cent`,
      fail: `${plural(log.count, 'order')} of ${capture.orders.length} disagree on the total`,
    });
  },
};
