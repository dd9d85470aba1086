/**
 * Money the way Odoo 17 computes it, so "agrees to the cent" means what it
 * means in Odoo: HALF-UP rounding with Odoo's float epsilon (1.005 → 1.01,
 * where JavaScript's toFixed gives 1.00), tax rounded per line (`round_per_line`).
 */

/** `float_round(value, precision_digits=digits)` with HALF-UP, as in odoo/tools/float_utils.py. */
export function roundHalfUp(value: number, digits = 2): number {
  // Divided by the rounding step, not multiplied by 10^digits: the two differ in the last bit, and Odoo divides.
  const step = 10 ** -digits;
  const normalized = value / step;
  if (normalized === 0) return 0;
  // Odoo nudges the value by one ulp of its magnitude toward its sign, so a tie
  // stored as 1.00499999… still rounds away from zero.
  const epsilon = 2 ** (Math.log2(Math.abs(normalized)) - 52);
  const nudged = normalized + Math.sign(normalized) * epsilon;
  const rounded = Math.sign(nudged) * Math.round(Math.abs(nudged));
  return rounded === 0 ? 0 : rounded / 10 ** digits;
}

/** Integer cents, for comparing amounts without float noise. */
export function toCents(value: number): number {
  return Math.round(roundHalfUp(value, 2) * 100);
}

export function sameCents(a: number, b: number): boolean {
  return toCents(a) === toCents(b);
}

export interface PricedLine {
  quantity: number;
  unitPrice: number;
}

/**
 * An order's total under `round_per_line`: each line's subtotal and tax
 * rounded, then summed. `priceDigits` rounds unit prices first, as Odoo does
 * when it stores `price_unit` (its "Product Price" precision, 2 by default).
 */
export function odooOrderTotal(
  lines: readonly PricedLine[],
  taxRate: number,
  options: { priceDigits?: number } = {},
): { untaxed: number; tax: number; total: number } {
  let untaxedCents = 0;
  let taxCents = 0;
  for (const line of lines) {
    const unitPrice = options.priceDigits === undefined ? line.unitPrice : roundHalfUp(line.unitPrice, options.priceDigits);
    const subtotal = roundHalfUp(line.quantity * unitPrice, 2);
    untaxedCents += toCents(subtotal);
    taxCents += toCents(roundHalfUp(subtotal * taxRate, 2));
  }
  return { untaxed: untaxedCents / 100, tax: taxCents / 100, total: (untaxedCents + taxCents) / 100 };
}

export function formatAmount(value: number): string {
  return (toCents(value) / 100).toFixed(2);
}
