/**
 * Makes the sale order total what the customer was charged. A storefront that
 * prices with more decimals than Odoo stores (1.005 where Odoo keeps 1.01)
 * charges a cent or more less than Odoo's order, and then neither the invoice
 * nor the payment ever reconciles. A small difference is booked on the order as
 * a "rounding difference" line, so the order, its invoice and the payment agree
 * with the charge; a larger one is a real discrepancy and goes to a person.
 */
import type { OdooClient } from '../../harness/odoo/client.ts';
import { ROUNDING_PRODUCT_CODE } from '../../harness/odoo/bootstrap.ts';
import { readSaleOrder } from '../shared/odoo-sales.ts';
import { isMarkerTaken } from './create-once.ts';
import type { OrderView } from './order-view.ts';
import type { SyncDeps } from './sync-order.ts';

/** Thrown when Odoo's total and the charge differ by more than rounding can explain: no retry cures it. */
export class RoundingDiscrepancyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoundingDiscrepancyError';
  }
}

/** Amounts from Odoo and the capture platform have at most 2 decimals; whole cents keep float noise out of the comparison. */
function cents(amount: number): number {
  return Math.round(amount * 100);
}

function money(centsValue: number): string {
  return (centsValue / 100).toFixed(2);
}

/**
 * The tag that marks an order's one rounding line. Looking for the line
 * before adding it cannot see an earlier add still on its way: held past its
 * timeout, it lands after the retry's and books the difference twice. So the
 * line goes in with a new tag of this name in the same write, and whichever
 * write lands second is refused whole (crm.tag names are unique; see
 * create-once.ts and transcript 110).
 */
export function roundingMarker(ref: string): string {
  return `faultline-rounding:${ref}`;
}

/**
 * Compares the sale order's total with the charge and books the difference
 * once. The intent is logged before the line is added: an attempt that finds
 * it logged by an earlier one looks for that line in Odoo before adding one,
 * and the marker refuses an add that comes too late to be seen.
 */
export async function settleRounding(
  deps: SyncDeps,
  client: OdooClient,
  view: OrderView,
  update: (change: (v: OrderView) => void) => OrderView,
): Promise<void> {
  const ref = view.ref;
  const saleOrderId = view.saleOrderId!;
  const charged = cents(view.order!.total);
  const so = await readSaleOrder(client, saleOrderId);
  if (so === undefined) throw new Error(`sale order ${saleOrderId} of ${ref} is not in Odoo any more; reconciliation will create it again`);
  const odooTotal = cents(so.amount_total);

  const recordBooked = async (total: number): Promise<boolean> => {
    const booked = await roundingLines(deps, client, saleOrderId);
    if (booked.length === 0) return false;
    const adjustment = booked.reduce((sum, line) => sum + cents(line.price_unit * line.product_uom_qty), 0);
    if (total !== charged) {
      throw new RoundingDiscrepancyError(
        `${so.name} for ${ref} already has a rounding line of ${money(adjustment)} yet totals ${money(total)} where the storefront charged ${money(charged)}; ` +
          'the order changed after the adjustment, check it in Odoo',
      );
    }
    update((v) => {
      v.roundingAdjustment = adjustment;
    });
    deps.event('order.rounding_adjusted', ref, { saleOrderId, difference: adjustment / 100, charged: charged / 100, recovered: true });
    return true;
  };
  if (view.roundingRequested === true && (await recordBooked(odooTotal))) return;

  const difference = charged - odooTotal;
  if (difference === 0) {
    update((v) => {
      v.roundingAdjustment = 0;
    });
    return;
  }
  if (Math.abs(difference) > deps.roundingToleranceCents) {
    throw new RoundingDiscrepancyError(
      `${so.name} for ${ref} totals ${money(odooTotal)} but the storefront charged ${money(charged)}: ` +
        `${money(Math.abs(difference))} is more than the ${deps.roundingToleranceCents}-cent rounding tolerance (roundingToleranceCents), ` +
        'so it is a real discrepancy in prices, lines or tax, not rounding; correct the order in Odoo and retry the job',
    );
  }
  const products = await deps.products.resolve(client, [ROUNDING_PRODUCT_CODE]);
  if (view.roundingRequested !== true) {
    update((v) => {
      v.roundingRequested = true;
    });
  }
  const line = {
    product_id: products.get(ROUNDING_PRODUCT_CODE)!.id,
    name: `Rounding difference (charged ${money(charged)}, Odoo's lines total ${money(odooTotal)})`,
    product_uom_qty: 1,
    price_unit: difference / 100,
    // Even if someone taxed the product since the bootstrap: taxed, the line would move the total by more than the difference.
    tax_id: [[6, 0, []]],
  };
  try {
    await client.write('sale.order', [saleOrderId], { order_line: [[0, 0, line]], tag_ids: [[0, 0, { name: roundingMarker(ref) }]] });
  } catch (error) {
    if (!isMarkerTaken(error)) throw error;
    // An earlier attempt's line landed after this one looked: it is the order's rounding.
    const now = await readSaleOrder(client, saleOrderId);
    if (now !== undefined && (await recordBooked(cents(now.amount_total)))) return;
    throw new Error(`${so.name} for ${ref} carries the rounding marker but no rounding line; the next attempt looks again`);
  }
  update((v) => {
    v.roundingAdjustment = difference;
  });
  deps.event('order.rounding_adjusted', ref, { saleOrderId, difference: difference / 100, charged: charged / 100, odooTotal: odooTotal / 100 });
}

async function roundingLines(deps: SyncDeps, client: OdooClient, saleOrderId: number): Promise<{ price_unit: number; product_uom_qty: number }[]> {
  const products = await deps.products.resolve(client, [ROUNDING_PRODUCT_CODE]);
  const rows = await client.searchRead(
    'sale.order.line',
    [
      ['order_id', '=', saleOrderId],
      ['product_id', '=', products.get(ROUNDING_PRODUCT_CODE)!.id],
    ],
    {
      fields: ['price_unit', 'product_uom_qty'],
    },
  );
  return rows.map((r) => ({ price_unit: Number(r.price_unit), product_uom_qty: Number(r.product_uom_qty) }));
}
