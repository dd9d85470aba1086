import { describe, expect, it } from 'vitest';
import { shipmentStateNeverRegresses } from './shipment-state-never-regresses.ts';
import { HistoryBuilder, judge, namedOrders, picking, runInput, saleOrder, snapshot, T0 } from './test-fixtures.ts';

function states(history: HistoryBuilder, ref: string, statuses: string[], shipmentId?: string): number[] {
  return statuses.map((status) => history.event('middleware', 'shipment.state', ref, { status, ...(shipmentId !== undefined && { shipmentId }) }));
}

describe('shipment-state-never-regresses', () => {
  it('passes when every shipment only moves forward, skipping states and exceptions included', () => {
    const history = new HistoryBuilder();
    states(history, 'CAP-000001', ['picked', 'shipped', 'exception', 'in_transit', 'delivered']);
    states(history, 'CAP-000002', ['picked', 'packed']);
    const verdict = judge(shipmentStateNeverRegresses, runInput({ history: history.events }));
    expect(verdict.verdict).toBe('pass');
    expect(verdict.summary).toContain('2 shipments');
  });

  it('fails naming the order whose delivered shipment went back to in transit, with both events', () => {
    const history = new HistoryBuilder();
    states(history, 'CAP-000001', ['picked', 'shipped']);
    const [delivered, back] = states(history, 'CAP-000002', ['shipped', 'delivered', 'in_transit']).slice(1);
    const verdict = judge(shipmentStateNeverRegresses, runInput({ history: history.events }));
    expect(verdict.verdict).toBe('fail');
    expect(namedOrders(verdict)).toEqual(['CAP-000002']);
    expect(verdict.examples[0]!.events).toEqual([delivered, back]);
    expect(verdict.examples[0]!.message).toContain('from delivered back to in_transit');
  });

  it('follows each parcel of a split order on its own', () => {
    const history = new HistoryBuilder();
    states(history, 'CAP-000001', ['delivered'], 'shp_1');
    states(history, 'CAP-000001', ['picked', 'shipped'], 'shp_2');
    expect(judge(shipmentStateNeverRegresses, runInput({ history: history.events })).verdict).toBe('pass');
  });

  it("fails when one of Odoo's done pickings is no longer done", () => {
    const verdict = judge(
      shipmentStateNeverRegresses,
      runInput({
        odoo: snapshot({
          saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002')],
          pickings: [picking(11, 1, { state: 'done', doneAt: T0 }), picking(12, 2, { state: 'cancel', doneAt: T0 })],
        }),
      }),
    );
    expect(verdict.verdict).toBe('fail');
    expect(namedOrders(verdict)).toEqual(['CAP-000002']);
    expect(verdict.examples[0]!.records).toEqual([{ model: 'stock.picking', id: 12 }]);
  });

  it('fails when a call took a done picking back, even if it reads done again', () => {
    const history = new HistoryBuilder();
    const cancel = history.at(5_000).odoo({ model: 'stock.picking', method: 'action_cancel', ids: [11], corr: 'CAP-000001' });
    const verdict = judge(
      shipmentStateNeverRegresses,
      runInput({
        history: history.events,
        odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001')], pickings: [picking(11, 1, { state: 'done', doneAt: T0 })] }),
      }),
    );
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.examples[0]!.events).toEqual([cancel]);
  });
});

describe('shipment-state-never-regresses on a middleware that flips on every duplicate', () => {
  it('counts each parcel that went back once, and says how often it did', () => {
    const history = new HistoryBuilder();
    const [packed, picked] = states(history, 'CAP-000001', ['picked', 'packed', 'picked', 'packed', 'picked', 'delivered'], 'shp_1').slice(1, 3);
    states(history, 'CAP-000002', ['picked', 'shipped', 'packed'], 'shp_2');
    const verdict = judge(shipmentStateNeverRegresses, runInput({ history: history.events }));
    expect(verdict.violations).toBe(2);
    expect(namedOrders(verdict)).toEqual(['CAP-000001', 'CAP-000002']);
    expect(verdict.examples[0]!.message).toBe('the middleware moved shipment shp_1 from packed back to picked, and back 1 more time');
    expect(verdict.examples[0]!.events).toEqual([packed, picked]);
  });
});

describe('shipment-state-never-regresses with nothing to follow', () => {
  it('is unknown when the middleware reported no shipment and Odoo was not read', () => {
    const { odoo: _, ...withoutOdoo } = runInput();
    expect(judge(shipmentStateNeverRegresses, withoutOdoo).verdict).toBe('unknown');
  });
});
