/**
 * Money the way Odoo rounds it, so the storefront's `total` agrees with Odoo's
 * to the cent: `float_round` HALF-UP with Odoo's epsilon nudge (1.005 → 1.01,
 * where JS `Math.round(v * 100) / 100` gives 1), and taxes rounded per line
 * (`round_per_line`, Odoo 17's default). See reference/odoo17-api.md §6.
 */

/** Odoo 17 `float_round(value, precision_digits)` HALF-UP, returned as a clean decimal. */
export function roundHalfUp(value: number, digits = 2): number {
  if (value === 0) return 0;
  const factor = 10 ** digits;
  // Odoo divides by the rounding factor (0.01); multiplying by 100 differs in the last bit for some values.
  const normalized = value / 10 ** -digits;
  const sign = Math.sign(normalized);
  const magnitude = Math.abs(normalized);
  const nudged = magnitude + 2 ** (Math.log2(magnitude) - 52);
  return (sign * Math.round(nudged)) / factor;
}

export interface PricedLine {
  quantity: number;
  unitPrice: number;
}

/**
 * Per line: the unit price rounded to `priceDigits` (Odoo stores `price_unit`
 * at its "Product Price" precision, 2 by default: 1.005 becomes 1.01, see
 * odoo17-transcripts/recorded/10_rounding.json), the subtotal rounded, tax on
 * the rounded subtotal rounded; all summed in cents.
 */
export function orderTotal(lines: readonly PricedLine[], taxRate: number, priceDigits = 2): number {
  let cents = 0;
  for (const line of lines) {
    const subtotal = roundHalfUp(line.quantity * roundHalfUp(line.unitPrice, priceDigits));
    const tax = roundHalfUp(subtotal * taxRate);
    cents += Math.round(subtotal * 100) + Math.round(tax * 100);
  }
  return cents / 100;
}
