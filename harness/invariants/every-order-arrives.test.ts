import { describe, expect, it } from 'vitest';
import { everyOrderArrives } from './every-order-arrives.ts';
import { captureOrder, HistoryBuilder, judge, namedOrders, runInput, saleOrder, snapshot } from './test-fixtures.ts';

describe('every-order-arrives', () => {
  const ledger = {
    orders: [
      captureOrder('CAP-000001'),
      captureOrder('CAP-000002'),
      captureOrder('CAP-000003', { acknowledged: false }),
      captureOrder('CAP-000004', { cancelled: true }),
    ],
  };

  it('passes when every acknowledged order is in Odoo; unacknowledged and cancelled ones need not be', () => {
    const verdict = judge(
      everyOrderArrives,
      runInput({ ledgers: { capture: ledger }, odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002')] }) }),
    );
    expect(verdict.verdict).toBe('pass');
    expect(verdict.summary).toContain('2 acknowledged orders');
  });

  it('fails naming the acknowledged order Odoo never got, with its acknowledgement and lost call', () => {
    const history = new HistoryBuilder();
    const ack = history.event('capture', 'order.acknowledged', 'CAP-000002');
    const lost = history.odoo({ model: 'sale.order', method: 'create', outcome: 'unknown', corr: 'CAP-000002' });
    const verdict = judge(
      everyOrderArrives,
      runInput({ history: history.events, ledgers: { capture: ledger }, odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001')] }) }),
    );
    expect(verdict.verdict).toBe('fail');
    expect(namedOrders(verdict)).toEqual(['CAP-000002']);
    expect(verdict.examples[0]!.events).toEqual([ack, lost]);
  });

  it('counts an acknowledged order whose only sale order is cancelled as missing', () => {
    const verdict = judge(
      everyOrderArrives,
      runInput({ ledgers: { capture: ledger }, odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002', { state: 'cancel' })] }) }),
    );
    expect(namedOrders(verdict)).toEqual(['CAP-000002']);
    expect(verdict.examples[0]!.records).toEqual([{ model: 'sale.order', id: 2 }]);
  });

  it('is unknown without the capture ledger', () => {
    expect(judge(everyOrderArrives, runInput()).verdict).toBe('unknown');
  });
});
