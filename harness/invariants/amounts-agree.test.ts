import { describe, expect, it } from 'vitest';
import { amountsAgree } from './amounts-agree.ts';
import { captureOrder, invoice, judge, namedOrders, runInput, saleOrder, snapshot } from './test-fixtures.ts';

// Odoo stores 1.005 as 1.01: 2 × 1.01 = 2.02, tax 0.303 → 0.30, total 2.32; 2.675 as 2.68: 3 × 2.68 = 8.04, tax 1.206 → 1.21, total 9.25.
const orders = [
  captureOrder('CAP-000001'),
  captureOrder('CAP-000002', { lines: [{ sku: 'FL-CONSU-02', quantity: 3, unitPrice: 2.675 }], total: 9.25 }),
];

describe('amounts-agree', () => {
  it("passes when capture, the sale order and the invoices agree to the cent by Odoo's rounding", () => {
    const verdict = judge(
      amountsAgree,
      runInput({
        ledgers: { capture: { orders } },
        odoo: snapshot({
          saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002', { amountTotal: 9.25 })],
          // A duplicate invoice reversed by a credit note still nets to the order total.
          invoices: [invoice(21, 'CAP-000001'), invoice(22, 'CAP-000002', { amountTotal: 9.25 }), invoice(23, 'CAP-000002', { amountTotal: 9.25 }), invoice(24, 'CAP-000002', { moveType: 'out_refund', amountTotal: 9.25 })],
        }),
      }),
    );
    expect(verdict.verdict).toBe('pass');
  });

  it('fails naming the order whose sale order drifted by a cent', () => {
    const verdict = judge(
      amountsAgree,
      runInput({ ledgers: { capture: { orders } }, odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002', { amountTotal: 9.24 })] }) }),
    );
    expect(verdict.verdict).toBe('fail');
    expect(namedOrders(verdict)).toEqual(['CAP-000002']);
    expect(verdict.examples[0]!.records).toEqual([{ model: 'sale.order', id: 2 }]);
    expect(verdict.examples[0]!.message).toContain('9.24');
  });

  it("fails when the storefront's total is not Odoo's rounding of its lines, and says when it kept the half-cent prices", () => {
    const drifted = [captureOrder('CAP-000001', { total: 2.31 })];
    const verdict = judge(amountsAgree, runInput({ ledgers: { capture: { orders: drifted } }, odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001', { amountTotal: 2.31 })] }) }));
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.examples[0]!.message).toBe(
      "capture charged 2.31, Odoo's rounding of its lines gives 2.32 (the storefront kept unit prices Odoo stores to 2 digits: 1.005 → 1.01)",
    );
  });

  it('fails naming the order whose posted invoice disagrees', () => {
    const verdict = judge(
      amountsAgree,
      runInput({
        ledgers: { capture: { orders } },
        odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002', { amountTotal: 9.25 })], invoices: [invoice(21, 'CAP-000001', { amountTotal: 2.33 })] }),
      }),
    );
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.examples[0]!.records).toEqual([{ model: 'account.move', id: 21 }]);
  });

  it('is unknown without the capture ledger', () => {
    expect(judge(amountsAgree, runInput()).verdict).toBe('unknown');
  });
});

describe('amounts-agree with a configured price precision', () => {
  it("follows an Odoo set to store unit prices to 3 digits", () => {
    const exact = [captureOrder('CAP-000001', { total: 2.31 })];
    const input = runInput({ ledgers: { capture: { orders: exact } }, odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001', { amountTotal: 2.31 })] }) });
    expect(judge(amountsAgree, input).verdict).toBe('fail');
    expect(judge(amountsAgree, { ...input, options: { priceDigits: 3 } }).verdict).toBe('pass');
  });
});
