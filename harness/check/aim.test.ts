import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history.ts';
import { aimedFaultArbitrary, aimPlan, cutOffSource } from './aim.ts';
import type { AimLimits, SenderTimeouts } from './aim.ts';
import { exercisedPairs } from './coverage.ts';
import { operationTimeline } from './timeline.ts';
import type { AimPoint } from './timeline.ts';

const timeline: AimPoint[] = [
  { operation: 'capture→middleware /orders', link: { from: 'capture', to: 'middleware', path: '/orders' }, times: [200, 5_000] },
  { operation: 'odoo sale.order.create', link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'create' } }, times: [210, 5_010] },
  {
    operation: 'odoo sale.advance.payment.inv.create_invoices',
    link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.advance.payment.inv', method: 'create_invoices' } },
    times: [2_700_000, 4_300_000],
  },
  { operation: 'odoo sale.order.search_read', link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'search_read' } }, times: [60_000] },
  { operation: 'payment→middleware /webhooks/payment', link: { from: 'payment', to: 'middleware', path: '/webhooks/payment' }, times: [1_000, 6_000] },
];
const timeouts: SenderTimeouts = { capture: 10_000, webhooks: 10_000, odoo: 10_000, upstream: 30_000 };
const limits: AimLimits = { timeouts, crashMaxMs: 60_000, holdMaxMs: 180_000, convergenceBoundMs: 900_000, cutOff: ['logistics', 'payment'] };

describe('faults aimed at operations', () => {
  it('plan every operation × aim pair once, each operation first with its answer lost, in an order fixed by the seed', () => {
    const plan = aimPlan(timeline, 1);
    const keys = plan.map((t) => `${t.point.operation}|${t.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Round one: every operation once, its answer lost after the receiver committed.
    expect(new Set(plan.slice(0, 4).map((t) => t.point.operation)).size).toBe(4);
    expect(plan.slice(0, 4).every((t) => t.kind === 'response-lost')).toBe(true);
    expect(keys).toContain('odoo sale.advance.payment.inv.create_invoices|crash-after');
    expect(aimPlan(timeline, 1)).toEqual(plan);
    expect(aimPlan(timeline, 2).map((t) => `${t.point.operation}|${t.kind}`)).not.toEqual(keys);
  });

  it('never stop an order submission from arriving, and repeat only inbound messages', () => {
    const plan = aimPlan(timeline, 1);
    const onOrders = plan.filter((t) => t.point.link.path === '/orders').map((t) => t.kind);
    for (const kind of ['drop', 'timeout', 'reset', 'http-error']) expect(onOrders).not.toContain(kind);
    expect(plan.filter((t) => t.kind === 'duplicate' || t.kind === 'reorder').every((t) => t.point.link.to === 'middleware')).toBe(true);
    // A long cut only where the sender retries for a day (webhooks): never on order submissions or the middleware's own calls.
    expect(plan.filter((t) => t.kind === 'blackout').map((t) => t.point.operation)).toEqual(['payment→middleware /webhooks/payment']);
    // A forger imitates the senders that sign: the webhooks, never the storefront or the middleware's own calls.
    expect(plan.filter((t) => t.kind === 'forge').map((t) => t.point.operation)).toEqual(['payment→middleware /webhooks/payment']);
  });

  it('leave Odoo reads alone: a lost read is only a failed call', () => {
    expect(aimPlan(timeline, 1).some((t) => t.point.operation.endsWith('search_read'))).toBe(false);
  });

  it('keep to the fault kinds a user allows', () => {
    expect(new Set(aimPlan(timeline, 1, ['response-lost']).map((t) => t.kind))).toEqual(new Set(['response-lost']));
  });

  it('strike a share of the calls over the whole stretch of the run where the operation happened, an hour in as readily as at the start', () => {
    const invoicing = { point: timeline[2]!, kind: 'response-lost' as const };
    for (const [fault] of fc.sample(aimedFaultArbitrary(invoicing, limits), { numRuns: 50, seed: 4 })) {
      const window = fault!.schedule as { fromMs: number; toMs: number };
      expect(timeline[2]!.times.every((t) => window.fromMs <= t && t < window.toMs)).toBe(true);
      const probability = (fault as { probability: number }).probability;
      expect(probability).toBeGreaterThanOrEqual(0.1);
      expect(probability).toBeLessThanOrEqual(0.35);
    }
  });

  it('slow every call for no longer than a design can wait out', () => {
    for (const [fault] of fc.sample(aimedFaultArbitrary({ point: timeline[2]!, kind: 'above-timeout' }, limits), { numRuns: 50, seed: 4 })) {
      const window = fault!.schedule as { fromMs: number; toMs: number };
      expect(window.toMs - window.fromMs).toBeLessThanOrEqual(limits.holdMaxMs);
      expect(window.fromMs).toBeGreaterThanOrEqual(2_700_000);
    }
  });

  it('slow an answer to just under or just over the sender’s timeout', () => {
    const create = timeline[1]!;
    const below = fc.sample(aimedFaultArbitrary({ point: create, kind: 'below-timeout' }, limits), { numRuns: 30, seed: 1 }).map(([f]) => f) as Array<{
      meanMs: number;
    }>;
    const above = fc.sample(aimedFaultArbitrary({ point: create, kind: 'above-timeout' }, limits), { numRuns: 30, seed: 1 }).map(([f]) => f) as Array<{
      meanMs: number;
    }>;
    for (const f of below) expect(f.meanMs).toBeLessThan(timeouts.odoo);
    for (const f of above) expect(f.meanMs).toBeGreaterThan(timeouts.odoo);
    // Over the timeout, yet the request (half the latency) still arrives before the sender gives up: the work is done, the sender does not know.
    for (const f of above) expect(f.meanMs / 2).toBeLessThan(timeouts.odoo);
  });

  it('hold a share of the middleware’s calls on their way past its timeout, last of the aims every operation gets first', () => {
    const create = timeline[1]!;
    const held = fc.sample(aimedFaultArbitrary({ point: create, kind: 'arrives-late' }, limits), { numRuns: 30, seed: 1 }).map(([f]) => f) as Array<{
      kind: string;
      ms: number;
      probability: number;
    }>;
    for (const f of held) {
      expect(f.kind).toBe('delay');
      // Past the timeout, so the caller retries; a share only, so the retry gets through before the held call lands.
      expect(f.ms).toBeGreaterThan(timeouts.odoo);
      expect(f.probability).toBeLessThan(1);
    }
    const plan = aimPlan(timeline, 1);
    expect(
      plan
        .filter((t) => t.point.operation === 'odoo sale.order.create')
        .map((t) => t.kind)
        .slice(0, 5),
    ).toEqual(['response-lost', 'crash-loop', 'method-outage', 'restart-cut-off', 'arrives-late']);
    expect(plan.some((t) => t.kind === 'arrives-late' && t.point.link.from !== 'middleware')).toBe(false);
  });

  it('strike only the one Odoo method they aim at', () => {
    const plan = aimPlan(timeline, 1).filter((t) => t.point.operation === 'odoo sale.order.create');
    for (const target of plan) {
      for (const faults of fc.sample(aimedFaultArbitrary(target, limits), { numRuns: 5, seed: 2 })) {
        for (const fault of faults) if ('link' in fault) expect(fault.link.odoo).toEqual({ model: 'sale.order', method: 'create' });
      }
    }
  });

  it('put a method out of service for longer than retries last and shorter than the convergence bound', () => {
    for (const [fault] of fc.sample(aimedFaultArbitrary({ point: timeline[2]!, kind: 'method-outage' }, limits), { numRuns: 30, seed: 3 })) {
      expect(fault).toMatchObject({ kind: 'http-error', status: 503, link: { odoo: { method: 'create_invoices' } } });
      const window = fault!.schedule as { fromMs: number; toMs: number };
      expect(window.toMs - window.fromMs).toBeGreaterThan(limits.convergenceBoundMs / 2);
      expect(window.toMs - window.fromMs).toBeLessThan(limits.convergenceBoundMs);
      expect(timeline[2]!.times.some((t) => window.fromMs <= t && t < window.toMs)).toBe(true);
    }
  });

  it('keep crashing the middleware while a held call is on its way, for longer than the convergence bound, each life outlasting a held call', () => {
    for (const [held, ...loop] of fc.sample(aimedFaultArbitrary({ point: timeline[1]!, kind: 'crash-loop' }, limits), { numRuns: 30, seed: 5 })) {
      if (held?.kind !== 'delay') throw new Error("expected the operation's calls held first");
      expect(held.ms).toBeLessThan(timeouts.odoo);
      const crashes = loop.map((f) => {
        if (f.kind !== 'crash' || f.schedule?.kind !== 'window') throw new Error('expected crashes after the hold');
        return { at: f.schedule.fromMs, back: f.schedule.fromMs + f.restartAfterMs };
      });
      const first = crashes[0]!;
      // The first crash strikes while the latest call sent before it is still held, and the middleware is back before it lands.
      const sentAt = Math.max(...timeline[1]!.times.filter((t) => t <= first.at));
      expect(first.back).toBeLessThan(sentAt + held.ms);
      expect(crashes.at(-1)!.back - first.at).toBeGreaterThanOrEqual(limits.convergenceBoundMs - 40_000);
      for (const [k, crash] of crashes.entries()) {
        if (k === 0) continue;
        const life = crash.at - crashes[k - 1]!.back;
        // Long enough for a call sent at its start to come back held and be acted on; never long enough to be only separate crashes.
        expect(life).toBeGreaterThanOrEqual(Math.max(10_000, held.ms + 5_000));
        expect(life).toBeLessThanOrEqual(Math.max(10_000, held.ms + 5_000) + 20_000);
      }
    }
  });
});

describe('a restart while cut off', () => {
  const create = timeline[1]!;
  const sample = (cutOff: AimLimits['cutOff'], seed: number) =>
    fc.sample(aimedFaultArbitrary({ point: create, kind: 'restart-cut-off' }, { ...limits, cutOff }), { numRuns: 30, seed });

  it('crash the middleware while the Odoo method refuses it, and keep a fact source out from before the crash to beyond the convergence bound after the restart', () => {
    for (const faults of sample(['logistics', 'payment'], 6)) {
      const [refusal, crash, outage] = faults;
      expect(refusal).toMatchObject({ kind: 'http-error', status: 503, link: { odoo: { model: 'sale.order', method: 'create' } } });
      if (crash?.kind !== 'crash' || crash.schedule?.kind !== 'window') throw new Error('expected a crash after the refusal');
      if (outage?.kind !== 'outage' || outage.schedule?.kind !== 'window' || refusal?.schedule?.kind !== 'window') throw new Error('expected an outage');
      expect(crash.schedule.fromMs).toBeGreaterThan(refusal.schedule.fromMs);
      expect(crash.schedule.fromMs).toBeLessThan(refusal.schedule.toMs);
      expect(crash.restartAfterMs).toBeLessThanOrEqual(limits.crashMaxMs);
      expect(['logistics', 'payment']).toContain('system' in outage ? outage.system : undefined);
      expect(outage.schedule.fromMs).toBeLessThanOrEqual(crash.schedule.fromMs);
      expect(outage.schedule.toMs - crash.schedule.toMs).toBeGreaterThanOrEqual(limits.convergenceBoundMs);
      expect(outage.schedule.toMs - crash.schedule.toMs).toBeLessThanOrEqual(limits.convergenceBoundMs * 1.5);
    }
  });

  it('cut off only a source whose messages the scenario leaves alone, and none when it alters them all', () => {
    for (const faults of sample(['payment'], 7))
      expect(faults.filter((f) => f.kind === 'outage').map((f) => ('system' in f ? f.system : undefined))).toEqual(['payment']);
    for (const faults of sample([], 7)) {
      expect(faults.map((f) => f.kind)).toEqual(['http-error', 'crash']);
      expect(cutOffSource(faults)).toBeUndefined();
    }
  });

  it('aim only at Odoo methods', () => {
    const aimed = aimPlan(timeline, 1)
      .filter((t) => t.kind === 'restart-cut-off')
      .map((t) => t.point.operation);
    expect(aimed).toEqual(['odoo sale.order.create', 'odoo sale.advance.payment.inv.create_invoices']);
  });
});

describe('the operations of a run and what faults did to them', () => {
  const t0 = 1_000_000;
  const history: HistoryEvent[] = [
    { seq: 0, t: t0, kind: 'send', req: 1, from: 'harness', to: 'odoo', method: 'POST', path: '/jsonrpc' },
    { seq: 1, t: t0 + 40, kind: 'send', req: 2, from: 'harness', to: 'odoo', method: 'POST', path: '/jsonrpc' },
    { seq: 2, t: t0 + 300, kind: 'send', req: 3, from: 'capture', to: 'middleware', method: 'POST', path: '/orders' },
    { seq: 3, t: t0 + 302, kind: 'send', req: 4, from: 'middleware', to: 'odoo', method: 'POST', path: '/jsonrpc' },
    { seq: 4, t: t0 + 303, kind: 'deliver', req: 4 },
    { seq: 5, t: t0 + 303, kind: 'odoo', principal: 'mw', model: 'sale.order', method: 'create', outcome: 'ok' },
    { seq: 6, t: t0 + 304, kind: 'drop', req: 4, fault: 'response-lost@middleware->odoo' },
    { seq: 7, t: t0 + 10_304, kind: 'timeout', req: 4, outcome: 'unknown', reason: 'no answer within 10000 ms' },
    { seq: 8, t: t0 + 20_000, kind: 'crash', system: 'middleware' },
  ] as HistoryEvent[];

  it('times operations from the end of the harness’s setup', () => {
    const points = operationTimeline(history);
    expect(points.find((p) => p.operation === 'odoo sale.order.create')).toEqual({
      operation: 'odoo sale.order.create',
      link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'create' } },
      times: [262],
    });
    expect(points.find((p) => p.operation === 'capture→middleware /orders')?.link).toEqual({ from: 'capture', to: 'middleware', path: '/orders' });
  });

  it('counts a lost answer once (not again as its timeout) and names a crash by the step before it', () => {
    expect(exercisedPairs(history)).toEqual(['middleware crash after odoo sale.order.create', 'odoo sale.order.create × response-lost']);
  });

  it('counts a message a delay or reordering held back, under the fault’s kind', () => {
    const held: HistoryEvent[] = [
      ...history.slice(0, 3),
      { seq: 3, t: t0 + 300, kind: 'delay', req: 3, fault: 'reorder@capture->middleware/orders', ms: 4_000 },
      { seq: 4, t: t0 + 4_301, kind: 'deliver', req: 3 },
    ];
    expect(exercisedPairs(held)).toEqual(['capture→middleware /orders × reorder']);
  });
});
