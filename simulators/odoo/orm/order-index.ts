import type { Row } from './model.ts';
import { compareValues, type OrderTerm } from './order.ts';

/** One run of consecutive index entries (a plain array of ids: splicing an array of key arrays cost several times more). */
interface Chunk {
  ids: number[];
}

/** Entries per chunk before it splits in two: inserting or removing moves at most this many. */
const DEFAULT_CHUNK = 512;

/**
 * The ids of one table kept sorted by an `order` of stored scalar fields (no
 * booleans, no many2ones: see `orderIndexable`), like
 * a PostgreSQL btree that serves `ORDER BY ... LIMIT n`: a search walks it from
 * the front and stops after n matches instead of sorting every row. Ties are
 * broken by id ascending, which is what a stable sort of id-ordered rows gives.
 * Kept current by the table on every insert, update, delete and rollback.
 *
 * The entries live in a list of short sorted chunks rather than one array:
 * `date_order desc` puts every new order at the very front, and splicing there
 * moved the whole array on each create and confirm (a third of the
 * create+confirm time at 20,000 orders). A chunk moves at most `chunkSize` entries.
 */
export class OrderIndex {
  readonly terms: readonly OrderTerm[];
  readonly fields: ReadonlySet<string>;
  readonly #chunkSize: number;
  readonly #chunks: Chunk[] = [];
  /** The keys each id was placed with: removals need no old values. */
  readonly #keys = new Map<number, unknown[]>();

  constructor(terms: readonly OrderTerm[], rows: Map<number, Row>, chunkSize = DEFAULT_CHUNK) {
    if (!Number.isInteger(chunkSize) || chunkSize < 2) throw new Error(`OrderIndex chunk size must be an integer of at least 2, got ${chunkSize}`);
    this.terms = terms;
    this.fields = new Set(terms.map((term) => term.field));
    this.#chunkSize = chunkSize;
    const all = [...rows.values()];
    for (const row of all) this.#keys.set(row.id, this.#keysOf(row));
    all.sort((a, b) => this.#compare(this.#keys.get(a.id)!, a.id, this.#keys.get(b.id)!, b.id));
    // Half-full chunks leave room to grow before the first splits.
    const fill = Math.max(1, chunkSize >> 1);
    for (let start = 0; start < all.length; start += fill) {
      const slice = all.slice(start, start + fill);
      this.#chunks.push({ ids: slice.map((row) => row.id) });
    }
  }

  /** How many ids the index holds. */
  get size(): number {
    return this.#keys.size;
  }

  /** Visits the ids in order until `visit` returns false. */
  walk(visit: (id: number) => boolean): void {
    for (const chunk of this.#chunks) {
      const ids = chunk.ids;
      for (let i = 0; i < ids.length; i++) if (!visit(ids[i]!)) return;
    }
  }

  /** Every id, in order. */
  ids(): number[] {
    const out: number[] = [];
    for (const chunk of this.#chunks) for (const id of chunk.ids) out.push(id);
    return out;
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

  /** The chunk an entry with these keys belongs in: the first whose last entry does not sort before it (else the last). */
  #chunkFor(keys: unknown[], id: number): number {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = chunks[mid]!;
      const last = chunk.ids[chunk.ids.length - 1]!;
      if (this.#compare(keys, id, this.#keys.get(last)!, last) > 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Where in `chunk` an entry with these keys sits (or would sit). */
  #position(chunk: Chunk, keys: unknown[], id: number): number {
    let lo = 0;
    let hi = chunk.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = chunk.ids[mid]!;
      if (this.#compare(keys, id, this.#keys.get(other)!, other) > 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Places the row by its current values. */
  add(row: Row): void {
    const keys = this.#keysOf(row);
    this.#keys.set(row.id, keys);
    if (this.#chunks.length === 0) {
      this.#chunks.push({ ids: [row.id] });
      return;
    }
    const at = this.#chunkFor(keys, row.id);
    const chunk = this.#chunks[at]!;
    const position = this.#position(chunk, keys, row.id);
    chunk.ids.splice(position, 0, row.id);
    if (chunk.ids.length > this.#chunkSize) {
      this.#chunks.splice(at + 1, 0, { ids: chunk.ids.splice(chunk.ids.length >> 1) });
    }
  }

  /** Takes the row out, wherever its values placed it. */
  remove(row: Row): void {
    const keys = this.#keys.get(row.id);
    if (keys === undefined) return;
    const at = this.#chunkFor(keys, row.id);
    const chunk = this.#chunks[at]!;
    const position = this.#position(chunk, keys, row.id);
    this.#keys.delete(row.id);
    if (chunk.ids[position] !== row.id) return;
    chunk.ids.splice(position, 1);
    if (chunk.ids.length === 0) this.#chunks.splice(at, 1);
  }
}

/** Field types an order index can sort on by their stored value alone. */
export const ORDER_INDEXABLE: ReadonlySet<string> = new Set(['char', 'text', 'html', 'selection', 'integer', 'float', 'monetary', 'date', 'datetime']);
