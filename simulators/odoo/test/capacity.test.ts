import { describe, expect, it } from 'vitest';
import { drainMicrotasks } from '../../../harness/core/scheduler.ts';
import { createOdooEmulator } from '../index.ts';
import { baseModule } from '../models/base/index.ts';
import { UserError } from '../orm/errors.ts';
import type { OdooModule } from '../orm/module.ts';
import type { MethodResponse } from '../../../harness/wire/xmlrpc.ts';
import { testContext } from './context.ts';
import { kw } from './rpc.ts';
import { join } from 'node:path';
import { formatReport, inProcessTarget, replayTranscript, type ReplayTarget } from '../conformance/replay.ts';
import { loadTranscript, TRANSCRIPTS_DIR } from '../conformance/transcript.ts';

type Ctx = ReturnType<typeof testContext>;

/** Runs virtual time until every promise settled; returns each result with the virtual time it settled at. */
async function settle<T>(context: Ctx, promises: Promise<T>[]): Promise<Array<{ value: T; at: number }>> {
  const results: Array<{ value: T; at: number } | undefined> = promises.map(() => undefined);
  promises.forEach((promise, i) => void promise.then((value) => (results[i] = { value, at: context.clock.now() })));
  for (let guard = 0; guard < 100_000 && results.some((result) => result === undefined); guard++) {
    await drainMicrotasks();
    if (results.every((result) => result !== undefined)) break;
    if (!context.scheduler.runNextInstant(Number.POSITIVE_INFINITY)) await drainMicrotasks();
  }
  return results.map((result) => {
    if (result === undefined) throw new Error('a call never finished');
    return result;
  });
}

const fixed = { workers: 2, jitter: 0, serviceTimesMs: { search_read: 30, write: 40, default: 10 } };

describe('the capacity model', () => {
  it('queues calls beyond the worker count and serves each in its service time', async () => {
    const context = testContext();
    const odoo = createOdooEmulator(context, { modules: [baseModule], capacity: fixed });
    const start = context.clock.now();
    const calls = Array.from({ length: 5 }, () => kw(odoo, 'res.partner', 'search_read', [[]], { fields: ['name'], limit: 1 }));
    const done = await settle(context, calls);
    expect(done.map((result) => result.at - start)).toEqual([30, 30, 60, 60, 90]);
    expect(done.every((result) => result.value.kind === 'value')).toBe(true);
  });

  it('serializes concurrent writes to one record by retries, and the last writer wins', async () => {
    const context = testContext({ seed: 3 });
    const odoo = createOdooEmulator(context, { modules: [baseModule], capacity: fixed });
    const created = await settle(context, [kw(odoo, 'res.partner', 'create', [{ name: 'Shared' }])]);
    const id = (created[0]!.value as { value: number }).value;
    const start = context.clock.now();
    const writes = Array.from({ length: 4 }, (_, i) => kw(odoo, 'res.partner', 'write', [[id], { ref: `W${i}` }]));
    const done = await settle(context, writes);
    expect(done.map((result) => result.value)).toEqual(Array.from({ length: 4 }, () => ({ kind: 'value', value: true })));
    const last = done.reduce((a, b) => (b.at > a.at ? b : a));
    const lastIndex = done.indexOf(last);
    expect(last.at - start).toBeGreaterThan(80);
    expect(odoo.withEnv((env) => env.model('res.partner').get(id, 'ref'))).toBe(`W${lastIndex}`);
    // A retried attempt is not logged; each call appears once.
    expect(odoo.accessLog().filter((entry) => entry.method === 'write')).toHaveLength(4);
  });

  it('lets a module fault the loser at once, as a unique violation does', async () => {
    const uniqueLoser: OdooModule = {
      name: 'test_unique',
      onConflict: (conflict) => (conflict.loser.method === 'write' ? new UserError('The operation cannot be completed: duplicate key') : undefined),
    };
    const context = testContext();
    const odoo = createOdooEmulator(context, { modules: [baseModule, uniqueLoser], capacity: fixed });
    const start = context.clock.now();
    const done = await settle(context, [kw(odoo, 'res.partner', 'write', [[3], { ref: 'A' }]), kw(odoo, 'res.partner', 'write', [[3], { ref: 'B' }])]);
    const outcomes = done.map((result) => result.value as MethodResponse);
    expect(outcomes).toContainEqual({ kind: 'value', value: true });
    expect(outcomes).toContainEqual({ kind: 'fault', faultCode: 2, faultString: 'The operation cannot be completed: duplicate key' });
    expect(done.map((result) => result.at - start)).toEqual([40, 40]);
  });
});

describe("the capacity model and Odoo's answers", () => {
  it('changes only when answers come, not what they are: a whole transcript replays green on workers', async () => {
    const context = testContext({ epochMs: Date.UTC(2026, 0, 5, 9, 0, 0) });
    const odoo = createOdooEmulator(context, { db: 'faultline', capacity: true });
    const inner = inProcessTarget(odoo, { db: 'faultline', year: '2026' });
    const onVirtualTime: ReplayTarget = { ...inner, post: async (path, body, type) => (await settle(context, [inner.post(path, body, type)]))[0]!.value };
    const start = context.clock.now();
    const report = await replayTranscript(loadTranscript(join(TRANSCRIPTS_DIR, '04_order_to_cash_consumable.json')), onVirtualTime);
    expect(report.passed, formatReport(report)).toBe(true);
    // 30 calls on a calibrated server take seconds of virtual time, not zero.
    expect(context.clock.now() - start).toBeGreaterThan(1000);
  });
});

describe('determinism', () => {
  it('gives the same history, timings and ids for the same seed, and different timings for another seed', async () => {
    const run = async (seed: number): Promise<string> => {
      const context = testContext({ seed });
      const odoo = createOdooEmulator(context, { modules: [baseModule], capacity: { workers: 2 } });
      const calls = Array.from({ length: 6 }, (_, i) =>
        i % 2 === 0 ? kw(odoo, 'res.partner', 'create', [{ name: `P${i}` }]) : kw(odoo, 'res.partner', 'write', [[3], { ref: `R${i}` }]),
      );
      const done = await settle(context, calls);
      return JSON.stringify({ done, history: context.historyLog.toArray() });
    };
    expect(await run(11)).toBe(await run(11));
    expect(await run(11)).not.toBe(await run(12));
  });
});

describe('the calibrated defaults', () => {
  it('serve about 60 search_read and about 8 create+confirm per second, as a real Odoo 17 on 2 cores', async () => {
    const context = testContext({ seed: 5 });
    const odoo = createOdooEmulator(context, { capacity: true });
    const setup = await settle(context, [
      kw(odoo, 'res.partner', 'create', [{ name: 'Load' }]),
      kw(odoo, 'product.product', 'create', [{ name: 'Load item', list_price: 10 }]),
    ]);
    const [partner, product] = setup.map((result) => (result.value as { value: number }).value);
    let start = context.clock.now();
    const reads = await settle(
      context,
      Array.from({ length: 120 }, () => kw(odoo, 'sale.order', 'search_read', [[]], { fields: ['name', 'state'], limit: 10 })),
    );
    const readRate = 120 / ((Math.max(...reads.map((result) => result.at)) - start) / 1000);
    expect(readRate).toBeGreaterThan(50);
    expect(readRate).toBeLessThan(72);
    start = context.clock.now();
    const orders = await settle(
      context,
      Array.from({ length: 40 }, async () => {
        const created = await kw(odoo, 'sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] }]);
        return kw(odoo, 'sale.order', 'action_confirm', [[(created as { value: number }).value]]);
      }),
    );
    expect(orders.every((result) => result.value.kind === 'value')).toBe(true);
    const orderRate = 40 / ((Math.max(...orders.map((result) => result.at)) - start) / 1000);
    expect(orderRate).toBeGreaterThan(6.5);
    expect(orderRate).toBeLessThan(9.5);
  });
});
