import { describe, expect, it } from 'vitest';
import { orderTotal, roundHalfUp } from '../money.ts';

describe('money rounding', () => {
  it('rounds half-cent ties away from zero like Odoo float_round, where Math.round would not', () => {
    expect(roundHalfUp(1.005)).toBe(1.01);
    expect(Math.round(1.005 * 100) / 100).toBe(1); // the trap this module exists for
    expect(roundHalfUp(2.675)).toBe(2.68);
    expect(roundHalfUp(-1.005)).toBe(-1.01);
    expect(roundHalfUp(0.125)).toBe(0.13);
    expect(roundHalfUp(3 * 1.005)).toBe(3.02);
    expect(roundHalfUp(0)).toBe(0);
  });

  it('totals an order per line, tax on the rounded subtotal (round_per_line)', () => {
    // Odoo stores the unit price at 2 decimals: 2 × 1.01 = 2.02, tax 0.303 → 0.30 (recorded from Odoo 17).
    expect(orderTotal([{ quantity: 2, unitPrice: 1.005 }], 0.15)).toBe(2.32);
    expect(orderTotal([{ quantity: 2, unitPrice: 0.125 }], 0.15)).toBe(0.3);
    // A storefront that prices at 3 decimals charges the CONTRACTS.md example: 2.01 + 0.30.
    expect(orderTotal([{ quantity: 2, unitPrice: 1.005 }], 0.15, 3)).toBe(2.31);
    // Ten lines of 0.05: per-line tax 0.0075 → 0.01 each, so 0.60, not the global 0.58.
    expect(
      orderTotal(
        Array.from({ length: 10 }, () => ({ quantity: 1, unitPrice: 0.05 })),
        0.15,
      ),
    ).toBe(0.6);
  });

  it('matches the totals a real Odoo 17 computed for half-cent prices', () => {
    // odoo17-transcripts/recorded/10_rounding.json, read_so_ties_lines: price_total per line.
    expect(orderTotal([{ quantity: 1, unitPrice: 1.005 }], 0.15)).toBe(1.16);
    expect(orderTotal([{ quantity: 1, unitPrice: 0.125 }], 0.15)).toBe(0.15);
  });
});

describe('money rounding against exact decimals', () => {
  it('rounds quantity × price like exact decimal HALF-UP for prices with up to 3 decimals', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 500 }), (thousandths, quantity) => {
        const exactThousandths = thousandths * quantity;
        const exactCents = Math.floor((exactThousandths + 5) / 10);
        return Math.round(roundHalfUp((thousandths / 1000) * quantity) * 100) === exactCents;
      }),
      { seed: 42, numRuns: 5_000 },
    );
  });
});
