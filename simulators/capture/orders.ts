/**
 * The orders a storefront takes: real-looking customers from seeded faker,
 * 1..maxLines distinct catalogue lines with the catalogue's awkward prices
 * (half-cent ties, sent as they are), and the total the storefront charges,
 * rounded as Odoo does (unit price at `priceDigits` first, then per line).
 */
import type { Faker } from '@faker-js/faker';
import type { CaptureLine, CapturedOrder } from '../../harness/contracts/capture.ts';
import type { Rng } from '../../harness/core/rng.ts';
import { productBySku } from '../../harness/world/catalogue.ts';
import { orderTotal } from '../shared/money.ts';
import { fakeCustomer, sequentialId } from '../shared/seeded-data.ts';
import type { CaptureKnobs } from './knobs.ts';

export function orderRef(n: number): string {
  return sequentialId('CAP-', n);
}

export function generateOrder(
  n: number,
  placedAtMs: number,
  knobs: Pick<CaptureKnobs, 'maxLines' | 'maxQuantity' | 'skus' | 'currency' | 'priceDigits' | 'taxRate' | 'countryCode'>,
  faker: Faker,
  rng: Rng,
): CapturedOrder {
  const pool = [...knobs.skus];
  const lineCount = rng.int(1, Math.min(knobs.maxLines, pool.length));
  const lines: CaptureLine[] = [];
  for (let i = 0; i < lineCount; i++) {
    const sku = pool.splice(rng.int(0, pool.length - 1), 1)[0]!;
    lines.push({ sku, quantity: rng.int(1, knobs.maxQuantity), unitPrice: productBySku(sku)!.listPrice });
  }
  return {
    ref: orderRef(n),
    placedAt: new Date(placedAtMs).toISOString(),
    currency: knobs.currency,
    customer: fakeCustomer(faker, knobs.countryCode),
    lines,
    taxRate: knobs.taxRate,
    total: orderTotal(lines, knobs.taxRate, knobs.priceDigits),
  };
}
