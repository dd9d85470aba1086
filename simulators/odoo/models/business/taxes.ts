import { floatRound } from './rounding.ts';

/**
 * Line and document amounts as account.tax computes them in Odoo 17
 * (compute_all per line, _compute_taxes per document). Only what a fresh
 * database needs: percent taxes, price excluded (price-included ones approximately).
 * `round_per_line` rounds each
 * line's tax to the currency before summing; `round_globally` keeps five more
 * digits per line and rounds the sum once per tax.
 */
export type TaxRoundingMethod = 'round_per_line' | 'round_globally';

export interface PercentTax {
  id: number;
  /** Percentage, e.g. 15 for the default sale tax. */
  amount: number;
  priceInclude?: boolean;
}

export interface TaxBaseLine {
  priceUnit: number;
  quantity: number;
  /** Percentage, 0–100. */
  discount: number;
  taxes: readonly PercentTax[];
}

export interface LineAmounts {
  /** Before rounding to the currency in `round_globally` mode; the stored fields are rounded. */
  subtotal: number;
  tax: number;
  total: number;
  /** Tax per tax id, unrounded in global mode, for the document's tax lines. */
  taxByTaxId: Map<number, number>;
  /** Base per tax id. */
  baseByTaxId: Map<number, number>;
}

export interface DocumentAmounts {
  untaxed: number;
  tax: number;
  total: number;
}

export function computeLine(line: TaxBaseLine, currencyRounding: number, method: TaxRoundingMethod): LineAmounts {
  const precision = method === 'round_globally' ? currencyRounding * 1e-5 : currencyRounding;
  const priceAfterDiscount = line.priceUnit * (1 - line.discount / 100);
  const gross = floatRound(priceAfterDiscount * line.quantity, precision);
  // Price-included taxes are taken out of the gross amount first (compute_all's reverse pass).
  const includedRate = line.taxes.reduce((sum, t) => sum + (t.priceInclude === true ? t.amount : 0), 0);
  const base = includedRate === 0 ? gross : floatRound(gross / (1 + includedRate / 100), precision);
  const taxByTaxId = new Map<number, number>();
  const baseByTaxId = new Map<number, number>();
  let tax = 0;
  for (const t of line.taxes) {
    const amount = floatRound((base * t.amount) / 100, precision);
    taxByTaxId.set(t.id, (taxByTaxId.get(t.id) ?? 0) + amount);
    baseByTaxId.set(t.id, (baseByTaxId.get(t.id) ?? 0) + base);
    tax += amount;
  }
  if (includedRate !== 0) {
    // The included taxes absorb the rounding difference so that base + taxes = what the customer pays.
    const includedTax = line.taxes.filter((t) => t.priceInclude === true);
    const drift = gross - base - includedTax.reduce((sum, t) => sum + (taxByTaxId.get(t.id) ?? 0), 0);
    const last = includedTax[includedTax.length - 1]!;
    taxByTaxId.set(last.id, (taxByTaxId.get(last.id) ?? 0) + drift);
    tax += drift;
  }
  return {
    subtotal: floatRound(base, currencyRounding),
    tax: floatRound(tax, currencyRounding),
    total: floatRound(base + tax, currencyRounding),
    taxByTaxId,
    baseByTaxId,
  };
}

/**
 * Totals of an order or invoice. Per line: the sum of the lines' rounded
 * amounts. Globally: the unrounded taxes summed per tax, each sum rounded once.
 */
export function computeDocument(lines: readonly TaxBaseLine[], currencyRounding: number, method: TaxRoundingMethod): DocumentAmounts {
  let untaxed = 0;
  let tax = 0;
  if (method === 'round_per_line') {
    for (const line of lines) {
      const amounts = computeLine(line, currencyRounding, method);
      untaxed += amounts.subtotal;
      tax += amounts.tax;
    }
  } else {
    const perTax = new Map<number, number>();
    for (const line of lines) {
      const amounts = computeLine(line, currencyRounding, method);
      untaxed += amounts.subtotal;
      for (const [id, amount] of amounts.taxByTaxId) perTax.set(id, (perTax.get(id) ?? 0) + amount);
    }
    for (const amount of perTax.values()) tax += floatRound(amount, currencyRounding);
  }
  untaxed = floatRound(untaxed, currencyRounding);
  tax = floatRound(tax, currencyRounding);
  return { untaxed, tax, total: floatRound(untaxed + tax, currencyRounding) };
}
