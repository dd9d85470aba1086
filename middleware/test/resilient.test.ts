import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../harness/core/faults.ts';
import { createResilientMiddleware } from '../resilient/index.ts';
import type { ResilientMiddleware } from '../resilient/index.ts';
import { MiddlewareWorld, during, paymentEvent, sampleOrder, shipmentEvent } from '../../testing/middleware-world.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-resilient-'));
  dirs.push(dir);
  return dir;
}

/** The middleware dies 3 ms after the world starts (it has answered the first order by then, and Odoo has no order yet) and is back a second later. */
const CRASH_AFTER_ACCEPTING: FaultSpec = { system: 'middleware', kind: 'crash', restartAfterMs: 1_000, schedule: during(3, 4) };
const crashes = (w: MiddlewareWorld) => w.world.history.filter((e) => e.kind === 'crash' || e.kind === 'restart').map((e) => e.kind);

describe('the resilient middleware', () => {
  let w: MiddlewareWorld;
  afterEach(async () => {
    await w?.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function deliverAndPay(ref: string, total: number) {
    await w.world.call(w.paymentWebhook(paymentEvent(ref, total)));
    await w.deliver(ref, [
      [1, 'picked'],
      [2, 'packed'],
      [3, 'shipped'],
      [4, 'delivered'],
    ]);
  }

  it('acknowledges at once, then creates the order, books the shipment, invoices after delivery and records the payment', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    const order = sampleOrder('CAP-000101');
    const answer = (await w.world.call(w.postOrder(order))) as Response;
    expect(answer.status).toBe(202);
    await w.world.run();
    expect(w.saleOrders('CAP-000101').map((so) => so.state)).toEqual(['sale']);
    expect(w.logistics.shipments).toHaveLength(1);
    await deliverAndPay('CAP-000101', order.total);
    expect(w.pickingStates('CAP-000101')).toEqual(['done']);
    expect(w.invoices().map((i) => [i.state, i.ref])).toEqual([['posted', 'CAP-000101']]);
    expect(w.odooPayments().map((p) => [Number(p.amount), p.ref])).toEqual([[order.total, 'CAP-000101']]);
    expect(w.world.odooCalls().every((c) => c.corr === 'CAP-000101')).toBe(true);
    expect(w.events('invoice.posted', 'CAP-000101')).toHaveLength(1);
    expect(w.events('payment.recorded', 'CAP-000101')).toHaveLength(1);
  });

  it('renumbers a draft invoice whose first number a concurrently invoiced order took, and posts it', async () => {
    // With Odoo's workers modelled, two orders invoiced in the same instant on a fresh year both get INV/…/00001 as drafts.
    w = await MiddlewareWorld.create(createResilientMiddleware, { odoo: { capacity: { workers: 3 } } });
    const orders = [sampleOrder('CAP-000121', ['FL-CONSU-01']), sampleOrder('CAP-000122', ['FL-CONSU-01'])];
    for (const order of orders) await w.world.call(w.postOrder(order));
    await w.world.run();
    for (const order of orders) {
      await w.world.call(w.paymentWebhook(paymentEvent(order.ref, order.total)));
      const shipmentId = w.logistics.byRef(order.ref)[0]!.shipmentId;
      for (const [seq, status] of [
        [1, 'picked'],
        [2, 'packed'],
        [3, 'shipped'],
      ] as const)
        await w.world.call(w.logisticsWebhook(shipmentEvent(order.ref, shipmentId, seq, status)));
    }
    const delivered = orders.map((order) => w.logisticsWebhook(shipmentEvent(order.ref, w.logistics.byRef(order.ref)[0]!.shipmentId, 4, 'delivered')));
    await w.world.call(Promise.all(delivered).then(() => new Response(null)));
    await w.world.run();
    expect(w.events('invoice.renumbered')).toHaveLength(1);
    const names = w.world.read('account.move', [['move_type', '=', 'out_invoice']], ['name', 'state']);
    expect(names.map((i) => i.state)).toEqual(['posted', 'posted']);
    expect(new Set(names.map((i) => i.name)).size).toBe(2);
    expect(
      w
        .odooPayments()
        .map((p) => p.ref)
        .sort(),
    ).toEqual(['CAP-000121', 'CAP-000122']);
  });

  it('creates one sale order when the capture platform retries after a lost answer', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware, {
      faults: [{ link: { from: 'capture', to: 'middleware', path: '/orders' }, kind: 'response-lost', schedule: during(0, 1_000) }],
    });
    const order = sampleOrder('CAP-000102');
    expect(await w.world.call(w.postOrder(order, { 'idempotency-key': 'k-1' }))).toBeInstanceOf(Error);
    const retry = (await w.world.call(w.postOrder(order, { 'idempotency-key': 'k-1', 'x-attempt': '2' }))) as Response;
    expect(retry.status).toBe(409);
    await w.world.run();
    expect(w.saleOrders('CAP-000102')).toHaveLength(1);
  });

  it('creates one sale order when its own call to Odoo loses the answer', async () => {
    // The create of the sale order commits, and its answer is lost; the retry comes after the 10 s client timeout.
    w = await MiddlewareWorld.create(createResilientMiddleware, {
      faults: [
        { link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'create' } }, kind: 'response-lost', schedule: during(0, 5_000) },
      ],
    });
    await w.world.call(w.postOrder(sampleOrder('CAP-000103')));
    await w.world.run();
    expect(w.world.drops('response-lost')).toHaveLength(1);
    expect(w.saleOrders('CAP-000103').map((so) => so.state)).toEqual(['sale']);
    expect(w.logistics.shipments).toHaveLength(1);
  });

  it('never moves a shipment backwards when events arrive out of order', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    await w.world.call(w.postOrder(sampleOrder('CAP-000104')));
    await w.world.run();
    await w.deliver('CAP-000104', [
      [1, 'picked'],
      [4, 'delivered'],
      [3, 'shipped'],
      [2, 'packed'],
      [4, 'delivered'],
    ]);
    const states = w.events('shipment.state', 'CAP-000104').map((e) => e.data?.status);
    expect(states).toEqual(['picked', 'delivered']);
    expect(w.pickingStates('CAP-000104')).toEqual(['done']);
  });

  it('does not invoice delivery-policy goods before the 3PL reports them delivered', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    const order = sampleOrder('CAP-000105', ['FL-STOCK-01']);
    await w.world.call(w.postOrder(order));
    await w.world.call(w.paymentWebhook(paymentEvent('CAP-000105', order.total)));
    await w.world.run();
    expect(w.invoices()).toHaveLength(0);
    await w.deliver('CAP-000105', [[3, 'shipped']]);
    expect(w.invoices()).toHaveLength(0);
    await w.deliver('CAP-000105', [[6, 'delivered']]);
    expect(w.invoices().map((i) => i.state)).toEqual(['posted']);
  });

  it('records a payment once when the gateway repeats its webhook', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    const order = sampleOrder('CAP-000106', ['FL-SERV-01']);
    await w.world.call(w.postOrder(order));
    const event = paymentEvent('CAP-000106', order.total);
    await w.world.call(w.paymentWebhook(event));
    await w.world.call(w.paymentWebhook(event));
    await w.world.run();
    expect(w.odooPayments()).toHaveLength(1);
  });

  it('refuses a webhook whose signature does not match', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    const answer = (await w.world.call(w.paymentWebhook(paymentEvent('CAP-000107', 1), 'whsec_wrong'))) as Response;
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { error: string }).error).toMatch(/signature does not match/);
  });

  it('survives a crash between accepting an order and processing it', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware, { dataDir: tempDir(), faults: [CRASH_AFTER_ACCEPTING] });
    const answer = (await w.world.call(w.postOrder(sampleOrder('CAP-000108')))) as Response;
    expect(answer.status).toBe(202);
    expect(w.allSaleOrders()).toHaveLength(0);
    await w.world.run();
    expect(crashes(w)).toEqual(['crash', 'restart']);
    expect(w.saleOrders('CAP-000108')).toHaveLength(1);
    expect(w.logistics.shipments).toHaveLength(1);
  });

  it('loses an accepted order in a crash when it has no data folder (in-memory store)', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware, { faults: [CRASH_AFTER_ACCEPTING] });
    await w.world.call(w.postOrder(sampleOrder('CAP-000109')));
    await w.world.run();
    expect(crashes(w)).toEqual(['crash', 'restart']);
    expect(w.allSaleOrders()).toHaveLength(0);
  });

  it('retries with back-off while Odoo is down and delivers the order once it is back', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware, { faults: [{ system: 'odoo', kind: 'outage', schedule: during(0, 61_000) }] });
    const answer = (await w.world.call(w.postOrder(sampleOrder('CAP-000110')))) as Response;
    expect(answer.status).toBe(202);
    await w.world.advance(60_000);
    expect(w.allSaleOrders()).toHaveLength(0);
    const attempts = w.world.sends('middleware', 'odoo');
    expect(attempts.length).toBeGreaterThan(3);
    expect(attempts.length).toBeLessThan(20);
    await w.world.run();
    expect(w.saleOrders('CAP-000110')).toHaveLength(1);
  });

  it('moves a job to the dead-letter queue after its last attempt', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware, {
      config: { maxAttempts: 3, retryBaseMs: 10, retryCapMs: 100 },
      faults: [{ system: 'odoo', kind: 'outage' }],
    });
    await w.world.call(w.postOrder(sampleOrder('CAP-000111')));
    await w.world.run();
    expect((w.middleware as ResilientMiddleware).deadLetters().map((d) => [d.ref, d.attempts])).toEqual([['CAP-000111', 3]]);
    expect(w.events('deadletter', 'CAP-000111')).toHaveLength(1);
  });

  it('reconciles a delivery whose webhook never arrived, using the 3PL API', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware, { config: { reconcileIntervalMs: 60_000, reconcileQuietMs: 30_000 } });
    const order = sampleOrder('CAP-000112', ['FL-STOCK-01']);
    await w.world.call(w.postOrder(order));
    await w.world.call(w.paymentWebhook(paymentEvent('CAP-000112', order.total)));
    await w.world.run();
    w.logistics.advance(w.logistics.shipments[0]!.shipmentId, 'shipped');
    w.logistics.advance(w.logistics.shipments[0]!.shipmentId, 'delivered');
    await w.world.advance(5 * 60_000);
    await w.world.run();
    expect(w.pickingStates('CAP-000112')).toEqual(['done']);
    expect(w.invoices().map((i) => i.state)).toEqual(['posted']);
    expect(w.odooPayments()).toHaveLength(1);
    expect(w.events('shipment.state', 'CAP-000112').at(-1)?.data?.status).toBe('delivered');
  });

  it('refuses webhooks signed outside its window while its clock is off, and asks the 3PL about their order at the next pass', async () => {
    // The middleware's clock runs 10 minutes ahead: every webhook's signature looks ten minutes old.
    const skew: FaultSpec = { system: 'middleware', kind: 'clock-skew', offsetMs: 600_000, schedule: during(0, 24 * 3_600_000) };
    w = await MiddlewareWorld.create(createResilientMiddleware, { faults: [skew] });
    const order = sampleOrder('CAP-000115', ['FL-STOCK-01']);
    await w.world.call(w.postOrder(order));
    await w.world.run();
    // Quiet for half an hour: the order's checks have backed off to one every five minutes.
    await w.world.advance(30 * 60_000);
    const shipmentId = w.logistics.shipments[0]!.shipmentId;
    const { seq } = w.logistics.advance(shipmentId, 'delivered');
    const refused = (await w.world.call(w.logisticsWebhook(shipmentEvent('CAP-000115', shipmentId, seq, 'delivered')))) as Response;
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toMatch(/away from now/);
    await w.world.advance(35_000);
    expect(w.events('shipment.state', 'CAP-000115').at(-1)?.data).toMatchObject({ status: 'delivered', source: 'reconciliation' });
  });

  it('paces reconciliation in business time, so a live run squeezed by timeScale repairs a lost webhook within seconds', async () => {
    // Defaults: quiet for 2 min, a pass every 30 s; at 1/120 they become the 2 s and 1 s floors.
    w = await MiddlewareWorld.create(createResilientMiddleware, { config: { timeScale: 1 / 120 } });
    const order = sampleOrder('CAP-000114', ['FL-STOCK-01']);
    await w.world.call(w.postOrder(order));
    await w.world.call(w.paymentWebhook(paymentEvent('CAP-000114', order.total)));
    await w.world.run();
    w.logistics.advance(w.logistics.shipments[0]!.shipmentId, 'shipped');
    w.logistics.advance(w.logistics.shipments[0]!.shipmentId, 'delivered');
    await w.world.advance(10_000);
    expect(w.pickingStates('CAP-000114')).toEqual(['done']);
    expect(w.events('shipment.state', 'CAP-000114').at(-1)?.data?.status).toBe('delivered');
  });

  it('behaves the same for the same seed', async () => {
    const run = async () => {
      const world = await MiddlewareWorld.create(createResilientMiddleware, {
        seed: 7,
        config: { retryBaseMs: 100 },
        faults: [{ system: 'odoo', kind: 'outage', schedule: during(0, 10_000) }],
      });
      await world.world.call(world.postOrder(sampleOrder('CAP-000113')));
      await world.world.run();
      await world.stop();
      expect(world.saleOrders('CAP-000113')).toHaveLength(1);
      return [...world.world.sim.history.jsonLines()].join('');
    };
    expect(await run()).toBe(await run());
  });
});

describe('the resilient middleware when answers are lost', () => {
  let w: MiddlewareWorld;
  afterEach(async () => {
    await w?.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('books one shipment when the 3PL commits a booking and its answer is lost', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware, {
      config: { upstreamTimeoutMs: 1000 },
      faults: [{ link: { from: 'middleware', to: 'logistics', path: '/shipments' }, kind: 'response-lost', schedule: during(0, 500) }],
    });
    await w.world.call(w.postOrder(sampleOrder('CAP-000201')));
    await w.world.run();
    expect(w.world.drops('response-lost').map((s) => `${s.method} ${s.path}`)).toEqual(['POST /shipments']);
    expect(w.logistics.byRef('CAP-000201')).toHaveLength(1);
  });

  it('registers one payment when Odoo commits the registration and its answer is lost', async () => {
    // The call that creates the payment loses its answer; the retry comes after the 1 s client timeout.
    w = await MiddlewareWorld.create(createResilientMiddleware, {
      config: { odooTimeoutMs: 1000 },
      faults: [
        {
          link: { from: 'middleware', to: 'odoo', odoo: { model: 'account.payment.register', method: 'action_create_payments' } },
          kind: 'response-lost',
          schedule: during(0, 900),
        },
      ],
    });
    const order = sampleOrder('CAP-000202', ['FL-SERV-01']);
    await w.world.call(w.postOrder(order));
    await w.world.call(w.paymentWebhook(paymentEvent('CAP-000202', order.total)));
    await w.world.run();
    expect(w.world.drops('response-lost')).toHaveLength(1);
    expect(w.odooPayments()).toHaveLength(1);
    expect(w.events('payment.recorded', 'CAP-000202')).toHaveLength(1);
  });

  it('cancels the second payment a registration held past its timeout posts behind the retry, once the order is quiet', async () => {
    // The first registration is held 3 s on the wire; the retry after the 1 s timeout finds the invoice unpaid and registers.
    const config = { odooTimeoutMs: 1000, retryBaseMs: 50, reconcileIntervalMs: 10_000, reconcileQuietMs: 5_000, lateCallWindowMs: 60_000 };
    w = await MiddlewareWorld.create(createResilientMiddleware, {
      config,
      faults: [
        {
          link: { from: 'middleware', to: 'odoo', odoo: { model: 'account.payment.register', method: 'action_create_payments' } },
          kind: 'delay',
          ms: 3_000,
          schedule: during(0, 900),
        },
      ],
    });
    const order = sampleOrder('CAP-000204', ['FL-SERV-01']);
    await w.world.call(w.postOrder(order));
    await w.world.call(w.paymentWebhook(paymentEvent('CAP-000204', order.total)));
    await w.world.advance(10_000);
    // Both registrations landed: Odoo holds two posted payments for one capture.
    expect(w.odooPayments('CAP-000204').map((p) => p.state)).toEqual(['posted', 'posted']);
    await w.world.advance(2 * 60_000);
    expect(
      w
        .odooPayments('CAP-000204')
        .map((p) => p.state)
        .sort(),
    ).toEqual(['cancel', 'posted']);
    expect(w.events('payment.surplus_cancelled', 'CAP-000204')).toHaveLength(1);
    expect(w.invoices('CAP-000204').map((i) => i.payment_state)).not.toContain('not_paid');
  });

  it('archives the second partner a customer create held past its timeout makes behind the retry, once the order is quiet', async () => {
    // The first create is held 3 s on the wire; the retry after the 1 s timeout finds no partner and creates one.
    const config = { odooTimeoutMs: 1000, retryBaseMs: 50, reconcileIntervalMs: 10_000, reconcileQuietMs: 5_000, lateCallWindowMs: 60_000 };
    w = await MiddlewareWorld.create(createResilientMiddleware, {
      config,
      faults: [
        { link: { from: 'middleware', to: 'odoo', odoo: { model: 'res.partner', method: 'create' } }, kind: 'delay', ms: 3_000, schedule: during(0, 900) },
      ],
    });
    const order = sampleOrder('CAP-000205', ['FL-SERV-01']);
    await w.world.call(w.postOrder(order));
    await w.world.call(w.paymentWebhook(paymentEvent('CAP-000205', order.total)));
    await w.world.advance(10_000);
    // Both creates landed: Odoo holds two active partners for one customer, and the order bills one of them.
    expect(w.activePartners()).toHaveLength(2);
    await w.world.advance(2 * 60_000);
    expect(w.activePartners()).toHaveLength(1);
    const [archived] = w.events('partner.copy_archived', 'CAP-000205');
    expect(archived?.data).toMatchObject({ partnerIds: [expect.any(Number)] });
    const billed = w.world.read('sale.order', [['client_order_ref', '=', 'CAP-000205']], ['partner_id']);
    expect(billed.map((so) => (so.partner_id as [number, string])[0])).toEqual([w.activePartners()[0]!.id]);
  });

  it('knows a returning customer who types her email in another case, and tells her from one whose email differs where hers has an underscore', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    const customer = (ref: string, email: string) => ({ ...sampleOrder(ref, ['FL-SERV-01']), customer: { ...sampleOrder(ref).customer, email } });
    // The decoy first: a look-up for Ada_Lovelace with an unescaped `_` would find her partner.
    const orders = [
      customer('CAP-000207', 'AdaXLovelace@example.com'),
      customer('CAP-000208', 'Ada_Lovelace@Example.com'),
      customer('CAP-000209', 'ADA_LOVELACE@EXAMPLE.COM'),
    ];
    for (const order of orders) {
      await w.world.call(w.postOrder(order));
      await w.world.run();
    }
    const partners = w.world.read('res.partner', [['email', '=ilike', 'ada%lovelace@example.com']], ['email']).sort((a, b) => Number(a.id) - Number(b.id));
    expect(partners.map((p) => p.email)).toEqual(['AdaXLovelace@example.com', 'Ada_Lovelace@Example.com']);
    const billed = (ref: string) =>
      w.world.read('sale.order', [['client_order_ref', '=', ref]], ['partner_id']).map((so) => (so.partner_id as [number, string])[0]);
    expect(billed('CAP-000207')).toEqual([partners[0]!.id]);
    expect(billed('CAP-000208')).toEqual([partners[1]!.id]);
    expect(billed('CAP-000209')).toEqual([partners[1]!.id]);
  });

  it('leaves a customer whose create answered alone: no audit, no look-up', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    const order = sampleOrder('CAP-000206', ['FL-SERV-01']);
    await w.world.call(w.postOrder(order));
    await w.world.call(w.paymentWebhook(paymentEvent('CAP-000206', order.total)));
    await w.world.run();
    expect(w.activePartners()).toHaveLength(1);
    expect(w.world.history.filter((e) => e.kind === 'odoo' && e.model === 'res.partner' && e.method === 'search_read')).toHaveLength(0);
  });

  it('waits for every parcel of a split shipment before validating the delivery', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    const order = sampleOrder('CAP-000203', ['FL-STOCK-01', 'FL-STOCK-02']);
    await w.world.call(w.postOrder(order));
    await w.world.call(w.paymentWebhook(paymentEvent('CAP-000203', order.total)));
    await w.world.run();
    const parcel = w.logistics.byRef('CAP-000203')[0]!.shipmentId;
    await w.world.call(w.logisticsWebhook({ ...shipmentEvent('CAP-000203', parcel, 6, 'delivered'), lines: [{ sku: 'FL-STOCK-01', quantity: 2 }] }));
    await w.world.run();
    expect(w.pickingStates('CAP-000203')).toEqual(['assigned']);
    expect(w.invoices()).toHaveLength(0);
    await w.world.call(w.logisticsWebhook({ ...shipmentEvent('CAP-000203', `${parcel}-b`, 6, 'delivered'), lines: [{ sku: 'FL-STOCK-02', quantity: 2 }] }));
    await w.world.run();
    expect(w.pickingStates('CAP-000203')).toEqual(['done']);
    expect(w.invoices().map((i) => i.state)).toEqual(['posted']);
  });

  it('stops a superseded incarnation from writing after a newer one opened the same data folder', async () => {
    const dataDir = tempDir();
    w = await MiddlewareWorld.create(createResilientMiddleware, { dataDir });
    const zombie = w.middleware;
    // A second process on the same folder, while the first still runs (one the supervisor wrongly thought dead).
    const newer = await createResilientMiddleware({ ...w.world.sim.contextFor('middleware'), dataDir });
    const answer = await zombie.handle(new Request(`${w.world.url('middleware')}/orders`, { method: 'POST', body: JSON.stringify(sampleOrder('CAP-000204')) }));
    expect(answer.status).toBe(500);
    expect(await answer.text()).toMatch(/replaced by a newer one/);
    await w.world.run();
    await newer.stop?.();
    expect(w.allSaleOrders()).toHaveLength(0);
  });
});

describe('the resilient middleware on a cancellation', () => {
  let w: MiddlewareWorld;
  afterEach(async () => w?.stop());

  it('cancels the sale order in Odoo and the shipment at the 3PL', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    await w.world.call(w.postOrder(sampleOrder('CAP-000301')));
    await w.world.run();
    const answer = (await w.world.call(w.cancel('CAP-000301', { ref: 'CAP-000301', reason: 'customer' }))) as Response;
    expect(answer.status).toBe(202);
    await w.world.run();
    expect(w.saleOrders('CAP-000301')[0]?.state).toBe('cancel');
    expect(w.logistics.byRef('CAP-000301')[0]?.status).toBe('cancelled');
  });

  it('never creates the order when the cancellation arrives before the work is done', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware, { faults: [{ system: 'odoo', kind: 'outage', schedule: during(0, 1_000) }] });
    await w.world.call(w.postOrder(sampleOrder('CAP-000302')));
    await w.world.call(w.cancel('CAP-000302'));
    expect(w.world.elapsed).toBeLessThan(1_000);
    await w.world.run();
    expect(w.saleOrders('CAP-000302')).toHaveLength(0);
    expect(w.logistics.byRef('CAP-000302')).toHaveLength(0);
  });
});

describe('the resilient middleware on a cancellation after payment', () => {
  let w: MiddlewareWorld;
  afterEach(async () => w?.stop());

  it('refunds the captured payment once the order is cancelled', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    const order = sampleOrder('CAP-000401');
    await w.world.call(w.postOrder(order));
    await w.world.call(w.paymentWebhook(paymentEvent('CAP-000401', order.total)));
    await w.world.run();
    await w.world.call(w.cancel('CAP-000401'));
    await w.world.run();
    expect(w.payments.refunds).toEqual([{ paymentId: 'pay_CAP-000401', amount: order.total, idempotencyKey: 'refund-pay_CAP-000401' }]);
    expect(w.invoices()).toHaveLength(0);
  });

  it('refuses to cancel an order whose parcel was delivered, and invoices it as usual', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    const order = sampleOrder('CAP-000402');
    await w.world.call(w.postOrder(order));
    await w.world.run();
    const parcel = w.logistics.byRef('CAP-000402')[0]!.shipmentId;
    w.logistics.advance(parcel, 'shipped');
    await w.world.call(w.cancel('CAP-000402'));
    await w.world.call(w.paymentWebhook(paymentEvent('CAP-000402', order.total)));
    await w.world.call(w.logisticsWebhook(shipmentEvent('CAP-000402', parcel, 6, 'delivered')));
    await w.world.run();
    expect(w.events('order.cancel_refused', 'CAP-000402')).toHaveLength(1);
    expect(w.payments.refunds).toEqual([]);
    expect(w.invoices().map((i) => i.state)).toEqual(['posted']);
  });
});
