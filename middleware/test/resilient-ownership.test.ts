import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createResilientMiddleware } from '../resilient/index.ts';
import type { ResilientMiddleware } from '../resilient/index.ts';
import { ResilientStore, SupersededError } from '../resilient/store.ts';
import { MiddlewareWorld, during, paymentEvent, sampleOrder } from '../../testing/middleware-world.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-ownership-'));
  dirs.push(dir);
  return dir;
}

describe('the resilient middleware creating a sale order', () => {
  let w: MiddlewareWorld | undefined;
  afterEach(async () => {
    await w?.stop();
    w = undefined;
  });

  it('creates one sale order when its first create reaches Odoo only after the retry created one', async () => {
    // The first create is held back a minute, past the 10 s client timeout; the retry's create gets there first.
    w = await MiddlewareWorld.create(createResilientMiddleware, {
      faults: [
        { link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'create' } }, kind: 'delay', ms: 60_000, schedule: during(0, 5_000) },
      ],
    });
    await w.world.call(w.postOrder(sampleOrder('CAP-000301')));
    await w.world.run();
    const creates = w.world.odooCalls().filter((c) => c.model === 'sale.order' && c.method === 'create');
    expect(creates).toHaveLength(2);
    expect(w.saleOrders('CAP-000301').map((o) => o.state)).toEqual(['sale']);
  });

  it('answers the happy path with one create and no look-up before it', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware);
    await w.world.call(w.postOrder(sampleOrder('CAP-000302')));
    await w.world.run();
    const saleOrderCalls = w.world
      .odooCalls()
      .filter((c) => c.model === 'sale.order')
      .map((c) => c.method);
    expect(saleOrderCalls.slice(0, 2)).toEqual(['create', 'action_confirm']);
  });
});

describe('the resilient middleware with a job that keeps failing', () => {
  let w: MiddlewareWorld | undefined;
  afterEach(async () => {
    await w?.stop();
    w = undefined;
  });

  const reconciling = {
    maxAttempts: 2,
    retryBaseMs: 10,
    retryCapMs: 100,
    reconcileIntervalMs: 60_000,
    reconcileQuietMs: 60_000,
    reconcileMaxQuietMs: 120_000,
    reconcileMaxRevivals: 2,
  };

  it('brings a job Odoo refused back at most reconcileMaxRevivals times when nothing new is known, then leaves it for a person', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware, { config: reconciling });
    // Odoo has no such product: it answers, and the answer will not change.
    await w.world.call(w.postOrder(sampleOrder('CAP-000311', ['FL-NOPE-01'])));
    await w.world.advance(6 * 3600_000);
    expect(w.events('deadletter.revived', 'CAP-000311')).toHaveLength(2);
    expect(w.events('deadletter', 'CAP-000311')).toHaveLength(3);
    expect((w.middleware as ResilientMiddleware).deadLetters().map((d) => d.ref)).toEqual(['CAP-000311']);
  });

  it('keeps bringing back a job that died because Odoo was out of reach, until Odoo is back', async () => {
    w = await MiddlewareWorld.create(createResilientMiddleware, {
      config: reconciling,
      faults: [{ system: 'odoo', kind: 'outage', schedule: during(0, 2 * 3600_000) }],
    });
    await w.world.call(w.postOrder(sampleOrder('CAP-000313')));
    await w.world.advance(2 * 3600_000 - w.world.elapsed);
    expect(w.events('deadletter.revived', 'CAP-000313').length).toBeGreaterThan(2);
    await w.world.advance(3600_000);
    expect(w.saleOrders('CAP-000313').map((o) => o.state)).toEqual(['sale']);
    expect((w.middleware as ResilientMiddleware).deadLetters()).toEqual([]);
  });

  it('takes a dead letter back as soon as a new event about its order arrives', async () => {
    // Odoo is out for the first 10 ms: the order's one attempt fails and it is dead-lettered; no reconciliation pass comes that soon.
    w = await MiddlewareWorld.create(createResilientMiddleware, {
      config: { maxAttempts: 1, reconcileMaxRevivals: 0 },
      faults: [{ system: 'odoo', kind: 'outage', schedule: during(0, 10) }],
    });
    const order = sampleOrder('CAP-000312', ['FL-SERV-01']);
    await w.world.call(w.postOrder(order));
    await w.world.run();
    expect(w.events('deadletter', 'CAP-000312')).toHaveLength(1);
    await w.world.advance(10 - w.world.elapsed);
    expect(w.events('deadletter.revived', 'CAP-000312')).toHaveLength(0);
    await w.world.call(w.paymentWebhook(paymentEvent('CAP-000312', order.total)));
    await w.world.run();
    expect(w.events('deadletter.revived', 'CAP-000312')).toHaveLength(1);
    expect(w.saleOrders('CAP-000312').map((o) => o.state)).toEqual(['sale']);
    expect(w.events('payment.recorded', 'CAP-000312')).toHaveLength(1);
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
