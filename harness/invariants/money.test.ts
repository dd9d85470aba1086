import { describe, expect, it } from 'vitest';
import { odooOrderTotal, roundHalfUp, sameCents } from './money.ts';

describe("Odoo's money rounding", () => {
  it('rounds half away from zero where JavaScript and Python do not', () => {
    expect(roundHalfUp(1.005)).toBe(1.01);
    expect(roundHalfUp(2.675)).toBe(2.68);
    expect(roundHalfUp(-1.005)).toBe(-1.01);
    expect(roundHalfUp(0.125)).toBe(0.13);
    expect(roundHalfUp(1.0049)).toBe(1);
    expect(roundHalfUp(0)).toBe(0);
  });

  it('rounds tax per line, as round_per_line does', () => {
    // Ten lines of 0.05 at 15%: per line 10 × 0.01 of tax; rounded globally it would be 0.08.
    const lines = Array.from({ length: 10 }, () => ({ quantity: 1, unitPrice: 0.05 }));
    expect(odooOrderTotal(lines, 0.15)).toEqual({ untaxed: 0.5, tax: 0.1, total: 0.6 });
    expect(odooOrderTotal([{ quantity: 2, unitPrice: 1.005 }], 0.15).total).toBe(2.31);
  });

  it('compares amounts to the cent without float noise', () => {
    expect(sameCents(0.1 + 0.2, 0.3)).toBe(true);
    expect(sameCents(9.23, 9.22)).toBe(false);
  });
});

describe("Odoo's stored unit prices", () => {
  it('rounds unit prices to the product price precision before the line total', () => {
    expect(odooOrderTotal([{ quantity: 2, unitPrice: 1.005 }], 0.15, { priceDigits: 2 })).toEqual({ untaxed: 2.02, tax: 0.3, total: 2.32 });
    expect(odooOrderTotal([{ quantity: 3, unitPrice: 2.675 }], 0.15, { priceDigits: 2 }).total).toBe(9.25);
  });
});
