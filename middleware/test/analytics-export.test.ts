import { describe, expect, it } from 'vitest';
import { createOdooClient } from '../../harness/odoo/client.ts';
import { createAnalyticsSink } from '../../simulators/analytics/index.ts';
import { startAnalyticsExport } from '../resilient/analytics-export.ts';
import { createResilientMiddleware } from '../resilient/index.ts';
import type { AnalyticsSink } from '../../simulators/analytics/index.ts';
import { MiddlewareWorld, paymentEvent, sampleOrder } from '../../testing/middleware-world.ts';

describe('the resilient analytics export', () => {
  it('sends an order taken to cash as one order, one invoice and one payment row, each once, whatever the number of passes', async () => {
    const w = await MiddlewareWorld.create(createResilientMiddleware, { systems: { sink: createAnalyticsSink } });
    const { world } = w;
    const read = world.read.bind(world);
    const order = sampleOrder('CAP-ANALYTICS', ['FL-STOCK-01', 'FL-STOCK-02']);
    await world.call(w.postOrder(order));
    await world.run();
    await world.call(w.paymentWebhook(paymentEvent(order.ref, order.total)));
    await w.deliver(order.ref, [
      [1, 'picked'],
      [3, 'shipped'],
      [4, 'delivered'],
    ]);

    // Not named `analytics`: the middleware would find it in its urls and run an export of its own.
    const sink = world.system<AnalyticsSink>('sink');
    const context = { ...world.sim.contextFor('exporter'), urls: { ...world.sim.urls, analytics: world.url('sink') } };
    const odoo = createOdooClient({ url: world.url('odoo'), db: 'faultline', login: 'admin', password: 'admin', fetch: context.fetch, timeoutMs: 30_000 });
    const exporter = startAnalyticsExport({ context, odoo, event: () => undefined, intervalMs: 60_000, timeoutMs: 10_000 });
    await world.advance(10 * 60_000);
    exporter.stop();
    await w.stop();

    const [so] = read('sale.order', [['client_order_ref', '=', order.ref]], ['id', 'name', 'amount_total']);
    const [invoice] = read(
      'account.move',
      [
        ['ref', '=', order.ref],
        ['move_type', '=', 'out_invoice'],
      ],
      ['id', 'name'],
    );
    const [payment] = read('account.payment', [['ref', '=', order.ref]], ['id', 'amount']);
    const ledger = sink.ledger();
    expect(ledger.rows.map((r) => [r.type, r.eventId]).sort()).toEqual(
      [
        ['invoice', `odoo:account.move:${invoice!.id}`],
        ['order', `odoo:sale.order:${so!.id}`],
        ['payment', `odoo:account.payment:${payment!.id}`],
      ].sort(),
    );
    expect(ledger.rows.find((r) => r.type === 'order')).toMatchObject({ ref: so!.name, amount: so!.amount_total, currency: 'USD' });
    expect(ledger.rows.find((r) => r.type === 'payment')!.amount).toBeCloseTo(Number(payment!.amount), 2);
    // Ten passes, one row per document: nothing was sent twice for the sink's dedupe to catch.
    expect(ledger.duplicatesDropped).toBe(0);
  });
});
