import { describe, expect, it } from 'vitest';
import { createOdooClient } from '../odoo/client.ts';
import { createEmulatedTarget } from '../odoo/targets/emulated.ts';
import { createTimedFetch } from '../odoo/targets/timed-fetch.ts';
import { readOdoo } from './read-odoo.ts';
import { buildTimeline } from './timeline.ts';

describe('Odoo read over the wire', () => {
  it('reads two sale orders for one client_order_ref in the window, and the timeline shows them as one order in Odoo twice', async () => {
    const target = createEmulatedTarget({ db: 'faultline' });
    const connection = await target.start();
    try {
      const fetch = createTimedFetch(10_000);
      const admin = createOdooClient({ ...connection, fetch });
      const partner = await admin.create('res.partner', { name: 'Customer 1' });
      const [product] = await admin.search('product.product', [['default_code', '=', 'FL-CONSU-01']]);
      const order = (ref: string) => admin.create('sale.order', { partner_id: partner, client_order_ref: ref, order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] });
      const first = await order('SHOP-1001');
      await order('SHOP-1001');
      await order('SHOP-1002');
      await admin.executeKw('sale.order', 'action_confirm', [[first]]);

      const result = await readOdoo({ ...connection, since: Date.parse('2000-01-01T00:00:00Z'), until: Date.parse('2100-01-01T00:00:00Z'), fetch });
      expect(result.format).toBe('odoo-wire');
      const created = result.events.filter((e) => e.kind === 'odoo.record' && e.model === 'sale.order');
      expect(created.map((e) => e.orderRef)).toEqual(['SHOP-1001', 'SHOP-1001', 'SHOP-1002']);
      expect(created[0]!.file).toMatch(/^odoo http:\/\/127\.0\.0\.1:\d+ faultline sale\.order$/);
      const gaps = buildTimeline(result.events).gaps;
      expect(gaps.map((g) => `${g.orderRef} ${g.kind}`)).toEqual(['SHOP-1001 two-odoo-orders']);
    } finally {
      await target.stop();
    }
  });
});
