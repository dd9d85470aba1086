import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floatRound } from '../orm/convert.ts';

/** float_round HALF-UP written out the long way: round in steps, then print and parse the decimal. */
function roundedThroughText(value: number, digits: number): number {
  const rounding = 10 ** -digits;
  const normalized = value / rounding;
  const epsilon = 2 ** (Math.log2(Math.abs(normalized)) - 52);
  const sign = normalized < 0 ? -1 : 1;
  const steps = Math.round(Math.abs(normalized) + epsilon);
  return Number((sign * steps * rounding).toFixed(digits));
}

describe('floatRound (field conversion)', () => {
  it('gives the same decimal as rounding in steps and reading the printed value back', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true }),
          fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1000),
        ),
        fc.integer({ min: 0, max: 8 }),
        (value, digits) => {
          expect(Object.is(floatRound(value, digits), roundedThroughText(value, digits))).toBe(true);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('rounds ties up as Odoo does and never answers negative zero', () => {
    expect(floatRound(1.005, 2)).toBe(1.01);
    expect(floatRound(2.675, 2)).toBe(2.68);
    expect(floatRound(0.99 * 1.5, 2)).toBe(1.49);
    expect(Object.is(floatRound(-0.001, 2), 0)).toBe(true);
    expect(floatRound(123456789012.345, 2)).toBe(123456789012.35);
    expect(floatRound(Number.NaN, 2)).toBeNaN();
  });
});
