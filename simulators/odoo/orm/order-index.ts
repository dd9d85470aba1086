import type { Row } from './model.ts';
import { compareValues, type OrderTerm } from './order.ts';

/**
 * The ids of one table kept sorted by an `order` of stored scalar fields (no
 * booleans, no many2ones: see `orderIndexable`), like
 * a PostgreSQL btree that serves `ORDER BY ... LIMIT n`: a search walks it from
 * the front and stops after n matches instead of sorting every row. Ties are
 * broken by id ascending, which is what a stable sort of id-ordered rows gives.
 * Kept current by the table on every insert, update, delete and rollback.
 */
export class OrderIndex {
  readonly terms: readonly OrderTerm[];
  readonly fields: ReadonlySet<string>;
  readonly ids: number[] = [];
  /** The keys each id was placed with: comparisons allocate nothing, removals need no old values. */
  readonly #keys = new Map<number, unknown[]>();

  constructor(terms: readonly OrderTerm[], rows: Map<number, Row>) {
    this.terms = terms;
    this.fields = new Set(terms.map((term) => term.field));
    const all = [...rows.values()];
    for (const row of all) this.#keys.set(row.id, this.#keysOf(row));
    all.sort((a, b) => this.#compare(this.#keys.get(a.id)!, a.id, this.#keys.get(b.id)!, b.id));
    for (const row of all) this.ids.push(row.id);
  }

  #keysOf(row: Row): unknown[] {
    const keys = new Array<unknown>(this.terms.length);
    for (let i = 0; i < this.terms.length; i++) {
      const field = this.terms[i]!.field;
      keys[i] = field === 'id' ? row.id : row[field];
    }
    return keys;
  }

  #compare(a: unknown[], aId: number, b: unknown[], bId: number): number {
    for (let i = 0; i < a.length; i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return this.terms[i]!.desc ? -c : c;
    }
    return aId - bId;
  }

  /** Where an entry with these keys sits (or would sit). */
  #position(keys: unknown[], id: number): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = this.ids[mid]!;
      if (this.#compare(keys, id, this.#keys.get(other)!, other) > 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Places the row by its current values. */
  add(row: Row): void {
    const keys = this.#keysOf(row);
    this.ids.splice(this.#position(keys, row.id), 0, row.id);
    this.#keys.set(row.id, keys);
  }

  /** Takes the row out, wherever its values placed it. */
  remove(row: Row): void {
    const keys = this.#keys.get(row.id);
    if (keys === undefined) return;
    const at = this.#position(keys, row.id);
    if (this.ids[at] === row.id) this.ids.splice(at, 1);
    this.#keys.delete(row.id);
  }
}

/** Field types an order index can sort on by their stored value alone. */
export const ORDER_INDEXABLE: ReadonlySet<string> = new Set(['char', 'text', 'html', 'selection', 'integer', 'float', 'monetary', 'date', 'datetime']);
