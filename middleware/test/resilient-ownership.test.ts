import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createResilientMiddleware } from '../resilient/index.ts';
import type { ResilientMiddleware } from '../resilient/index.ts';
import { ResilientStore, SupersededError } from '../resilient/store.ts';
import { paymentEvent, sampleOrder, TestWorld } from './test-world.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-ownership-'));
  dirs.push(dir);
  return dir;
}

describe('the resilient middleware creating a sale order', () => {
  let world: TestWorld | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  it('creates one sale order when its first create reaches Odoo only after the retry created one', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    const w = world;
    let heldBack = false;
    // The first call once the customer exists is the create: hold it past the 10 s client timeout.
    w.net.requestDelay = (request, from) => {
      if (heldBack || from !== 'middleware' || !request.url.startsWith('http://odoo.sim') || w.odoo.partners.length === 0 || w.odoo.orders.length > 0) return 0;
      heldBack = true;
      return 60_000;
    };
    await w.call(w.postOrder(sampleOrder('CAP-000301')));
    await w.net.run();
    expect(heldBack).toBe(true);
    expect(w.odoo.ordersByRef('CAP-000301').map((o) => o.state)).toEqual(['sale']);
    const creates = w.odoo.calls.filter((c) => c.model === 'sale.order' && c.method === 'create');
    expect(creates).toHaveLength(2);
  });

  it('answers the happy path with one create and no look-up before it', async () => {
    world = await new TestWorld(createResilientMiddleware).boot();
    await world.call(world.postOrder(sampleOrder('CAP-000302')));
    await world.net.run();
    const saleOrderCalls = world.odoo.calls.filter((c) => c.model === 'sale.order').map((c) => c.method);
    expect(saleOrderCalls.slice(0, 2)).toEqual(['create', 'action_confirm']);
  });
});

describe('the resilient middleware with a job that keeps failing', () => {
  let world: TestWorld | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  const reconciling = { maxAttempts: 2, retryBaseMs: 10, retryCapMs: 100, reconcileIntervalMs: 60_000, reconcileQuietMs: 60_000, reconcileMaxQuietMs: 120_000, reconcileMaxRevivals: 2 };

  it('brings a job Odoo refused back at most reconcileMaxRevivals times when nothing new is known, then leaves it for a person', async () => {
    world = await new TestWorld(createResilientMiddleware, { config: reconciling }).boot();
    // Odoo has no such product: it answers, and the answer will not change.
    await world.call(world.postOrder(sampleOrder('CAP-000311', ['FL-NOPE-01'])));
    await world.net.advance(6 * 3600_000);
    expect(world.events('deadletter.revived', 'CAP-000311')).toHaveLength(2);
    expect(world.events('deadletter', 'CAP-000311')).toHaveLength(3);
    expect((world.middleware as ResilientMiddleware).deadLetters().map((d) => d.ref)).toEqual(['CAP-000311']);
  });

  it('keeps bringing back a job that died because Odoo was out of reach, until Odoo is back', async () => {
    world = await new TestWorld(createResilientMiddleware, { config: reconciling }).boot();
    world.odoo.down = true;
    await world.call(world.postOrder(sampleOrder('CAP-000313')));
    await world.net.advance(2 * 3600_000);
    expect(world.events('deadletter.revived', 'CAP-000313').length).toBeGreaterThan(2);
    world.odoo.down = false;
    await world.net.advance(3600_000);
    expect(world.odoo.ordersByRef('CAP-000313').map((o) => o.state)).toEqual(['sale']);
    expect((world.middleware as ResilientMiddleware).deadLetters()).toEqual([]);
  });

  it('takes a dead letter back as soon as a new event about its order arrives', async () => {
    world = await new TestWorld(createResilientMiddleware, { config: { maxAttempts: 1, reconcileMaxRevivals: 0 } }).boot();
    world.odoo.down = true;
    const order = sampleOrder('CAP-000312', ['FL-SERV-01']);
    await world.call(world.postOrder(order));
    await world.net.run();
    world.odoo.down = false;
    await world.call(world.paymentWebhook(paymentEvent('CAP-000312', order.total)));
    await world.net.run();
    expect(world.events('deadletter.revived', 'CAP-000312')).toHaveLength(1);
    expect(world.odoo.ordersByRef('CAP-000312').map((o) => o.state)).toEqual(['sale']);
    expect(world.events('payment.recorded', 'CAP-000312')).toHaveLength(1);
  });
});

describe('the lease on an order across incarnations', () => {
  const stores: ResilientStore[] = [];
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const open = (dir: string) => {
    const store = new ResilientStore(dir);
    stores.push(store);
    return store;
  };

  it('keeps a restarted incarnation off an order until the lease its predecessor took runs out', () => {
    const dir = tempDir();
    const before = open(dir);
    expect(before.takeLease('CAP-1', 1_000, 31_000)).toBeUndefined();
    const after = open(dir);
    expect(after.takeLease('CAP-1', 2_000, 32_000)).toBe(31_000);
    expect(after.takeLease('CAP-2', 2_000, 32_000)).toBeUndefined();
    expect(after.takeLease('CAP-1', 31_000, 61_000)).toBeUndefined();
  });

  it('stops a superseded incarnation before its next call, and refuses it the lease it lost', () => {
    const dir = tempDir();
    const before = open(dir);
    before.takeLease('CAP-1', 1_000, 31_000);
    before.assertNewestIncarnation();
    const after = open(dir);
    after.takeLease('CAP-1', 40_000, 70_000);
    expect(() => before.assertNewestIncarnation()).toThrow(SupersededError);
    expect(() => before.renewLease('CAP-1', 41_000, 71_000)).toThrow(SupersededError);
  });

  it('lets the same incarnation renew its own lease, and frees it on release', () => {
    const dir = tempDir();
    const store = open(dir);
    store.takeLease('CAP-1', 0, 30_000);
    store.renewLease('CAP-1', 10_000, 40_000);
    store.releaseLease('CAP-1');
    const next = open(dir);
    expect(next.takeLease('CAP-1', 11_000, 41_000)).toBeUndefined();
  });
});
