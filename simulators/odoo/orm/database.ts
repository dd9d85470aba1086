import { formatOdooDatetime, type Clock } from '../../../harness/core/clock.ts';
import type { Rng } from '../../../harness/core/rng.ts';
import type { Row } from './model.ts';
import { foldCase } from './like-pattern.ts';
import { OrderIndex } from './order-index.ts';
import type { OrderTerm } from './order.ts';
import type { CompiledModel, Registry } from './registry.ts';
import { Sequences } from './sequences.ts';
import type { Transaction, UndoTarget } from './transaction.ts';

/** One model's rows and the inverse indexes of its many2one fields. */
export class Table {
  readonly model: CompiledModel;
  readonly rows = new Map<number, Row>();
  nextId = 1;
  /** many2one field → target id → ids of rows pointing at it. */
  readonly inverse = new Map<string, Map<number, Set<number>>>();
  /** Scalar field → value → ids; built on the first equality search on that field, then kept current. */
  readonly values = new Map<string, Map<unknown, Set<number>>>();
  /** Char field → value case-folded as `ilike` folds it → ids; built on the first `=ilike` search for one text, then kept current. */
  readonly folded = new Map<string, Map<unknown, Set<number>>>();
  /** Sorted id lists by order text (`date_order desc, id desc`); built on first use, then kept current. */
  readonly orders = new Map<string, OrderIndex>();
  /** Rows inserted but not yet built (see Database.deferInsert). */
  deferred: Array<{ id: number; build: (id: number) => Row }> | undefined;

  #template: Row | undefined;

  constructor(model: CompiledModel) {
    this.model = model;
    // Inverse indexes are built on first use (referrers, a search, a one2many read), then kept current.
  }

  /**
   * A new row holding every stored field (and the audit columns) as null, keys in
   * the order create assigns them. V8 turns an object that gains many properties
   * by computed name (here, past about sixteen) into a hash map, which made most
   * business rows slow to build, read and collect; a copy of a template with fast
   * properties keeps the fast layout.
   */
  blankRow(id: number): Row {
    if (this.#template === undefined) {
      const keys: Record<string, null> = { id: null };
      for (const field of this.model.storedFields) keys[field.name] = null;
      for (const audit of ['create_uid', 'write_uid', 'create_date', 'write_date']) keys[audit] = null;
      // JSON.parse builds objects with fast properties, whatever their number.
      this.#template = JSON.parse(JSON.stringify(keys)) as Row;
    }
    const row = { ...this.#template };
    row.id = id;
    return row;
  }

  indexAdd(field: string, target: unknown, id: number): void {
    if (typeof target !== 'number') return;
    const index = this.inverse.get(field);
    if (index === undefined) return;
    let set = index.get(target);
    if (set === undefined) index.set(target, (set = new Set()));
    set.add(id);
  }

  indexRemove(field: string, target: unknown, id: number): void {
    if (typeof target !== 'number') return;
    this.inverse.get(field)?.get(target)?.delete(id);
  }

  /** The equality index of a stored scalar field, built now if it does not exist yet. */
  valueIndex(field: string): Map<unknown, Set<number>> {
    return this.#indexOf(this.values, field, addTo);
  }

  /** The ids by case-folded value of a char field (strings only), built now if needed. */
  foldedIndex(field: string): Map<unknown, Set<number>> {
    return this.#indexOf(this.folded, field, addFolded);
  }

  #indexOf(indexes: Map<string, Map<unknown, Set<number>>>, field: string, add: typeof addTo): Map<unknown, Set<number>> {
    let index = indexes.get(field);
    if (index === undefined) {
      index = new Map();
      for (const row of this.rows.values()) add(index, row[field], row.id);
      indexes.set(field, index);
    }
    return index;
  }

  /** The order index for `terms` (all stored scalar fields or id), built now if needed. */
  orderIndex(key: string, terms: readonly OrderTerm[]): OrderIndex {
    let index = this.orders.get(key);
    if (index === undefined) this.orders.set(key, (index = new OrderIndex(terms, this.rows)));
    return index;
  }

  /** Call after the row is in `rows`. */
  indexRow(row: Row): void {
    for (const [field, index] of this.inverse) {
      const target = row[field];
      if (typeof target === 'number') addTo(index, target, row.id);
    }
    for (const [field, index] of this.values) addTo(index, row[field], row.id);
    for (const [field, index] of this.folded) addFolded(index, row[field], row.id);
    for (const order of this.orders.values()) order.add(row);
  }

  /** Call while the row still holds its indexed values (order indexes remember theirs). */
  unindexRow(row: Row): void {
    for (const field of this.inverse.keys()) this.indexRemove(field, row[field], row.id);
    for (const [field, index] of this.values) index.get(row[field])?.delete(row.id);
    for (const [field, index] of this.folded) removeFolded(index, row[field], row.id);
    for (const order of this.orders.values()) order.remove(row);
  }

  /** Assigns `changes` to the row, moving it in every index that covers a changed field. */
  change(row: Row, changes: Readonly<Record<string, unknown>>): void {
    for (const key of Object.keys(changes)) {
      this.reindex(key, row.id, row[key], changes[key]);
      row[key] = changes[key];
    }
    if (this.orders.size === 0) return;
    for (const order of this.orders.values()) {
      for (const key of Object.keys(changes)) {
        if (order.fields.has(key)) {
          order.remove(row);
          order.add(row);
          break;
        }
      }
    }
  }

  /** Moves one field of one row from `before` to `after` in the many2one and equality indexes. */
  reindex(field: string, id: number, before: unknown, after: unknown): void {
    if (this.inverse.has(field)) {
      this.indexRemove(field, before, id);
      this.indexAdd(field, after, id);
    }
    const index = this.values.get(field);
    if (index !== undefined) {
      index.get(before)?.delete(id);
      addTo(index, after, id);
    }
    const folded = this.folded.get(field);
    if (folded !== undefined) {
      removeFolded(folded, before, id);
      addFolded(folded, after, id);
    }
  }

  /** Whether `field` is a many2one this table can index by target. */
  canIndex(field: string): boolean {
    return this.model.indexed.has(field);
  }

  #inverseOf(field: string): Map<number, Set<number>> | undefined {
    let index = this.inverse.get(field);
    if (index === undefined && this.model.indexed.has(field)) {
      index = new Map();
      this.inverse.set(field, index);
      for (const row of this.rows.values()) this.indexAdd(field, row[field], row.id);
    }
    return index;
  }

  /** Ids of rows whose `field` points at `target`, in id order. */
  referrers(field: string, target: number): number[] {
    const set = this.#inverseOf(field)?.get(target);
    if (set === undefined || set.size === 0) return [];
    return ascending([...set]);
  }
}

/** Settings that belong to one database (the company's preferences live in rows). */
export interface DatabaseOptions {
  readonly name: string;
  readonly clock: Clock;
  readonly rng: Rng;
}

/**
 * One Odoo database in memory: a Table per model, the sequences, and the
 * clock and randomness of the emulator. All row changes go through insert /
 * update / delete so the call's transaction can undo them.
 */
export class Database implements UndoTarget {
  readonly name: string;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly sequences = new Sequences();
  readonly tables = new Map<string, Table>();
  /** Set by the base module's seed. */
  companyId = 1;
  #rng: Rng;
  #rngs = new Map<string, Rng>();
  #datetimeMs = Number.NaN;
  #datetime = '';

  constructor(registry: Registry, options: DatabaseOptions) {
    this.registry = registry;
    this.name = options.name;
    this.clock = options.clock;
    this.#rng = options.rng;
    for (const model of registry.models.values()) this.tables.set(model.name, new Table(model));
    for (const spec of registry.sequences) this.sequences.declare(spec);
  }

  table(model: string): Table {
    const table = this.tables.get(model);
    if (table === undefined) throw new Error(`no model ${model} in this database`);
    if (table.deferred !== undefined) materialize(table);
    return table;
  }

  /**
   * Inserts a row that is built only when its table is next looked at: for
   * rows the emulator writes in bulk and clients rarely read (the chatter
   * every document logs). The id is drawn now, the insert is undone with the
   * call like any other, and any access through `table()` sees the row.
   */
  deferInsert(tx: Transaction, model: string, build: (id: number) => Row): number {
    const table = this.tables.get(model);
    if (table === undefined) throw new Error(`no model ${model} in this database`);
    const id = table.nextId++;
    if (table.deferred === undefined) table.deferred = [{ id, build }];
    else table.deferred.push({ id, build });
    // Appended rows with fresh ids: nothing for the concurrency model to compare (`written`).
    tx.recordQuietInsert(model, id);
    return id;
  }

  /** `YYYY-MM-DD HH:MM:SS` of the clock's now, formatted once per millisecond (every write stamps it). */
  nowDatetime(): string {
    const now = this.clock.now();
    if (now !== this.#datetimeMs) {
      this.#datetimeMs = now;
      this.#datetime = formatOdooDatetime(now);
    }
    return this.#datetime;
  }

  rng(label: string): Rng {
    let rng = this.#rngs.get(label);
    if (rng === undefined) this.#rngs.set(label, (rng = this.#rng.fork(label)));
    return rng;
  }

  insert(tx: Transaction, model: string, row: Row): void {
    const table = this.table(model);
    table.rows.set(row.id, row);
    table.indexRow(row);
    tx.recordInsert(model, row.id);
  }

  /** Applies `changes` to the row in place; records the old values for rollback. */
  update(tx: Transaction, model: string, id: number, changes: Record<string, unknown>): void {
    const table = this.table(model);
    const row = table.rows.get(id);
    if (row === undefined) throw new Error(`update of missing ${model}(${id})`);
    const before: Record<string, unknown> = {};
    for (const key of Object.keys(changes)) before[key] = row[key];
    table.change(row, changes);
    tx.recordUpdate(model, id, before);
  }

  delete(tx: Transaction, model: string, id: number): void {
    const table = this.table(model);
    const row = table.rows.get(id);
    if (row === undefined) return;
    table.rows.delete(id);
    table.unindexRow(row);
    tx.recordDelete(model, row);
  }

  undoInsert(model: string, id: number): void {
    const table = this.table(model);
    const row = table.rows.get(id);
    if (row === undefined) return;
    table.rows.delete(id);
    table.unindexRow(row);
  }

  undoUpdate(model: string, id: number, before: Record<string, unknown>): void {
    const table = this.table(model);
    const row = table.rows.get(id);
    if (row === undefined) return;
    table.change(row, before);
  }

  undoDelete(model: string, row: Row): void {
    const table = this.table(model);
    // Map keeps insertion order; re-inserting a deleted row moves it to the end,
    // so restore id order for scans that rely on it.
    table.rows.set(row.id, row);
    table.indexRow(row);
    if (needsResort(table.rows, row.id)) resortById(table.rows);
  }
}

/** Builds the rows deferInsert left pending in `table`. */
function materialize(table: Table): void {
  const pending = table.deferred!;
  table.deferred = undefined;
  for (const { id, build } of pending) {
    const row = build(id);
    table.rows.set(row.id, row);
    table.indexRow(row);
  }
}

/** Sorts ids ascending, skipping the sort when they already are (the usual case: ids grow). */
export function ascending(ids: number[]): number[] {
  for (let i = 1; i < ids.length; i++) if (ids[i - 1]! > ids[i]!) return ids.sort((a, b) => a - b);
  return ids;
}

function addTo(index: Map<unknown, Set<number>>, value: unknown, id: number): void {
  let set = index.get(value);
  if (set === undefined) index.set(value, (set = new Set()));
  set.add(id);
}

function addFolded(index: Map<unknown, Set<number>>, value: unknown, id: number): void {
  if (typeof value === 'string') addTo(index, foldCase(value), id);
}

function removeFolded(index: Map<unknown, Set<number>>, value: unknown, id: number): void {
  if (typeof value === 'string') index.get(foldCase(value))?.delete(id);
}

function needsResort(rows: Map<number, Row>, id: number): boolean {
  for (const key of rows.keys()) if (key > id) return true;
  return false;
}

function resortById(rows: Map<number, Row>): void {
  const entries = [...rows.entries()].sort((a, b) => a[0] - b[0]);
  rows.clear();
  for (const [id, row] of entries) rows.set(id, row);
}
