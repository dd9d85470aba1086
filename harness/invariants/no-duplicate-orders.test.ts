import { describe, expect, it } from 'vitest';
import { noDuplicateOrders } from './no-duplicate-orders.ts';
import { captureOrder, HistoryBuilder, judge, namedOrders, runInput, saleOrder, snapshot } from './test-fixtures.ts';

describe('no-duplicate-orders', () => {
  it('passes when each capture order has one sale order, a cancelled copy aside', () => {
    const verdict = judge(
      noDuplicateOrders,
      runInput({
        ledgers: { capture: { orders: [captureOrder('CAP-000001'), captureOrder('CAP-000002')] } },
        odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002'), saleOrder(3, 'CAP-000002', { state: 'cancel' })] }),
      }),
    );
    expect(verdict.verdict).toBe('pass');
  });

  it('fails naming the duplicated order, its sale orders and the create calls', () => {
    const history = new HistoryBuilder();
    const first = history.odoo({ model: 'sale.order', method: 'create', ids: [1], corr: 'CAP-000002' });
    const second = history.odoo({ model: 'sale.order', method: 'create', ids: [3], corr: 'CAP-000002' });
    const verdict = judge(
      noDuplicateOrders,
      runInput({
        history: history.events,
        ledgers: { capture: { orders: [captureOrder('CAP-000001'), captureOrder('CAP-000002')] } },
        odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000002'), saleOrder(2, 'CAP-000001'), saleOrder(3, 'CAP-000002')] }),
      }),
    );
    expect(verdict.verdict).toBe('fail');
    expect(verdict.violations).toBe(1);
    expect(namedOrders(verdict)).toEqual(['CAP-000002']);
    expect(verdict.examples[0]!.records).toEqual([
      { model: 'sale.order', id: 1 },
      { model: 'sale.order', id: 3 },
    ]);
    expect(verdict.examples[0]!.events).toEqual([first, second]);
  });

  it('counts every duplicate but keeps five examples', () => {
    const refs = Array.from({ length: 8 }, (_, i) => `CAP-00000${i}`);
    const verdict = judge(
      noDuplicateOrders,
      runInput({ odoo: snapshot({ saleOrders: refs.flatMap((ref, i) => [saleOrder(2 * i + 1, ref), saleOrder(2 * i + 2, ref)]) }) }),
    );
    expect(verdict.violations).toBe(8);
    expect(verdict.examples).toHaveLength(5);
  });

  it('is unknown without Odoo', () => {
    const { odoo: _, ...withoutOdoo } = runInput();
    expect(judge(noDuplicateOrders, withoutOdoo).verdict).toBe('unknown');
  });
});
