/**
 * How a 3PL splits an order it cannot ship in one go: the first parcel takes
 * some of the units, a backorder takes the rest. Pure, so the split is easy
 * to test and the same rng draws give the same parcels.
 */
import type { ShipmentLine } from '../../harness/contracts/logistics.ts';
import type { Rng } from '../../harness/core/rng.ts';

/** Splits lines into two non-empty parcels; callers ensure at least 2 whole units. */
export function splitParcels(lines: readonly ShipmentLine[], rng: Rng): [ShipmentLine[], ShipmentLine[]] {
  if (lines.length > 1) {
    const cut = rng.int(1, lines.length - 1);
    return [lines.slice(0, cut).map((l) => ({ ...l })), lines.slice(cut).map((l) => ({ ...l }))];
  }
  const only = lines[0]!;
  const first = rng.int(1, Math.floor(only.quantity) - 1);
  return [[{ sku: only.sku, quantity: first }], [{ sku: only.sku, quantity: only.quantity - first }]];
}

/** A split needs two parcels with something in each. */
export function canSplit(lines: readonly ShipmentLine[]): boolean {
  return lines.length > 1 || (lines.length === 1 && Math.floor(lines[0]!.quantity) >= 2);
}
