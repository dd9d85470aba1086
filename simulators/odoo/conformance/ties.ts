import { PyFloat } from '../../../harness/wire/python-float.ts';
import type { Outcome } from './transcript.ts';

/**
 * A real server orders records by datetimes with one-second resolution, then
 * by id: when a flow's calls straddle a second boundary that the recording's
 * calls did not, records that tied in the recording come back in another
 * order. For the steps listed as such, the real-server replay compares id
 * lists as sets: the same ids must come back, in any order.
 */
export const REAL_ODOO_SECOND_TIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '14_returns': {
    // stock.picking _order is "priority desc, scheduled_date asc, id desc"; the recording confirmed the
    // order and created the return within one second, so the return (higher id) came first.
    read_so_after_return: 'picking_ids of the delivery and its return tie on scheduled_date only when created in the same second',
  },
};

/** The outcome with `$ref`s resolved and every list of plain ids sorted, for an order-insensitive comparison. */
export function sortIdLists(outcome: Outcome, bindings: ReadonlyMap<string, unknown>): Outcome {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      const items = value.map(walk);
      return items.every((item) => typeof item === 'number') ? [...(items as number[])].sort((a, b) => a - b) : items;
    }
    if (value !== null && typeof value === 'object' && !(value instanceof PyFloat)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === '$ref') {
        const bound = bindings.get((value as { $ref: string }).$ref);
        return typeof bound === 'number' ? bound : value;
      }
      return Object.fromEntries(keys.map((key) => [key, walk((value as Record<string, unknown>)[key])]));
    }
    return value;
  };
  return walk(outcome) as Outcome;
}
