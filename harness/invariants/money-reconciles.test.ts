import { describe, expect, it } from 'vitest';
import { moneyReconciles } from './money-reconciles.ts';
import { gatewayPayment, HistoryBuilder, invoice, judge, namedOrders, payment, runInput, saleOrder, snapshot } from './test-fixtures.ts';

const odooOrders = [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002'), saleOrder(3, 'CAP-000003')];

describe('money-reconciles', () => {
  it('passes when per order the gateway net equals the posted payments, refunds included', () => {
    const verdict = judge(
      moneyReconciles,
      runInput({
        ledgers: {
          payment: {
            payments: [
              gatewayPayment('CAP-000001', 2.31),
              gatewayPayment('CAP-000002', 10, { refunded: 4 }),
              gatewayPayment('CAP-000003', 5, { status: 'failed' }),
            ],
            deliveries: [],
          },
        },
        odoo: snapshot({
          saleOrders: odooOrders,
          invoices: [invoice(21, 'CAP-000001')],
          payments: [
            // Odoo 17's payment wizard puts the invoice name in ref: traced through the invoice.
            payment(31, 'INV/2026/00021', 2.31),
            payment(32, 'CAP-000002', 10),
            payment(33, 'CAP-000002', 4, { paymentType: 'outbound' }),
            payment(34, 'CAP-000003', 5, { state: 'cancel' }),
          ],
        }),
      }),
    );
    expect(verdict.verdict).toBe('pass');
  });

  it('fails naming the order paid twice in Odoo and the order whose payment never arrived', () => {
    const verdict = judge(
      moneyReconciles,
      runInput({
        ledgers: {
          payment: { payments: [gatewayPayment('CAP-000001', 2.31), gatewayPayment('CAP-000002', 10), gatewayPayment('CAP-000003', 7)], deliveries: [] },
        },
        odoo: snapshot({ saleOrders: odooOrders, payments: [payment(31, 'CAP-000001', 2.31), payment(32, 'CAP-000002', 10), payment(33, 'CAP-000002', 10)] }),
      }),
    );
    expect(verdict.verdict).toBe('fail');
    expect(verdict.violations).toBe(2);
    expect(namedOrders(verdict)).toEqual(['CAP-000002', 'CAP-000003']);
    const twice = verdict.examples.find((v) => v.orderRef === 'CAP-000002')!;
    expect(twice.message).toContain('1 capture at the gateway but 2 posted payments');
    expect(twice.records).toEqual([
      { model: 'account.payment', id: 32 },
      { model: 'account.payment', id: 33 },
    ]);
  });

  it('fails when the middleware recorded one gateway payment twice', () => {
    const history = new HistoryBuilder();
    const first = history.event('middleware', 'payment.recorded', 'CAP-000001', { paymentId: 'pay_CAP-000001' });
    const again = history.event('middleware', 'payment.recorded', 'CAP-000001', { paymentId: 'pay_CAP-000001' });
    const verdict = judge(
      moneyReconciles,
      runInput({
        history: history.events,
        ledgers: { payment: { payments: [gatewayPayment('CAP-000001', 2.31)], deliveries: [] } },
        odoo: snapshot({ saleOrders: odooOrders, payments: [payment(31, 'CAP-000001', 2.31)] }),
      }),
    );
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.examples[0]!.events).toEqual([first, again]);
  });

  it('fails on a posted payment no order can be traced to', () => {
    const verdict = judge(
      moneyReconciles,
      runInput({ ledgers: { payment: { payments: [], deliveries: [] } }, odoo: snapshot({ saleOrders: odooOrders, payments: [payment(39, 'mystery', 1)] }) }),
    );
    expect(verdict.verdict).toBe('fail');
    expect(verdict.examples[0]!.records).toEqual([{ model: 'account.payment', id: 39 }]);
  });

  it('is unknown without the payment ledger', () => {
    expect(judge(moneyReconciles, runInput()).verdict).toBe('unknown');
  });
});
