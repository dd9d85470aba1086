import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import { liveOrders, indexOdooSnapshot } from './odoo-index.ts';
import type { Invariant } from './types.ts';

const NAME = 'no-duplicate-orders';

export const noDuplicateOrders: Invariant = {
  name: NAME,
  description: 'Each order the capture platform placed maps to at most one non-cancelled sale order in Odoo (by client_order_ref).',
  check(input, history) {
    if (input.odoo === undefined) return unknownVerdict(NAME, 'Odoo was not read, so its sale orders are unknown');
    const odoo = indexOdooSnapshot(input.odoo);
    // Without the capture ledger, every ref Odoo knows is still worth checking.
    const refs = input.ledgers.capture?.orders.map((o) => o.ref) ?? [...odoo.ordersByRef.keys()];
    const log = new ViolationLog();
    for (const ref of refs) {
      const orders = liveOrders(odoo, ref);
      if (orders.length <= 1) continue;
      const creates = orders.flatMap((o) => history.writesOn('sale.order', o.id).filter((e) => e.method === 'create'));
      log.add({
        orderRef: ref,
        message: `${orders.length} live sale orders: ${orders.map((o) => `${o.name} (id ${o.id}, ${o.state})`).join(', ')}`,
        events: creates.map((e) => e.seq),
        records: orders.map((o) => ({ model: 'sale.order', id: o.id })),
      });
    }
    return log.verdict(NAME, {
      pass: `${plural(refs.length, 'order')} checked, none duplicated`,
      fail: `${plural(log.count, 'order')} of ${refs.length} duplicated in Odoo`,
    });
  },
};
