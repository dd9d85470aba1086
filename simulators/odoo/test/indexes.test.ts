import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../index.ts';
import { baseModule } from '../models/base/index.ts';
import { UserError } from '../orm/errors.ts';
import { fields } from '../orm/fields.ts';
import { defineModel } from '../orm/model.ts';
import { testContext } from './context.ts';

const items = {
  name: 'test_items',
  models: [
    defineModel({
      name: 'x.item',
      description: 'Item',
      fields: {
        code: fields.char('Code'),
        state: fields.selection(
          [
            ['a', 'A'],
            ['b', 'B'],
          ],
          { string: 'State', default: 'a' },
        ),
        qty: fields.integer('Qty'),
        parent_id: fields.many2one('x.item', 'Parent'),
        child_ids: fields.one2many('x.item', 'parent_id', 'Children'),
      },
      hooks: {
        afterWrite(_env, _ids, vals) {
          // A write of qty 13 fails after it changed the row: the rollback must restore the indexes too.
          if (vals.qty === 13) throw new UserError('unlucky');
        },
      },
    }),
  ],
};

const CODES = ['x', 'X', 'y', 'x_y', 'xzY'];
/** `=ilike` patterns and the codes each matches, written out: `\\` escapes, `_` is any one character, case never counts. */
const ILIKE: ReadonlyArray<[string, (code: string) => boolean]> = [
  ['x', (c) => c.toLowerCase() === 'x'],
  ['X\\_Y', (c) => c.toLowerCase() === 'x_y'],
  ['x_y', (c) => /^x.y$/i.test(c)],
  ['XZY', (c) => c.toLowerCase() === 'xzy'],
];
const op = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), code: fc.constantFrom(...CODES), qty: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('write' as const), pick: fc.nat(), code: fc.constantFrom(...CODES), qty: fc.constantFrom(0, 1, 2, 13), parent: fc.nat() }),
  fc.record({ kind: fc.constant('unlink' as const), pick: fc.nat() }),
);

describe('search indexes', () => {
  it('answer equality and case-blind searches exactly like a full scan, through writes, unlinks and rollbacks', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const odoo = createOdooEmulator(testContext(), { modules: [baseModule, items], accessLogLimit: 0 });
        const ids = (): number[] => odoo.withEnv((env) => env.model('x.item').allIds());
        // Build the lazy value indexes first, so every operation below has to keep them current.
        odoo.execute('x.item', 'search', [
          [
            ['code', '=', 'x'],
            ['qty', '=', 0],
          ],
        ]);
        odoo.execute('x.item', 'search', [[['parent_id', '=', 1]]]);
        odoo.execute('x.item', 'search', [[['code', '=ilike', 'x']]]);
        for (const step of ops) {
          const existing = ids();
          try {
            if (step.kind === 'create') odoo.execute('x.item', 'create', [{ code: step.code, qty: step.qty }]);
            else if (existing.length > 0 && step.kind === 'write') {
              const parent = step.parent % 2 === 0 ? false : existing[step.parent % existing.length]!;
              odoo.execute('x.item', 'write', [[existing[step.pick % existing.length]!], { code: step.code, qty: step.qty, parent_id: parent }]);
            } else if (existing.length > 0 && step.kind === 'unlink') odoo.execute('x.item', 'unlink', [[existing[step.pick % existing.length]!]]);
          } catch (error) {
            if (!(error instanceof UserError)) throw error;
          }
        }
        const rows = odoo.execute('x.item', 'search_read', [[]], { fields: ['code', 'qty', 'parent_id'], order: 'id' }) as Array<{
          id: number;
          code: string;
          qty: number;
          parent_id: [number, string] | false;
        }>;
        for (const code of CODES) {
          expect(odoo.execute('x.item', 'search', [[['code', '=', code]]], { order: 'id' })).toEqual(
            rows.filter((row) => row.code === code).map((row) => row.id),
          );
        }
        for (const [pattern, matches] of ILIKE) {
          expect(odoo.execute('x.item', 'search', [[['code', '=ilike', pattern]]], { order: 'id' })).toEqual(
            rows.filter((row) => typeof row.code === 'string' && matches(row.code)).map((row) => row.id),
          );
        }
        for (const qty of [0, 1, 2, 13]) {
          expect(odoo.execute('x.item', 'search', [[['qty', 'in', [qty]]]], { order: 'id' })).toEqual(
            rows.filter((row) => row.qty === qty).map((row) => row.id),
          );
        }
        const children = odoo.execute('x.item', 'read', [rows.map((row) => row.id)], { fields: ['child_ids'] }) as Array<{ id: number; child_ids: number[] }>;
        for (const row of rows) {
          const expected = rows.filter((other) => other.parent_id !== false && other.parent_id[0] === row.id).map((other) => other.id);
          expect(odoo.execute('x.item', 'search', [[['parent_id', '=', row.id]]], { order: 'id' })).toEqual(expected);
          // one2many reads come straight from the inverse index, so a stale entry would show here.
          expect(children.find((child) => child.id === row.id)!.child_ids).toEqual(expected);
        }
        expect(rows.some((row) => row.qty === 13)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});

type ItemRow = { id: number; code: string | false; qty: number; state: string; parent_id: [number, string] | false };

/** PostgreSQL's ORDER BY, written out: NULLs last ascending (first descending), C collation, ties by id. */
function referenceOrder(rows: readonly ItemRow[], order: string): number[] {
  const terms = order.split(',').map((part) => {
    const [field, direction] = part.trim().split(/\s+/) as [keyof ItemRow, string | undefined];
    return { field, desc: direction === 'desc' };
  });
  const keyOf = (row: ItemRow, field: keyof ItemRow): string | number | null => {
    const value = row[field];
    if (field === 'parent_id') return value === false ? null : `x.item,${(value as [number, string])[0]}`;
    return value === false ? null : (value as string | number);
  };
  return [...rows]
    .sort((a, b) => {
      for (const { field, desc } of terms) {
        const x = keyOf(a, field);
        const y = keyOf(b, field);
        let c = 0;
        if (x === null || y === null) c = x === y ? 0 : x === null ? 1 : -1;
        else c = x < y ? -1 : x > y ? 1 : 0;
        if (c !== 0) return desc ? -c : c;
      }
      return a.id - b.id;
    })
    .map((row) => row.id);
}

const ORDERS = ['code desc, id desc', 'qty, code', 'qty desc', 'code, qty desc, id', 'parent_id, id desc', 'state desc, qty'];

describe('ordered searches', () => {
  it("return the rows in PostgreSQL's order, with any limit and offset, through writes, unlinks and rollbacks", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ code: fc.constantFrom('a', 'B', 'c', false), qty: fc.integer({ min: 0, max: 3 }), parent: fc.boolean() }), { maxLength: 30 }),
        fc.array(op, { maxLength: 15 }),
        fc.constantFrom(...ORDERS),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 5 }),
        (specs, ops, order, limit, offset) => {
          const odoo = createOdooEmulator(testContext(), { modules: [baseModule, items], accessLogLimit: 0 });
          // Ask once first, so the order index exists and the changes below must keep it current.
          odoo.execute('x.item', 'search', [[]], { order, limit: 1 });
          for (const spec of specs) {
            const parent = spec.parent ? ((odoo.execute('x.item', 'search', [[]], { limit: 1 }) as number[])[0] ?? false) : false;
            odoo.execute('x.item', 'create', [{ code: spec.code, qty: spec.qty, parent_id: parent, state: spec.qty % 2 ? 'a' : 'b' }]);
          }
          for (const step of ops) {
            const existing = odoo.execute('x.item', 'search', [[]], { order: 'id' }) as number[];
            if (existing.length === 0 || step.kind === 'create') continue;
            const target = existing[step.pick % existing.length]!;
            try {
              if (step.kind === 'write') odoo.execute('x.item', 'write', [[target], { code: step.code, qty: step.qty }]);
              else odoo.execute('x.item', 'unlink', [[target]]);
            } catch (error) {
              if (!(error instanceof UserError)) throw error;
            }
          }
          const rows = odoo.execute('x.item', 'read', [odoo.execute('x.item', 'search', [[]], { order: 'id' })], {
            fields: ['code', 'qty', 'state', 'parent_id'],
          }) as ItemRow[];
          const expected = referenceOrder(rows, order);
          expect(odoo.execute('x.item', 'search', [[]], { order })).toEqual(expected);
          expect(odoo.execute('x.item', 'search', [[]], { order, limit, offset })).toEqual(expected.slice(offset, offset + limit));
          const filtered = rows.filter((row) => row.qty >= 1).map((row) => row.id);
          expect(odoo.execute('x.item', 'search', [[['qty', '>=', 1]]], { order, limit, offset })).toEqual(
            expected.filter((id) => filtered.includes(id)).slice(offset, offset + limit),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
