import { describe, expect, it } from 'vitest';
import { amountsAgree } from './amounts-agree.ts';
import { captureOrder, invoice, judge, namedOrders, runInput, saleOrder, snapshot } from './test-fixtures.ts';

// Odoo stores 1.005 as 1.01: 2 × 1.01 = 2.02, tax 0.303 → 0.30, total 2.32; 2.675 as 2.68: 3 × 2.68 = 8.04, tax 1.206 → 1.21, total 9.25.
const orders = [captureOrder('CAP-000001'), captureOrder('CAP-000002', { lines: [{ sku: 'FL-CONSU-02', quantity: 3, unitPrice: 2.675 }], total: 9.25 })];

describe('amounts-agree', () => {
  it("passes when capture, the sale order and the invoices agree to the cent by Odoo's rounding", () => {
    const verdict = judge(
      amountsAgree,
      runInput({
        ledgers: { capture: { orders } },
        odoo: snapshot({
          saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002', { amountTotal: 9.25 })],
          // A duplicate invoice reversed by a credit note still nets to the order total.
          invoices: [
            invoice(21, 'CAP-000001'),
            invoice(22, 'CAP-000002', { amountTotal: 9.25 }),
            invoice(23, 'CAP-000002', { amountTotal: 9.25 }),
            invoice(24, 'CAP-000002', { moveType: 'out_refund', amountTotal: 9.25 }),
          ],
        }),
      }),
    );
    expect(verdict.verdict).toBe('pass');
  });

  it('fails naming the order whose sale order drifted by a cent', () => {
    const verdict = judge(
      amountsAgree,
      runInput({
        ledgers: { capture: { orders } },
        odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002', { amountTotal: 9.24 })] }),
      }),
    );
    expect(verdict.verdict).toBe('fail');
    expect(namedOrders(verdict)).toEqual(['CAP-000002']);
    expect(verdict.examples[0]!.records).toEqual([{ model: 'sale.order', id: 2 }]);
    expect(verdict.examples[0]!.message).toContain('9.24');
  });

  it("passes a storefront whose total is not Odoo's rounding of its lines once Odoo's order and invoice carry what it charged", () => {
    // Charged 2.31 for 2 × 1.005 (Odoo stores 1.01 and totals 2.32); a rounding line of -0.01 brings the order and invoice to 2.31.
    const drifted = [captureOrder('CAP-000001', { total: 2.31 })];
    const verdict = judge(
      amountsAgree,
      runInput({
        ledgers: { capture: { orders: drifted } },
        odoo: snapshot({
          saleOrders: [saleOrder(1, 'CAP-000001', { amountTotal: 2.31 })],
          invoices: [invoice(21, 'CAP-000001', { amountTotal: 2.31 })],
          invoiceLines: [
            { id: 1, moveId: 21, productId: 101, quantity: 2 },
            { id: 2, moveId: 21, productId: 950, quantity: 1 },
          ],
          products: [
            { id: 101, defaultCode: 'FL-CONSU-01', invoicePolicy: 'order' },
            { id: 950, defaultCode: 'FL-ROUNDING', invoicePolicy: 'order' },
          ],
        }),
      }),
    );
    expect(verdict.verdict).toBe('pass');
  });

  it("fails a sale order and invoice that kept Odoo's rounding, and says the storefront kept half-cent prices", () => {
    const drifted = [captureOrder('CAP-000001', { total: 2.31 })];
    const verdict = judge(
      amountsAgree,
      runInput({
        ledgers: { capture: { orders: drifted } },
        odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001', { amountTotal: 2.32 })], invoices: [invoice(21, 'CAP-000001', { amountTotal: 2.32 })] }),
      }),
    );
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.violations).toBe(1);
    expect(verdict.examples[0]!.records).toEqual([
      { model: 'sale.order', id: 1 },
      { model: 'account.move', id: 21 },
    ]);
    expect(verdict.examples[0]!.message).toBe(
      'sale order S00001 totals 2.32, capture charged 2.31; posted invoices INV/2026/00021 net 2.32, capture charged 2.31; ' +
        "why: Odoo's rounding of the storefront's lines gives 2.32, not the 2.31 it charged (the storefront kept unit prices Odoo stores to 2 digits: 1.005 → 1.01)",
    );
  });

  it('gives no rounding reason when the storefront charged what Odoo computes from its lines', () => {
    const verdict = judge(
      amountsAgree,
      runInput({ ledgers: { capture: { orders } }, odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001', { amountTotal: 2.33 })] }) }),
    );
    expect(verdict.examples[0]!.message).toBe('sale order S00001 totals 2.33, capture charged 2.32');
  });

  it('fails naming the order whose posted invoice disagrees', () => {
    const verdict = judge(
      amountsAgree,
      runInput({
        ledgers: { capture: { orders } },
        odoo: snapshot({
          saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002', { amountTotal: 9.25 })],
          invoices: [invoice(21, 'CAP-000001', { amountTotal: 2.33 })],
        }),
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
  it('explains a disagreement by the precision Odoo is set to', () => {
    const drifted = [captureOrder('CAP-000001', { total: 2.31 })];
    const input = runInput({ ledgers: { capture: { orders: drifted } }, odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001', { amountTotal: 2.32 })] }) });
    expect(judge(amountsAgree, input).examples[0]!.message).toContain('stores to 2 digits: 1.005 → 1.01');
    // An Odoo that keeps 3 digits computes 2.31 from these lines: the storefront is not why the order says 2.32.
    const precise = judge(amountsAgree, { ...input, options: { priceDigits: 3 } });
    expect(precise.verdict).toBe('fail');
    expect(precise.examples[0]!.message).toBe('sale order S00001 totals 2.32, capture charged 2.31');
  });
});
