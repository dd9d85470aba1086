import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import { liveOrders, indexOdooSnapshot } from './odoo-index.ts';
import type { Invariant } from './types.ts';

const NAME = 'every-order-arrives';

export const everyOrderArrives: Invariant = {
  name: NAME,
  description: 'Each order the middleware acknowledged to the capture platform exists in Odoo once the run is quiet.',
  check(input, history) {
    const capture = input.ledgers.capture;
    if (capture === undefined) return unknownVerdict(NAME, 'no capture ledger, so which orders were acknowledged is unknown');
    if (input.odoo === undefined) return unknownVerdict(NAME, 'Odoo was not read, so its sale orders are unknown');
    const odoo = indexOdooSnapshot(input.odoo);
    const log = new ViolationLog();
    let expected = 0;
    for (const order of capture.orders) {
      // An order the customer cancelled may rightly never reach Odoo, or reach it cancelled.
      if (!order.acknowledged || order.cancelled) continue;
      expected++;
      if (liveOrders(odoo, order.ref).length > 0) continue;
      const trail = history.orders.get(order.ref);
      const cancelled = odoo.ordersByRef.get(order.ref) ?? [];
      const failedCalls = trail?.odooWrites.filter((e) => e.outcome !== 'ok') ?? [];
      const acknowledgement = trail?.acknowledged;
      log.add({
        orderRef: order.ref,
        message:
          cancelled.length > 0
            ? `acknowledged, but its sale order ${cancelled.map((o) => o.name).join(', ')} is cancelled in Odoo`
            : `acknowledged, but no sale order in Odoo has it as client_order_ref` +
              (failedCalls.length > 0 ? ` (${plural(failedCalls.length, 'Odoo call')} for it failed or went unanswered)` : ''),
        events: [...(acknowledgement === undefined ? [] : [acknowledgement.seq]), ...failedCalls.map((e) => e.seq)],
        records: cancelled.map((o) => ({ model: 'sale.order', id: o.id })),
      });
    }
    return log.verdict(NAME, {
      pass: `all ${plural(expected, 'acknowledged order')} are in Odoo`,
      fail: `${plural(log.count, 'acknowledged order')} of ${expected} missing from Odoo`,
    });
  },
};
