import { describe, expect, it } from 'vitest';
import { boundaries } from './boundaries.ts';
import { HistoryBuilder, invoice, judge, namedOrders, payment, runInput, snapshot } from './test-fixtures.ts';

describe('boundaries', () => {
  it('passes when only the middleware and admin write invoices and payments; reads and failed writes by others do not count', () => {
    const history = new HistoryBuilder();
    history.odoo({ model: 'account.move', method: 'action_post', ids: [21], corr: 'CAP-000001' });
    history.odoo({ principal: 'admin', model: 'account.payment', method: 'write', ids: [31] });
    history.odoo({ principal: 'payment-bot', model: 'account.payment', method: 'search_read' });
    history.odoo({ principal: 'payment-bot', model: 'account.payment', method: 'create', outcome: 'fail' });
    history.odoo({ principal: 'payment-bot', model: 'res.partner', method: 'write', ids: [5] });
    const verdict = judge(
      boundaries,
      runInput({ history: history.events, odoo: snapshot({ invoices: [invoice(21, 'CAP-000001')], payments: [payment(31, 'CAP-000001', 1)] }) }),
    );
    expect(verdict.verdict).toBe('pass');
  });

  it('fails naming the order whose payment the payment system registered itself, through the wizard', () => {
    const history = new HistoryBuilder();
    const wizard = history.odoo({
      principal: 'payment-bot',
      model: 'account.payment.register',
      method: 'action_create_payments',
      ids: [4],
      corr: 'CAP-000002',
    });
    const verdict = judge(boundaries, runInput({ history: history.events }));
    expect(verdict.verdict).toBe('fail');
    expect(namedOrders(verdict)).toEqual(['CAP-000002']);
    expect(verdict.examples[0]!.events).toEqual([wizard]);
  });

  it('fails on a stored record written by a principal not allowed, even without a history', () => {
    const verdict = judge(boundaries, runInput({ odoo: snapshot({ payments: [payment(31, 'CAP-000001', 1, { writeUid: 9 })] }) }));
    expect(verdict.verdict).toBe('fail');
    expect(verdict.examples[0]!.records).toEqual([{ model: 'account.payment', id: 31 }]);
    expect(verdict.examples[0]!.message).toContain('payment-bot');
  });

  it("follows a scenario's own map of protected models", () => {
    const history = new HistoryBuilder();
    history.odoo({ principal: 'payment-bot', model: 'account.payment', method: 'create', ids: [31], corr: 'CAP-000001' });
    history.odoo({ principal: 'faultline-middleware', model: 'stock.picking', method: 'button_validate', ids: [11], corr: 'CAP-000003' });
    const verdict = judge(
      boundaries,
      runInput({ history: history.events, options: { protectedModels: { 'account.payment': ['payment-bot'], 'stock.picking': ['wms'] } } }),
    );
    expect(namedOrders(verdict)).toEqual(['CAP-000003']);
  });

  it('resolves a principal given as a uid through the users Odoo reported', () => {
    const history = new HistoryBuilder();
    history.odoo({ principal: 'uid:9', model: 'account.move', method: 'write', ids: [21], corr: 'CAP-000001' });
    history.odoo({ principal: 'uid:2', model: 'account.move', method: 'write', ids: [22], corr: 'CAP-000002' });
    const verdict = judge(boundaries, runInput({ history: history.events }));
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
  });
});
