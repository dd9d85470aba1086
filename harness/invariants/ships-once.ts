import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import type { Invariant } from './types.ts';

const NAME = 'ships-once';

/**
 * A customer who ordered three units must not receive six: the 3PL's live
 * shipments for an order (cancelled ones aside; a partial shipment's
 * backorder is the rest of the same booking, so split parcels add up to it)
 * hold no more of any product than the order did. A second booking after a
 * lost answer is the defect this catches; Odoo's one delivery per sale order
 * cannot show it, because the extra parcel exists only at the 3PL.
 */
export const shipsOnce: Invariant = {
  name: NAME,
  description: "Per order, the 3PL's non-cancelled shipments hold no more of any product than the capture platform's order did: nothing ships twice.",
  check(input, history) {
    const capture = input.ledgers.capture;
    const logistics = input.ledgers.logistics;
    if (capture === undefined || logistics === undefined)
      return unknownVerdict(NAME, 'without the capture and 3PL ledgers, what was ordered and what shipped are unknown');
    const shipped = new Map<string, { ids: string[]; bySku: Map<string, number> }>();
    for (const shipment of logistics.shipments) {
      if (shipment.status === 'cancelled') continue;
      const entry = shipped.get(shipment.orderRef) ?? { ids: [], bySku: new Map<string, number>() };
      entry.ids.push(shipment.shipmentId);
      for (const line of shipment.lines) entry.bySku.set(line.sku, (entry.bySku.get(line.sku) ?? 0) + line.quantity);
      shipped.set(shipment.orderRef, entry);
    }
    const log = new ViolationLog();
    for (const order of capture.orders) {
      const entry = shipped.get(order.ref);
      if (entry === undefined) continue;
      const ordered = new Map<string, number>();
      for (const line of order.lines) ordered.set(line.sku, (ordered.get(line.sku) ?? 0) + line.quantity);
      const over = [...entry.bySku].filter(([sku, quantity]) => quantity > (ordered.get(sku) ?? 0));
      if (over.length === 0) continue;
      const ids = new Set(entry.ids);
      const events = (history.orders.get(order.ref)?.shipmentStatuses ?? []).filter((e) => ids.has(String(e.data?.shipmentId))).map((e) => e.seq);
      log.add({
        orderRef: order.ref,
        message:
          `${plural(entry.ids.length, 'live shipment')} (${entry.ids.join(', ')}) hold ` +
          over.map(([sku, quantity]) => `${quantity} × ${sku} against ${ordered.get(sku) ?? 0} ordered`).join(', '),
        events: events.slice(0, 6),
      });
    }
    return log.verdict(NAME, {
      pass: `${plural(capture.orders.length, 'order')} checked, none shipped more than ordered`,
      fail: `${plural(log.count, 'order')} of ${capture.orders.length} shipped more than ordered`,
    });
  },
};
