import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floatCompare, floatIsZero, floatRound } from '../rounding.ts';
import { computeDocument, computeLine } from '../taxes.ts';

describe('floatRound (Odoo HALF-UP with epsilon)', () => {
  it('rounds half-cent ties away from zero where JavaScript rounds them down', () => {
    expect(floatRound(1.005, 0.01)).toBe(1.01);
    expect(floatRound(2.675, 0.01)).toBe(2.68);
    expect(floatRound(0.125, 0.01)).toBe(0.13);
    expect(floatRound(-1.005, 0.01)).toBe(-1.01);
    expect(Math.round(1.005 * 100) / 100).toBe(1); // the naive way a client would do it
  });

  it("rounds a product that lands exactly on the tie after the epsilon up, like Odoo's Python-2 round shim", () => {
    // 0.99 * 1.5 = 1.4849999999999999; banker's rounding would give 1.48, Odoo gives 1.49.
    expect(floatRound(0.99 * 1.5, 0.01)).toBe(1.49);
    expect(floatRound(0.1 * 0.15, 0.01)).toBe(0.02);
    expect(floatRound(0.3 * 0.15, 0.01)).toBe(0.05);
  });

  it('returns clean decimals, as read back from PostgreSQL numeric columns', () => {
    expect(floatRound(1.15, 0.01)).toBe(1.15);
    expect(String(floatRound(0.1 + 0.2, 0.01))).toBe('0.3');
  });

  it('supports non-decimal steps and the other rounding methods', () => {
    expect(floatRound(1.3, 0.5)).toBe(1.5);
    expect(floatRound(2.5, 1, 'HALF-EVEN')).toBe(2);
    expect(floatRound(2.5, 1, 'HALF-DOWN')).toBe(2);
    expect(floatRound(2.01, 1, 'UP')).toBe(3);
    expect(floatRound(2.99, 1, 'DOWN')).toBe(2);
  });

  it('refuses a rounding step that is not positive', () => {
    expect(() => floatRound(1, 0)).toThrow(/positive step/);
  });

  it('treats 0.005 as not zero at cents and compares after rounding', () => {
    expect(floatIsZero(0.005, 0.01)).toBe(false);
    expect(floatIsZero(0.0049, 0.01)).toBe(true);
    expect(floatCompare(0.006, 0.002, 0.01)).toBe(1);
  });

  it('is idempotent, stays within half a step, and never leaves more decimals than the step', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (value) => {
        const rounded = floatRound(value, 0.01);
        expect(floatRound(rounded, 0.01)).toBe(rounded);
        expect(Math.abs(rounded - value)).toBeLessThanOrEqual(0.005 + Math.abs(value) * 1e-12);
        expect(Number(rounded.toFixed(2))).toBe(rounded);
      }),
    );
  });
});

describe('tax amounts', () => {
  const tax15 = [{ id: 1, amount: 15 }];
  const lines = (prices: number[]) => prices.map((priceUnit) => ({ priceUnit, quantity: 1, discount: 0, taxes: tax15 }));

  it("rounds each line's tax by default and the sum once with round_globally", () => {
    const tenNickels = lines(Array.from({ length: 10 }, () => 0.05));
    expect(computeDocument(tenNickels, 0.01, 'round_per_line')).toEqual({ untaxed: 0.5, tax: 0.1, total: 0.6 });
    expect(computeDocument(tenNickels, 0.01, 'round_globally')).toEqual({ untaxed: 0.5, tax: 0.08, total: 0.58 });
  });

  it("matches Odoo to the cent on the transcripts' half-cent ties", () => {
    const ties = lines([1.01, 0.13, 2.68, ...Array.from({ length: 10 }, () => 0.05)]);
    expect(computeDocument(ties, 0.01, 'round_per_line')).toEqual({ untaxed: 4.32, tax: 0.67, total: 4.99 });
    expect(computeDocument(ties, 0.01, 'round_globally')).toEqual({ untaxed: 4.32, tax: 0.65, total: 4.97 });
  });

  it('applies the discount before the tax and rounds the line once', () => {
    const line = computeLine({ priceUnit: 19.99, quantity: 1, discount: 12.5, taxes: tax15 }, 0.01, 'round_per_line');
    expect([line.subtotal, line.tax, line.total]).toEqual([17.49, 2.62, 20.11]);
  });
});
