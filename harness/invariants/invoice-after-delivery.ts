import type { OdooCallEvent } from '../core/history.ts';
import { formatOdooDate, formatOdooDatetime } from '../core/clock.ts';
import { ROUNDING_PRODUCT_CODE } from '../odoo/bootstrap.ts';
import { productBySku } from '../world/catalogue.ts';
import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import type { HistoryIndex } from './history-index.ts';
import { indexOdooSnapshot, type OdooIndex } from './odoo-index.ts';
import type { CaptureLedgerOrder, LogisticsLedger } from '../contracts/ledgers.ts';
import type { InvoiceRow, PickingRow } from './odoo-snapshot.ts';
import type { Invariant } from './types.ts';

const NAME = 'invoice-after-delivery';

/** `date_done` keeps whole seconds; the validating call inside that second gives the exact instant. */
const DATE_DONE_RESOLUTION_MS = 1000;

export const invoiceAfterDelivery: Invariant = {
  name: NAME,
  description: 'No customer invoice containing delivered-quantity goods (invoice policy "delivery") is posted before its delivery is done.',
  check(input, history) {
    if (input.odoo === undefined) return unknownVerdict(NAME, 'Odoo was not read, so its invoices and deliveries are unknown');
    const odoo = indexOdooSnapshot(input.odoo);
    const captureByRef = new Map((input.ledgers.capture?.orders ?? []).map((o) => [o.ref, o]));
    const parcelsDelivered = physicalDeliveries(input.ledgers.logistics, history);
    const log = new ViolationLog();
    let checked = 0;
    const undecided: string[] = [];

    for (const invoice of input.odoo.invoices) {
      if (invoice.moveType !== 'out_invoice') continue;
      const postCall = firstPost(history, invoice.id);
      if (postCall === undefined && invoice.state !== 'posted') continue;
      const ref = odoo.refOfInvoice(invoice);
      const goods = deliveryGoods(invoice, ref === undefined ? undefined : captureByRef.get(ref), odoo);
      if (goods === undefined) {
        undecided.push(`${invoice.name}: its products are unknown`);
        continue;
      }
      if (goods.length === 0) continue;
      checked++;
      const pickings = ref === undefined ? [] : (odoo.ordersByRef.get(ref) ?? []).flatMap((o) => odoo.pickingsByOrderId.get(o.id) ?? []);
      const done = earliestDone(pickings, history);
      const evidence = () => ({
        orderRef: ref,
        events: [...(postCall === undefined ? [] : [postCall.seq]), ...(done?.call === undefined ? [] : [done.call.seq])],
        records: [{ model: 'account.move', id: invoice.id }, ...pickings.map((p) => ({ model: 'stock.picking', id: p.id }))],
      });
      const what = (): string => `${invoice.name} (${goods.join(', ')})`;

      if (done === undefined) {
        log.add({ ...evidence(), message: `${what()} is posted, but ${ref ?? 'its order'} has no done delivery` });
        continue;
      }
      if (postCall !== undefined) {
        if (postCall.t < done.at) {
          log.add({ ...evidence(), message: `${what()} posted at ${stamp(postCall.t)}, before delivery ${done.picking.name} was done at ${stamp(done.at)}` });
          continue;
        }
        // Odoo's picking can be validated early (a middleware that takes one parcel for the whole order):
        // the 3PL's own record says when the goods really arrived.
        const arrived = ref === undefined ? undefined : parcelsDelivered.get(ref);
        if (arrived !== undefined && postCall.t < arrived.at) {
          const when = Number.isFinite(arrived.at) ? `at ${stamp(arrived.at)}` : 'not at all by the end of the run';
          log.add({ ...evidence(), message: `${what()} posted at ${stamp(postCall.t)}, but the 3PL delivered ${arrived.lastParcel} ${when}` });
        }
        continue;
      }
      // No posting call in the history (an Odoo without a recorder): Odoo only keeps the invoice date.
      const invoiceDay = invoice.invoiceDate;
      const doneDay = formatOdooDate(done.at);
      if (invoiceDay !== null && invoiceDay < doneDay)
        log.add({ ...evidence(), message: `${what()} is dated ${invoiceDay}, before delivery ${done.picking.name} was done on ${doneDay}` });
      else if (invoiceDay === null || invoiceDay === doneDay)
        undecided.push(`${invoice.name}: posted the day its delivery was done, and the history has no posting call`);
    }

    return log.verdict(NAME, {
      pass: `${plural(checked, 'posted invoice')} with delivered-quantity goods, all posted after their delivery`,
      fail: `${plural(log.count, 'invoice')} of ${checked} posted before delivery`,
      unknown: undecided.length > 0 ? `${plural(undecided.length, 'invoice')} could not be judged: ${undecided.slice(0, 3).join('; ')}` : undefined,
    });
  },
};

/**
 * Per order, when its last parcel was really delivered according to the 3PL
 * (Infinity when one never was). Cancelled shipments carry no goods.
 *
 * The moment is the history's: the 3PL's `shipment.status` event, stamped by
 * the harness's clock like the posting call it is compared with. The ledger's
 * `at` is the 3PL's own clock, which a clock skew moves; it is the fallback
 * for a delivery the history did not see.
 */
function physicalDeliveries(logistics: LogisticsLedger | undefined, history: HistoryIndex): Map<string, { at: number; lastParcel: string }> {
  const byRef = new Map<string, { at: number; lastParcel: string }>();
  for (const shipment of logistics?.shipments ?? []) {
    if (shipment.status === 'cancelled') continue;
    const delivered = shipment.timeline.find((step) => step.status === 'delivered');
    // Delivered, but the ledger kept no time for it: nothing to judge by.
    if (delivered === undefined && shipment.status === 'delivered') continue;
    const seen = history.orders
      .get(shipment.orderRef)
      ?.shipmentStatuses.find((e) => e.data?.shipmentId === shipment.shipmentId && e.data.status === 'delivered');
    const at = delivered === undefined ? Infinity : (seen?.t ?? Date.parse(delivered.at));
    const known = byRef.get(shipment.orderRef);
    if (known === undefined || at > known.at) byRef.set(shipment.orderRef, { at, lastParcel: shipment.shipmentId });
  }
  return byRef;
}

function firstPost(history: HistoryIndex, invoiceId: number): OdooCallEvent | undefined {
  let maybe: OdooCallEvent | undefined;
  for (const call of history.writesOn('account.move', invoiceId)) {
    if (call.method !== 'action_post') continue;
    if (call.outcome === 'ok') return call;
    maybe ??= call;
  }
  return maybe;
}

/**
 * What on the invoice is billed ahead of delivery: its delivery-policy skus,
 * and, for a line that is no catalogue product (a down payment), the order's
 * delivery-policy skus, since a down payment bills the order's goods before
 * they ship. A rounding difference bills no goods: it only corrects the total.
 * Undefined when the invoice's contents are unknown.
 */
function deliveryGoods(invoice: InvoiceRow, order: CaptureLedgerOrder | undefined, odoo: OdooIndex): string[] | undefined {
  const orderGoods = (): string[] | undefined =>
    order === undefined ? undefined : [...new Set(order.lines.filter((l) => productBySku(l.sku)?.invoicePolicy === 'delivery').map((l) => l.sku))];
  const lines = odoo.linesByInvoiceId.get(invoice.id);
  if (lines === undefined || lines.length === 0) return orderGoods();
  const goods = new Set<string>();
  let billsWholeOrder = false;
  for (const line of lines) {
    const product = line.productId === null ? undefined : odoo.productById.get(line.productId);
    const sku = product?.defaultCode ?? null;
    if (sku === ROUNDING_PRODUCT_CODE) continue;
    const catalogued = sku === null ? undefined : productBySku(sku);
    if (catalogued !== undefined) {
      if (catalogued.invoicePolicy === 'delivery') goods.add(catalogued.sku);
    } else if (product?.invoicePolicy === 'delivery') {
      goods.add(sku ?? `product ${line.productId}`);
    } else {
      billsWholeOrder = true;
    }
  }
  if (billsWholeOrder) {
    const billed = orderGoods();
    if (billed === undefined) return goods.size > 0 ? [...goods] : undefined;
    for (const sku of billed) goods.add(`${sku} by down payment`);
  }
  return [...goods];
}

function earliestDone(pickings: readonly PickingRow[], history: HistoryIndex): { at: number; picking: PickingRow; call?: OdooCallEvent } | undefined {
  let best: { at: number; picking: PickingRow; call?: OdooCallEvent } | undefined;
  for (const picking of pickings) {
    if (picking.state !== 'done' || picking.doneAt === null) continue;
    const doneAt = picking.doneAt;
    const call = history
      .writesOn('stock.picking', picking.id)
      .find((e) => e.method === 'button_validate' && e.outcome === 'ok' && e.t >= doneAt && e.t < doneAt + DATE_DONE_RESOLUTION_MS);
    const at = call?.t ?? doneAt;
    if (best === undefined || at < best.at) best = call === undefined ? { at, picking } : { at, picking, call };
  }
  return best;
}

function stamp(ms: number): string {
  return `${formatOdooDatetime(ms)}.${String(Math.floor(ms) % 1000).padStart(3, '0')}`;
}
