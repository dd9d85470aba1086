import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createResilientMiddleware } from '../resilient/index.ts';
import type { ResilientMiddleware } from '../resilient/index.ts';
import { paymentEvent, sampleOrder, shipmentEvent, TestWorld } from './test-world.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-resilient-'));
  dirs.push(dir);
  return dir;
}

describe('the resilient middleware', () => {
  let world: TestWorld;
  afterEach(async () => {
    await world?.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function deliverAndPay(ref: string, total: number) {
    const shipmentId = world.logistics.shipments.find((s) => s.orderRef === ref)!.shipmentId;
    await world.call(world.paymentWebhook(paymentEvent(ref, total)));
    for (const [seq, status] of [[1, 'picked'], [2, 'packed'], [3, 'shipped'], [4, 'delivered']] as const) {
      await world.call(world.logisticsWebhook(shipmentEvent(ref, shipmentId, seq, status)));
    }
    await world.net.run();
  }

  it('acknowledges at once, then creates the order, books the shipment, invoices after delivery and records the payment', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    const order = sampleOrder('CAP-000101');
    const answer = (await world.call(world.postOrder(order))) as Response;
    expect(answer.status).toBe(202);
    await world.net.run();
    const [so] = world.odoo.ordersByRef('CAP-000101');
    expect(so?.state).toBe('sale');
    expect(world.logistics.shipments).toHaveLength(1);
    await deliverAndPay('CAP-000101', order.total);
    expect(world.odoo.pickings[0]?.state).toBe('done');
    expect(world.odoo.invoices.map((i) => [i.state, i.ref])).toEqual([['posted', 'CAP-000101']]);
    expect(world.odoo.payments.map((p) => [p.amount, p.memo])).toEqual([[order.total, 'CAP-000101']]);
    expect(world.odoo.calls.every((c) => c.corr === 'CAP-000101')).toBe(true);
    expect(world.events('invoice.posted', 'CAP-000101')).toHaveLength(1);
    expect(world.events('payment.recorded', 'CAP-000101')).toHaveLength(1);
  });

  it('creates one sale order when the capture platform retries after a lost answer', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    const order = sampleOrder('CAP-000102');
    let first = true;
    world.net.loseResponse = (_request, from) => {
      if (from !== 'capture' || !first) return false;
      first = false;
      return true;
    };
    expect(await world.call(world.postOrder(order, { 'idempotency-key': 'k-1' }))).toBeInstanceOf(Error);
    const retry = (await world.call(world.postOrder(order, { 'idempotency-key': 'k-1', 'x-attempt': '2' }))) as Response;
    expect(retry.status).toBe(409);
    await world.net.run();
    expect(world.odoo.ordersByRef('CAP-000102')).toHaveLength(1);
  });

  it('creates one sale order when its own call to Odoo loses the answer', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    let lost = false;
    world.net.loseResponse = (request, from) => {
      if (from !== 'middleware' || lost || !request.url.startsWith('http://odoo.sim')) return false;
      // The create of the sale order commits, and its answer is lost.
      const isCreate = world.odoo.orders.length === 1;
      if (isCreate) lost = true;
      return isCreate;
    };
    await world.call(world.postOrder(sampleOrder('CAP-000103')));
    await world.net.run();
    expect(lost).toBe(true);
    expect(world.odoo.ordersByRef('CAP-000103')).toHaveLength(1);
    expect(world.odoo.ordersByRef('CAP-000103')[0]!.state).toBe('sale');
    expect(world.logistics.shipments).toHaveLength(1);
  });

  it('never moves a shipment backwards when events arrive out of order', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    await world.call(world.postOrder(sampleOrder('CAP-000104')));
    await world.net.run();
    const shipmentId = world.logistics.shipments[0]!.shipmentId;
    for (const [seq, status] of [[1, 'picked'], [4, 'delivered'], [3, 'shipped'], [2, 'packed'], [4, 'delivered']] as const) {
      await world.call(world.logisticsWebhook(shipmentEvent('CAP-000104', shipmentId, seq, status)));
    }
    await world.net.run();
    const states = world.events('shipment.state', 'CAP-000104').map((e) => e.data?.status);
    expect(states).toEqual(['picked', 'delivered']);
    expect(world.odoo.pickings[0]?.state).toBe('done');
  });

  it('does not invoice delivery-policy goods before the 3PL reports them delivered', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    const order = sampleOrder('CAP-000105', ['FL-STOCK-01']);
    await world.call(world.postOrder(order));
    await world.call(world.paymentWebhook(paymentEvent('CAP-000105', order.total)));
    await world.net.run();
    expect(world.odoo.invoices).toHaveLength(0);
    const shipmentId = world.logistics.shipments[0]!.shipmentId;
    await world.call(world.logisticsWebhook(shipmentEvent('CAP-000105', shipmentId, 3, 'shipped')));
    await world.net.run();
    expect(world.odoo.invoices).toHaveLength(0);
    await world.call(world.logisticsWebhook(shipmentEvent('CAP-000105', shipmentId, 6, 'delivered')));
    await world.net.run();
    expect(world.odoo.invoices.map((i) => i.state)).toEqual(['posted']);
  });

  it('records a payment once when the gateway repeats its webhook', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    const order = sampleOrder('CAP-000106', ['FL-SERV-01']);
    await world.call(world.postOrder(order));
    const event = paymentEvent('CAP-000106', order.total);
    await world.call(world.paymentWebhook(event));
    await world.call(world.paymentWebhook(event));
    await world.net.run();
    expect(world.odoo.payments).toHaveLength(1);
  });

  it('refuses a webhook whose signature does not match', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    const answer = (await world.call(world.paymentWebhook(paymentEvent('CAP-000107', 1), 'whsec_wrong'))) as Response;
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { error: string }).error).toMatch(/signature does not match/);
  });

  it('survives a crash between accepting an order and processing it', async () => {
    world = await new TestWorld(createResilientMiddleware, { dataDir: tempDir() }).boot();
    const answer = (await world.call(world.postOrder(sampleOrder('CAP-000108')))) as Response;
    expect(answer.status).toBe(202);
    expect(world.odoo.orders).toHaveLength(0);
    await world.crashAndRestart();
    await world.net.run();
    expect(world.odoo.ordersByRef('CAP-000108')).toHaveLength(1);
    expect(world.logistics.shipments).toHaveLength(1);
  });

  it('loses an accepted order in a crash when it has no data folder (in-memory store)', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    await world.call(world.postOrder(sampleOrder('CAP-000109')));
    await world.crashAndRestart();
    await world.net.run();
    expect(world.odoo.orders).toHaveLength(0);
  });

  it('retries with back-off while Odoo is down and delivers the order once it is back', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    world.odoo.down = true;
    const answer = (await world.call(world.postOrder(sampleOrder('CAP-000110')))) as Response;
    expect(answer.status).toBe(202);
    await world.net.advance(60_000);
    expect(world.odoo.orders).toHaveLength(0);
    const attempts = world.net.exchanges.filter((e) => e.from === 'middleware' && e.url.startsWith('http://odoo.sim'));
    expect(attempts.length).toBeGreaterThan(3);
    expect(attempts.length).toBeLessThan(20);
    world.odoo.down = false;
    await world.net.run();
    expect(world.odoo.ordersByRef('CAP-000110')).toHaveLength(1);
  });

  it('moves a job to the dead-letter queue after its last attempt', async () => {
    world = await new TestWorld(createResilientMiddleware, { config: { maxAttempts: 3, retryBaseMs: 10, retryCapMs: 100 } }).boot();
    world.odoo.down = true;
    await world.call(world.postOrder(sampleOrder('CAP-000111')));
    await world.net.run();
    expect((world.middleware as ResilientMiddleware).deadLetters().map((d) => [d.ref, d.attempts])).toEqual([['CAP-000111', 3]]);
    expect(world.events('deadletter', 'CAP-000111')).toHaveLength(1);
  });

  it('reconciles a delivery whose webhook never arrived, using the 3PL API', async () => {
    world = await new TestWorld(createResilientMiddleware, { config: { reconcileIntervalMs: 60_000, reconcileQuietMs: 30_000 } }).boot();
    const order = sampleOrder('CAP-000112', ['FL-STOCK-01']);
    await world.call(world.postOrder(order));
    await world.call(world.paymentWebhook(paymentEvent('CAP-000112', order.total)));
    await world.net.run();
    world.logistics.advance(world.logistics.shipments[0]!.shipmentId, 'shipped');
    world.logistics.advance(world.logistics.shipments[0]!.shipmentId, 'delivered');
    await world.net.advance(5 * 60_000);
    await world.net.run();
    expect(world.odoo.pickings[0]?.state).toBe('done');
    expect(world.odoo.invoices.map((i) => i.state)).toEqual(['posted']);
    expect(world.odoo.payments).toHaveLength(1);
    expect(world.events('shipment.state', 'CAP-000112').at(-1)?.data?.status).toBe('delivered');
  });

  it('paces reconciliation in business time, so a live run squeezed by timeScale repairs a lost webhook within seconds', async () => {
    // Defaults: quiet for 2 min, a pass every 30 s; at 1/120 they become the 2 s and 1 s floors.
    world = await new TestWorld(createResilientMiddleware, { config: { timeScale: 1 / 120 } }).boot();
    const order = sampleOrder('CAP-000114', ['FL-STOCK-01']);
    await world.call(world.postOrder(order));
    await world.call(world.paymentWebhook(paymentEvent('CAP-000114', order.total)));
    await world.net.run();
    world.logistics.advance(world.logistics.shipments[0]!.shipmentId, 'shipped');
    world.logistics.advance(world.logistics.shipments[0]!.shipmentId, 'delivered');
    await world.net.advance(10_000);
    expect(world.odoo.pickings[0]?.state).toBe('done');
    expect(world.events('shipment.state', 'CAP-000114').at(-1)?.data?.status).toBe('delivered');
  });

  it('behaves the same for the same seed', async () => {
    const run = async () => {
      const w = await new TestWorld(createResilientMiddleware, { seed: 7, config: { retryBaseMs: 100 } }).boot();
      w.odoo.down = true;
      await w.call(w.postOrder(sampleOrder('CAP-000113')));
      await w.net.advance(10_000);
      w.odoo.down = false;
      await w.net.run();
      await w.stop();
      return w.net.exchanges.map((e) => `${w.scheduler.now()}:${e.from}:${e.url}:${e.outcome}`).join('\n') + w.history.events.map((e) => `${e.t}`).join(',');
    };
    world = await new TestWorld(createResilientMiddleware).boot();
    expect(await run()).toBe(await run());
  });
});

describe('the resilient middleware when answers are lost', () => {
  let world: TestWorld;
  afterEach(async () => world?.stop());

  it('books one shipment when the 3PL commits a booking and its answer is lost', async () => {
    world = await new TestWorld(createResilientMiddleware, { config: { upstreamTimeoutMs: 1000 } }).boot();
    let lost = 0;
    world.net.loseResponse = (request) => {
      if (request.method !== 'POST' || request.url !== 'http://logistics.sim/shipments' || lost > 0) return false;
      lost++;
      return true;
    };
    await world.call(world.postOrder(sampleOrder('CAP-000201')));
    await world.net.run();
    expect(lost).toBe(1);
    expect(world.logistics.byRef('CAP-000201')).toHaveLength(1);
  });

  it('registers one payment when Odoo commits the registration and its answer is lost', async () => {
    world = await new TestWorld(createResilientMiddleware, { config: { odooTimeoutMs: 1000 } }).boot();
    const order = sampleOrder('CAP-000202', ['FL-SERV-01']);
    let lost = 0;
    // The call that just created the payment loses its answer.
    world.net.loseResponse = (_request, from) => {
      if (from !== 'middleware' || world.odoo.payments.length !== 1 || lost > 0) return false;
      lost++;
      return true;
    };
    await world.call(world.postOrder(order));
    await world.call(world.paymentWebhook(paymentEvent('CAP-000202', order.total)));
    await world.net.run();
    expect(lost).toBe(1);
    expect(world.odoo.payments).toHaveLength(1);
    expect(world.events('payment.recorded', 'CAP-000202')).toHaveLength(1);
  });

  it('waits for every parcel of a split shipment before validating the delivery', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    const order = sampleOrder('CAP-000203', ['FL-STOCK-01', 'FL-STOCK-02']);
    await world.call(world.postOrder(order));
    await world.call(world.paymentWebhook(paymentEvent('CAP-000203', order.total)));
    await world.net.run();
    const parcel = world.logistics.byRef('CAP-000203')[0]!.shipmentId;
    await world.call(world.logisticsWebhook({ ...shipmentEvent('CAP-000203', parcel, 6, 'delivered'), lines: [{ sku: 'FL-STOCK-01', quantity: 2 }] }));
    await world.net.run();
    expect(world.odoo.pickings[0]?.state).toBe('assigned');
    expect(world.odoo.invoices).toHaveLength(0);
    await world.call(world.logisticsWebhook({ ...shipmentEvent('CAP-000203', `${parcel}-b`, 6, 'delivered'), lines: [{ sku: 'FL-STOCK-02', quantity: 2 }] }));
    await world.net.run();
    expect(world.odoo.pickings[0]?.state).toBe('done');
    expect(world.odoo.invoices.map((i) => i.state)).toEqual(['posted']);
  });

  it('stops a superseded incarnation from writing after a restart on the same data folder', async () => {
    const dataDir = tempDir();
    world = await new TestWorld(createResilientMiddleware, { dataDir }).boot();
    const zombie = world.middleware;
    await world.crashAndRestart();
    const answer = await zombie.handle(new Request('http://middleware.sim/orders', { method: 'POST', body: JSON.stringify(sampleOrder('CAP-000204')) }));
    expect(answer.status).toBe(500);
    expect(await answer.text()).toMatch(/replaced by a newer one/);
    await world.net.run();
    expect(world.odoo.orders).toHaveLength(0);
  });
});

describe('the resilient middleware on a cancellation', () => {
  let world: TestWorld;
  afterEach(async () => world?.stop());

  it('cancels the sale order in Odoo and the shipment at the 3PL', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    await world.call(world.postOrder(sampleOrder('CAP-000301')));
    await world.net.run();
    const answer = (await world.call(world.capture('http://middleware.sim/orders/CAP-000301/cancel', { method: 'POST', body: JSON.stringify({ ref: 'CAP-000301', reason: 'customer' }), timeoutMs: 5000 }))) as Response;
    expect(answer.status).toBe(202);
    await world.net.run();
    expect(world.odoo.ordersByRef('CAP-000301')[0]?.state).toBe('cancel');
    expect(world.logistics.byRef('CAP-000301')[0]?.status).toBe('cancelled');
  });

  it('never creates the order when the cancellation arrives before the work is done', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    world.odoo.down = true;
    await world.call(world.postOrder(sampleOrder('CAP-000302')));
    await world.call(world.capture('http://middleware.sim/orders/CAP-000302/cancel', { method: 'POST', body: '{}', timeoutMs: 5000 }));
    world.odoo.down = false;
    await world.net.run();
    expect(world.odoo.ordersByRef('CAP-000302')).toHaveLength(0);
    expect(world.logistics.byRef('CAP-000302')).toHaveLength(0);
  });
});

describe('the resilient middleware on a cancellation after payment', () => {
  let world: TestWorld;
  afterEach(async () => world?.stop());

  it('refunds the captured payment once the order is cancelled', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    const order = sampleOrder('CAP-000401');
    await world.call(world.postOrder(order));
    await world.call(world.paymentWebhook(paymentEvent('CAP-000401', order.total)));
    await world.net.run();
    await world.call(world.capture('http://middleware.sim/orders/CAP-000401/cancel', { method: 'POST', body: '{}', timeoutMs: 5000 }));
    await world.net.run();
    expect(world.payments.refunds).toEqual([{ paymentId: 'pay_CAP-000401', amount: order.total, idempotencyKey: 'refund-pay_CAP-000401' }]);
    expect(world.odoo.invoices).toHaveLength(0);
  });

  it('refuses to cancel an order whose parcel was delivered, and invoices it as usual', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    const order = sampleOrder('CAP-000402');
    await world.call(world.postOrder(order));
    await world.net.run();
    const parcel = world.logistics.byRef('CAP-000402')[0]!.shipmentId;
    world.logistics.advance(parcel, 'shipped');
    await world.call(world.capture('http://middleware.sim/orders/CAP-000402/cancel', { method: 'POST', body: '{}', timeoutMs: 5000 }));
    await world.call(world.paymentWebhook(paymentEvent('CAP-000402', order.total)));
    await world.call(world.logisticsWebhook(shipmentEvent('CAP-000402', parcel, 6, 'delivered')));
    await world.net.run();
    expect(world.events('order.cancel_refused', 'CAP-000402')).toHaveLength(1);
    expect(world.payments.refunds).toEqual([]);
    expect(world.odoo.invoices.map((i) => i.state)).toEqual(['posted']);
  });
});
