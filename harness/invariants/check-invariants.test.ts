import { describe, expect, it } from 'vitest';
import { builtInInvariants, resolveInvariants, shippedInvariantsByName } from './built-in.ts';
import { checkInvariants } from './check-invariants.ts';
import { defineInvariant } from './define-invariant.ts';
import { buildHistoryIndex } from './history-index.ts';
import { HistoryBuilder, runInput } from './test-fixtures.ts';

describe('checkInvariants', () => {
  it('offers the business invariants, ships-once, settles and backs-off, each findable by name', () => {
    expect(builtInInvariants.map((i) => i.name)).toEqual([
      'no-duplicate-orders',
      'one-partner-per-customer',
      'every-order-arrives',
      'invoice-after-delivery',
      'shipment-state-never-regresses',
      'ships-once',
      'money-reconciles',
      'amounts-agree',
      'traceable',
      'boundaries',
      'converges',
      'settles',
      'backs-off',
    ]);
    for (const invariant of builtInInvariants) expect(shippedInvariantsByName.get(invariant.name)).toBe(invariant);
  });

  it("runs a scenario's own invariant next to the built-ins, on the shared index", () => {
    const history = new HistoryBuilder();
    history.event('capture', 'order.placed', 'CAP-000001');
    history.event('capture', 'order.placed', 'CAP-000002');
    const ordersPlaced = defineInvariant({
      name: 'two-orders-placed',
      description: 'The load placed two orders.',
      check: (_input, index) => ({
        name: 'two-orders-placed',
        verdict: index.orders.size === 2 ? 'pass' : 'fail',
        violations: index.orders.size === 2 ? 0 : 1,
        examples: [],
        summary: `${index.orders.size} orders`,
      }),
    });
    const verdicts = checkInvariants(resolveInvariants(['no-duplicate-orders', ordersPlaced]), runInput({ history: history.events }));
    expect(verdicts.map((v) => [v.name, v.verdict])).toEqual([
      ['no-duplicate-orders', 'pass'],
      ['two-orders-placed', 'pass'],
    ]);
  });

  it('reports an invariant that throws as unknown, with the error, and still runs the others', () => {
    const broken = defineInvariant({
      name: 'broken',
      description: 'Throws.',
      check: () => {
        throw new Error('boom');
      },
    });
    const verdicts = checkInvariants([broken, ...builtInInvariants], runInput());
    expect(verdicts[0]).toMatchObject({ name: 'broken', verdict: 'unknown', summary: 'the check threw: boom' });
    expect(verdicts).toHaveLength(builtInInvariants.length + 1);
  });

  it('checks every built-in on an empty run without throwing, and never passes one that lacks its input', () => {
    const verdicts = checkInvariants(builtInInvariants, { history: [], ledgers: {}, options: {} });
    for (const verdict of verdicts) expect(verdict.summary).not.toContain('threw');
    expect(verdicts.filter((v) => v.verdict !== 'unknown').map((v) => v.name)).toEqual([]);
  });

  it('refuses an invariant without a usable name or check', () => {
    expect(() => defineInvariant({ name: 'Bad Name', description: 'x', check: undefined as never })).toThrow(/kebab-case.*check must be a function/);
  });

  it('rejects an unknown invariant name, listing the known ones', () => {
    expect(() => resolveInvariants(['no-such'])).toThrow(/unknown invariant "no-such"; known: no-duplicate-orders/);
    expect(resolveInvariants(undefined)).toHaveLength(builtInInvariants.length);
  });
});

describe('buildHistoryIndex', () => {
  it('gathers per order the placement, acknowledgement, shipment states and Odoo writes, and per record the calls that may have changed it', () => {
    const history = new HistoryBuilder();
    const placed = history.event('capture', 'order.placed', 'CAP-000001');
    history.send('CAP-000001');
    const ack = history.event('capture', 'order.acknowledged', 'CAP-000001');
    const create = history.odoo({ model: 'sale.order', method: 'create', ids: [1], corr: 'CAP-000001' });
    history.odoo({ model: 'sale.order', method: 'read', ids: [1], corr: 'CAP-000001' });
    const failed = history.odoo({ model: 'sale.order', method: 'write', ids: [1], outcome: 'fail', corr: 'CAP-000001' });
    const state = history.event('middleware', 'shipment.state', 'CAP-000001', { status: 'picked' });
    const index = buildHistoryIndex(history.events);
    const trail = index.orders.get('CAP-000001')!;
    expect(index.eventCount).toBe(7);
    expect(trail.placed?.seq).toBe(placed);
    expect(trail.acknowledged?.seq).toBe(ack);
    expect(trail.shipmentStates.map((e) => e.seq)).toEqual([state]);
    expect(trail.odooWrites.map((e) => e.seq)).toEqual([create, failed]);
    expect(trail.lastChange?.seq).toBe(state);
    expect(index.writesOn('sale.order', 1).map((e) => e.seq)).toEqual([create]);
    expect(index.writesOn('sale.order', 2)).toEqual([]);
  });

  it('gathers the failed Odoo calls, reads among them, and the dead-letter events about orders', () => {
    const history = new HistoryBuilder();
    history.odoo({ model: 'sale.order', method: 'create', ids: [1], corr: 'CAP-000001' });
    const failedRead = history.odoo({ model: 'res.partner', method: 'search', outcome: 'fail', corr: 'CAP-000001' });
    const failedWrite = history.odoo({ model: 'sale.order', method: 'write', ids: [1], outcome: 'fail' });
    const dead = history.event('middleware', 'deadletter', 'CAP-000001', { attempts: 8 });
    history.event('middleware', 'order.accepted', 'CAP-000002');
    const revived = history.event('middleware', 'deadletter.revived', 'CAP-000001');
    const index = buildHistoryIndex(history.events);
    expect(index.failedOdooCalls.map((e) => e.seq)).toEqual([failedRead, failedWrite]);
    expect(index.deadLetterEvents.map((e) => e.seq)).toEqual([dead, revived]);
  });
});
