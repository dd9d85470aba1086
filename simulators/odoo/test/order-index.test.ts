import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../orm/model.ts';
import { OrderIndex } from '../orm/order-index.ts';
import { compareValues, type OrderTerm } from '../orm/order.ts';

/** The order written out as one sort of every row, ties by id. */
function sortedIds(rows: Iterable<Row>, terms: readonly OrderTerm[]): number[] {
  return [...rows]
    .sort((a, b) => {
      for (const { field, desc } of terms) {
        const c = compareValues(a[field], b[field]);
        if (c !== 0) return desc ? -c : c;
      }
      return a.id - b.id;
    })
    .map((row) => row.id);
}

const TERM_LISTS: OrderTerm[][] = [
  [
    { field: 'date', desc: true },
    { field: 'id', desc: true },
  ],
  [
    { field: 'qty', desc: false },
    { field: 'code', desc: true },
  ],
  [{ field: 'code', desc: false }],
];

const step = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    code: fc.constantFrom('a', 'B', 'c', false),
    qty: fc.integer({ min: 0, max: 4 }),
    date: fc.integer({ min: 0, max: 6 }),
  }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), qty: fc.integer({ min: 0, max: 4 }), date: fc.integer({ min: 0, max: 6 }) }),
);

describe('OrderIndex', () => {
  it('keeps its ids in sorted order through adds, removes and changes, across chunk splits', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TERM_LISTS),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 0, max: 12 }),
        fc.array(step, { maxLength: 80 }),
        (terms, chunkSize, initial, steps) => {
          const rows = new Map<number, Row>();
          let nextId = 1;
          for (let i = 0; i < initial; i++, nextId++)
            rows.set(nextId, { id: nextId, code: i % 3 === 0 ? false : `k${i % 4}`, qty: i % 3, date: `2026-01-0${(i % 7) + 1}` });
          const index = new OrderIndex(terms, rows, chunkSize);
          for (const s of steps) {
            const existing = [...rows.keys()];
            if (s.kind === 'add') {
              const row: Row = { id: nextId++, code: s.code, qty: s.qty, date: `2026-01-0${s.date + 1}` };
              rows.set(row.id, row);
              index.add(row);
            } else if (existing.length > 0 && s.kind === 'remove') {
              const row = rows.get(existing[s.pick % existing.length]!)!;
              index.remove(row);
              rows.delete(row.id);
            } else if (existing.length > 0 && s.kind === 'change') {
              // As Table.change does: out at the old values, in at the new ones.
              const row = rows.get(existing[s.pick % existing.length]!)!;
              index.remove(row);
              row.qty = s.qty;
              row.date = `2026-01-0${s.date + 1}`;
              index.add(row);
            }
          }
          const expected = sortedIds(rows.values(), terms);
          expect(index.ids()).toEqual(expected);
          expect(index.size).toBe(expected.length);
          const firstThree: number[] = [];
          index.walk((id) => firstThree.push(id) < 3);
          expect(firstThree).toEqual(expected.slice(0, 3));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a chunk size that cannot split', () => {
    expect(() => new OrderIndex([{ field: 'id', desc: false }], new Map(), 1)).toThrow(/chunk size must be an integer of at least 2, got 1/);
  });
});
