import { afterEach, describe, expect, it } from 'vitest';
import { INTEGRATION_USER } from '../../harness/contracts/identities.ts';
import { createNaiveMiddleware } from '../naive/index.ts';
import { MiddlewareWorld, during, paymentEvent, sampleOrder, shipmentEvent } from '../../testing/middleware-world.ts';

describe('the naive middleware', () => {
  let w: MiddlewareWorld;
  afterEach(async () => w?.stop());

  it('creates, confirms and ships an order before answering the capture platform', async () => {
    w = await MiddlewareWorld.create(createNaiveMiddleware);
    const order = sampleOrder('CAP-000001');
    const answer = (await w.world.call(w.postOrder(order))) as Response;
    expect(answer.status).toBe(201);
    expect(w.saleOrders('CAP-000001').map((so) => so.state)).toEqual(['sale']);
    expect(w.logistics.shipments).toHaveLength(1);
    const calls = w.world.odooCalls();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.corr === 'CAP-000001' && c.principal === INTEGRATION_USER.login)).toBe(true);
    expect(w.events('order.accepted', 'CAP-000001')).toHaveLength(1);
  });

  it('duplicates the order when the capture platform retries after a lost answer', async () => {
    // The first order's answer is lost on its way back; the retry 5 s later is not.
    w = await MiddlewareWorld.create(createNaiveMiddleware, {
      faults: [{ link: { from: 'capture', to: 'middleware', path: '/orders' }, kind: 'response-lost', schedule: during(0, 1_000) }],
    });
    const order = sampleOrder('CAP-000002');
    const lost = await w.world.call(w.postOrder(order, { 'idempotency-key': 'k-1' }));
    expect(lost).toBeInstanceOf(Error);
    const retry = (await w.world.call(w.postOrder(order, { 'idempotency-key': 'k-1', 'x-attempt': '2' }))) as Response;
    expect(retry.status).toBe(201);
    expect(w.saleOrders('CAP-000002')).toHaveLength(2);
  });

  it('lets a late "in_transit" overwrite "delivered" in its own view', async () => {
    w = await MiddlewareWorld.create(createNaiveMiddleware);
    await w.world.call(w.postOrder(sampleOrder('CAP-000003')));
    const shipmentId = w.logistics.shipments[0]!.shipmentId;
    await w.world.call(w.logisticsWebhook(shipmentEvent('CAP-000003', shipmentId, 6, 'delivered')));
    await w.world.call(w.logisticsWebhook(shipmentEvent('CAP-000003', shipmentId, 4, 'in_transit')));
    const states = w.events('shipment.state', 'CAP-000003').map((e) => e.data?.status);
    expect(states).toEqual(['delivered', 'in_transit']);
  });

  it('books a payment that arrives before delivery on the customer, and invoices nothing yet', async () => {
    w = await MiddlewareWorld.create(createNaiveMiddleware);
    const order = sampleOrder('CAP-000004', ['FL-STOCK-01']);
    await w.world.call(w.postOrder(order));
    const answer = (await w.world.call(w.paymentWebhook(paymentEvent('CAP-000004', order.total)))) as Response;
    expect(answer.status).toBe(200);
    expect(w.pickingStates('CAP-000004')).toEqual(['assigned']);
    expect(w.invoices().filter((i) => i.state === 'posted')).toHaveLength(0);
    expect(w.odooPayments('CAP-000004')).toHaveLength(1);
  });

  it('records the money twice when the gateway repeats a webhook', async () => {
    w = await MiddlewareWorld.create(createNaiveMiddleware);
    const order = sampleOrder('CAP-000005', ['FL-CONSU-01']);
    await w.world.call(w.postOrder(order));
    const event = paymentEvent('CAP-000005', order.total);
    await w.world.call(w.paymentWebhook(event));
    await w.world.call(w.paymentWebhook(event));
    expect(w.odooPayments('CAP-000005')).toHaveLength(2);
  });

  it('refuses the order when Odoo is down, and never tries again', async () => {
    w = await MiddlewareWorld.create(createNaiveMiddleware, { faults: [{ system: 'odoo', kind: 'outage', schedule: during(0, 1_000) }] });
    const answer = (await w.world.call(w.postOrder(sampleOrder('CAP-000006')))) as Response;
    expect(answer.status).toBe(502);
    await w.world.advance(3600_000);
    expect(w.world.elapsed).toBeGreaterThan(1_000);
    expect(w.saleOrders('CAP-000006')).toHaveLength(0);
  });

  it('answers bad input with a 400 that says what is wrong', async () => {
    w = await MiddlewareWorld.create(createNaiveMiddleware);
    const answer = (await w.world.call(w.postOrder({ ref: 'CAP-1', lines: [] }))) as Response;
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toMatch(/currency|customer|lines/);
  });
});

describe('the naive middleware on a cancellation', () => {
  it('cancels the sale order and the shipment it booked', async () => {
    const w = await MiddlewareWorld.create(createNaiveMiddleware);
    await w.world.call(w.postOrder(sampleOrder('CAP-000020')));
    const answer = (await w.world.call(w.cancel('CAP-000020', { ref: 'CAP-000020', reason: 'customer' }))) as Response;
    expect(answer.status).toBe(200);
    expect(w.saleOrders('CAP-000020')[0]?.state).toBe('cancel');
    expect(w.logistics.byRef('CAP-000020')[0]?.status).toBe('cancelled');
    await w.stop();
  });
});
