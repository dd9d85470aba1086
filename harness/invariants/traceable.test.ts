import { describe, expect, it } from 'vitest';
import { traceable } from './traceable.ts';
import { ADMIN_UID, captureOrder, HistoryBuilder, invoice, judge, namedOrders, payment, runInput, saleOrder, snapshot } from './test-fixtures.ts';

const capture = { orders: [captureOrder('CAP-000001'), captureOrder('CAP-000002')] };

describe('traceable', () => {
  it("passes when every record the middleware created carries its order's ref, and ignores others' records", () => {
    const history = new HistoryBuilder();
    history.odoo({ model: 'sale.order', method: 'create', ids: [1], corr: 'CAP-000001' });
    const verdict = judge(
      traceable,
      runInput({
        history: history.events,
        ledgers: { capture },
        odoo: snapshot({
          saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002'), saleOrder(3, null, { createUid: ADMIN_UID })],
          invoices: [invoice(21, 'CAP-000001')],
          payments: [payment(31, 'CAP-000001 INV/2026/00021', 2.31)],
        }),
      }),
    );
    expect(verdict.verdict).toBe('pass');
    expect(verdict.summary).toContain('4 records');
  });

  it('fails naming the order whose payment lost the ref and the order created by a call without correlation id', () => {
    const history = new HistoryBuilder();
    const create = history.odoo({ model: 'sale.order', method: 'create', ids: [2] });
    const payCreate = history.odoo({ model: 'account.payment', method: 'create', ids: [31], corr: 'CAP-000001' });
    const verdict = judge(
      traceable,
      runInput({
        history: history.events,
        ledgers: { capture },
        odoo: snapshot({
          saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002')],
          payments: [payment(31, 'INV/2026/00021', 2.31)],
        }),
      }),
    );
    expect(verdict.verdict).toBe('fail');
    expect(verdict.violations).toBe(2);
    expect(namedOrders(verdict)).toEqual(['CAP-000001', 'CAP-000002']);
    expect(verdict.examples.find((v) => v.orderRef === 'CAP-000002')!.events).toEqual([create]);
    expect(verdict.examples.find((v) => v.orderRef === 'CAP-000001')!.events).toEqual([payCreate]);
  });

  it('fails when a record names one order but was created for another', () => {
    const history = new HistoryBuilder();
    history.odoo({ model: 'account.move', method: 'create', ids: [21], corr: 'CAP-000002' });
    const verdict = judge(
      traceable,
      runInput({
        history: history.events,
        ledgers: { capture },
        odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001')], invoices: [invoice(21, 'CAP-000001')] }),
      }),
    );
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.examples[0]!.message).toContain('created by a call for CAP-000002');
  });

  it("is unknown when Odoo has no user with the middleware's login", () => {
    expect(judge(traceable, runInput({ options: { middlewareLogin: 'someone-else' } })).verdict).toBe('unknown');
  });
});
