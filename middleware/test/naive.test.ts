import { afterEach, describe, expect, it } from 'vitest';
import { createNaiveMiddleware } from '../naive/index.ts';
import { paymentEvent, sampleOrder, shipmentEvent, TestWorld } from './test-world.ts';

describe('the naive middleware', () => {
  let world: TestWorld;
  afterEach(async () => world?.stop());

  it('creates, confirms and ships an order before answering the capture platform', async () => {
    world = await new TestWorld(createNaiveMiddleware).boot();
    const order = sampleOrder('CAP-000001');
    const answer = (await world.call(world.postOrder(order))) as Response;
    expect(answer.status).toBe(201);
    const [so] = world.odoo.ordersByRef('CAP-000001');
    expect(so?.state).toBe('sale');
    expect(world.logistics.shipments).toHaveLength(1);
    expect(world.odoo.calls.every((c) => c.corr === 'CAP-000001' && c.login === 'faultline-middleware')).toBe(true);
    expect(world.events('order.accepted', 'CAP-000001')).toHaveLength(1);
  });

  it('duplicates the order when the capture platform retries after a lost answer', async () => {
    world = await new TestWorld(createNaiveMiddleware).boot();
    const order = sampleOrder('CAP-000002');
    let first = true;
    world.net.loseResponse = (_request, from) => {
      if (from !== 'capture' || !first) return false;
      first = false;
      return true;
    };
    const lost = await world.call(world.postOrder(order, { 'idempotency-key': 'k-1' }));
    expect(lost).toBeInstanceOf(Error);
    const retry = (await world.call(world.postOrder(order, { 'idempotency-key': 'k-1', 'x-attempt': '2' }))) as Response;
    expect(retry.status).toBe(201);
    expect(world.odoo.ordersByRef('CAP-000002')).toHaveLength(2);
  });

  it('lets a late "in_transit" overwrite "delivered" in its own view', async () => {
    world = await new TestWorld(createNaiveMiddleware).boot();
    await world.call(world.postOrder(sampleOrder('CAP-000003')));
    const shipmentId = world.logistics.shipments[0]!.shipmentId;
    await world.call(world.logisticsWebhook(shipmentEvent('CAP-000003', shipmentId, 6, 'delivered')));
    await world.call(world.logisticsWebhook(shipmentEvent('CAP-000003', shipmentId, 4, 'in_transit')));
    const states = world.events('shipment.state', 'CAP-000003').map((e) => e.data?.status);
    expect(states).toEqual(['delivered', 'in_transit']);
  });

  it('books a payment that arrives before delivery on the customer, and invoices nothing yet', async () => {
    world = await new TestWorld(createNaiveMiddleware).boot();
    const order = sampleOrder('CAP-000004', ['FL-STOCK-01']);
    await world.call(world.postOrder(order));
    const answer = (await world.call(world.paymentWebhook(paymentEvent('CAP-000004', order.total)))) as Response;
    expect(answer.status).toBe(200);
    expect(world.odoo.pickings[0]?.state).toBe('assigned');
    expect(world.odoo.invoices.filter((i) => i.state === 'posted')).toHaveLength(0);
    expect(world.odoo.payments.filter((p) => p.memo === 'CAP-000004')).toHaveLength(1);
  });

  it('records the money twice when the gateway repeats a webhook', async () => {
    world = await new TestWorld(createNaiveMiddleware).boot();
    const order = sampleOrder('CAP-000005', ['FL-CONSU-01']);
    await world.call(world.postOrder(order));
    const event = paymentEvent('CAP-000005', order.total);
    await world.call(world.paymentWebhook(event));
    await world.call(world.paymentWebhook(event));
    expect(world.odoo.payments.filter((p) => p.memo === 'CAP-000005')).toHaveLength(2);
  });

  it('refuses the order when Odoo is down, and never tries again', async () => {
    world = await new TestWorld(createNaiveMiddleware).boot();
    world.odoo.down = true;
    const answer = (await world.call(world.postOrder(sampleOrder('CAP-000006')))) as Response;
    expect(answer.status).toBe(502);
    world.odoo.down = false;
    await world.net.advance(3600_000);
    expect(world.odoo.ordersByRef('CAP-000006')).toHaveLength(0);
  });

  it('answers bad input with a 400 that says what is wrong', async () => {
    world = await new TestWorld(createNaiveMiddleware).boot();
    const answer = (await world.call(world.postOrder({ ref: 'CAP-1', lines: [] }))) as Response;
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toMatch(/currency|customer|lines/);
  });
});

describe('the naive middleware on a cancellation', () => {
  it('cancels the sale order and the shipment it booked', async () => {
    const world = await new TestWorld(createNaiveMiddleware).boot();
    await world.call(world.postOrder(sampleOrder('CAP-000020')));
    const answer = (await world.call(world.capture('http://middleware.sim/orders/CAP-000020/cancel', { method: 'POST', body: '{"ref":"CAP-000020","reason":"customer"}', timeoutMs: 5000 }))) as Response;
    expect(answer.status).toBe(200);
    expect(world.odoo.ordersByRef('CAP-000020')[0]?.state).toBe('cancel');
    expect(world.logistics.byRef('CAP-000020')[0]?.status).toBe('cancelled');
    await world.stop();
  });
});
