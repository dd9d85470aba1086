/**
 * Odoo's float rounding (odoo/tools/float_utils.py), reproduced operation by
 * operation so that ties land where Odoo puts them: HALF-UP with an epsilon of
 * one ulp of the normalised value, which turns 1.005 (stored as 1.00499…) into
 * 1.01 where JavaScript's Math.round(v * 100) / 100 gives 1.
 *
 * One deliberate difference: Odoo returns `rounded * factor` (1.1500000000000001)
 * but every value a client reads has been through a PostgreSQL numeric column,
 * which gives back the clean decimal. We return that clean value directly
 * (`rounded / 10^digits` is correctly rounded by IEEE division), so reads match
 * without a fake database round trip.
 */
export type RoundingMethod = 'HALF-UP' | 'HALF-DOWN' | 'HALF-EVEN' | 'UP' | 'DOWN';

const LN2 = Math.log(2);

/** Number of decimals for a power-of-ten rounding (0.01 → 2), or -1 for other steps (0.05). */
function decimalsOf(rounding: number): number {
  for (let digits = 0; digits <= 12; digits++) {
    const step = 1 / 10 ** digits;
    if (Math.abs(step - rounding) <= step * 1e-9) return digits;
  }
  return -1;
}

const decimalsCache = new Map<number, number>();
/** The step asked last (nearly always the currency's 0.01): skips even the map lookup. */
let lastRounding = Number.NaN;
let lastDigits = -1;
function cachedDecimals(rounding: number): number {
  if (rounding === lastRounding) return lastDigits;
  let digits = decimalsCache.get(rounding);
  if (digits === undefined) {
    digits = decimalsOf(rounding);
    decimalsCache.set(rounding, digits);
  }
  lastRounding = rounding;
  lastDigits = digits;
  return digits;
}

/** Python 3's builtin round() on a float: to nearest, ties to even. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * float_utils' own `round`, a shim that keeps Python 2's behaviour: ties go
 * away from zero. HALF-UP relies on it: 0.99 * 1.5 normalises to 148.49999999999997,
 * the epsilon lifts it to exactly 148.5, and only this shim then gives 149.
 */
function roundHalfAwayFromZero(value: number): number {
  const magnitude = Math.abs(value);
  const floor = Math.floor(magnitude);
  const rounded = magnitude - floor >= 0.5 ? floor + 1 : floor;
  return value < 0 ? -rounded : rounded;
}

/**
 * `float_round(value, precision_rounding=rounding, rounding_method=method)`.
 * `rounding` is a step such as 0.01 (a currency's rounding) or 0.05.
 */
export function floatRound(value: number, rounding: number, method: RoundingMethod = 'HALF-UP'): number {
  if (!(rounding > 0)) {
    throw new RangeError(`rounding must be a positive step such as 0.01, got ${String(rounding)}`);
  }
  if (value === 0 || !Number.isFinite(value)) return value === 0 ? 0 : value;
  let normalized = value / rounding;
  const sign = normalized < 0 ? -1 : 1;
  const epsilon = 2 ** (Math.log(Math.abs(normalized)) / LN2 - 52);
  let rounded: number;
  switch (method) {
    case 'UP':
      normalized -= sign * epsilon;
      rounded = Math.ceil(Math.abs(normalized)) * sign;
      break;
    case 'DOWN':
      normalized += sign * epsilon;
      rounded = Math.floor(Math.abs(normalized)) * sign;
      break;
    case 'HALF-EVEN':
      rounded = roundHalfEven(normalized);
      break;
    case 'HALF-DOWN':
      normalized -= sign * epsilon;
      rounded = roundHalfAwayFromZero(normalized);
      break;
    default:
      normalized += sign * epsilon;
      rounded = roundHalfAwayFromZero(normalized);
  }
  if (rounded === 0) return 0;
  const digits = cachedDecimals(rounding);
  return digits >= 0 ? rounded / 10 ** digits : rounded * rounding;
}

/** `float_round(value, precision_digits=digits)`. */
export function roundToDigits(value: number, digits: number): number {
  return floatRound(value, 1 / 10 ** digits);
}

/** `float_is_zero`: 0.005 is not zero at 0.01, 0.0049 is. */
export function floatIsZero(value: number, rounding: number): boolean {
  return Math.abs(floatRound(value, rounding)) < rounding;
}

/** `float_compare`: rounds both sides first, then compares the difference. */
export function floatCompare(a: number, b: number, rounding: number): -1 | 0 | 1 {
  const delta = floatRound(a, rounding) - floatRound(b, rounding);
  if (floatIsZero(delta, rounding)) return 0;
  return delta < 0 ? -1 : 1;
}

/** Decimal precisions of a fresh Odoo 17 (decimal.precision records). */
export const PRECISION = {
  productPrice: 2,
  discount: 2,
  productUnitOfMeasure: 2,
} as const;
