import { formatOdooDate } from '../../../harness/core/clock.ts';
import type { Rng } from '../../../harness/core/rng.ts';
import type { Database } from './database.ts';
import type { Domain } from './domain.ts';
import type { Args, Row, Vals } from './model.ts';
import { createModelHandle } from './records.ts';
import type { Transaction } from './transaction.ts';

export interface SearchOptions {
  order?: string | false | null;
  limit?: number | false | null;
  offset?: number | false | null;
}

/**
 * A model as model code uses it, Odoo's `self.env['res.partner']`. Values are
 * in the internal form (many2one = id or false); `read` gives the wire form.
 * Every change goes into the current call's transaction.
 */
export interface ModelHandle {
  readonly name: string;
  readonly env: Env;
  create(vals: Vals): number;
  createMany(valsList: readonly Vals[]): number[];
  /** Faults with MissingError when an id does not exist. */
  write(ids: readonly number[], vals: Vals): void;
  unlink(ids: readonly number[]): void;
  search(domain: Domain, options?: SearchOptions): number[];
  searchCount(domain: Domain): number;
  /** Wire form, as RPC `read` answers (deleted ids skipped). `fields` empty = all. */
  read(ids: readonly number[], fields?: readonly string[]): Record<string, unknown>[];
  /** The stored row, or undefined. Read-only: change it with write(). */
  row(id: number): Row | undefined;
  /** One field's value in internal form, computed and related fields included. */
  get(id: number, field: string): unknown;
  /** The ids that exist, in the given order. */
  exists(ids: readonly number[]): number[];
  /** Throws Odoo's MissingError unless every id exists. */
  ensureExist(ids: readonly number[]): void;
  displayName(id: number): string;
  /** Calls a public or private method of this model by name, as model code would. */
  call(method: string, ids: readonly number[], args?: Args): unknown;
  /** Ids of all rows (no active_test), in id order; for scans in model code. */
  allIds(): number[];
  /**
   * Sets stored values as they are (internal form), without hooks, conversion
   * or audit fields, inside the transaction: for keeping computed-and-stored
   * fields (Odoo's store=True computes) up to date from hooks.
   */
  setStored(ids: readonly number[], values: Readonly<Record<string, unknown>>): void;
}

/**
 * The environment of one call: who calls, with which context, inside which
 * transaction, on which database. Odoo's `self.env`. Time and randomness come
 * from the emulator's SystemContext through the database.
 */
export class Env {
  readonly db: Database;
  readonly uid: number;
  readonly context: Readonly<Record<string, unknown>>;
  readonly tx: Transaction;
  /** True when the env acts as superuser (Odoo's sudo()): skips readonly-over-RPC refusals only. */
  readonly su: boolean;
  /**
   * With the capacity model on: the clock time at which this attempt of the
   * call got its worker (its snapshot, in PostgreSQL terms); a retry gets a new
   * one. Undefined when calls run instantly (capacity model off).
   */
  readonly startedAt: number | undefined;
  #handles: Map<string, ModelHandle> | undefined;

  constructor(db: Database, uid: number, context: Readonly<Record<string, unknown>>, tx: Transaction, su = false, startedAt?: number) {
    this.db = db;
    this.uid = uid;
    this.context = context;
    this.tx = tx;
    this.su = su;
    this.startedAt = startedAt;
  }

  /** `env['sale.order']`. Throws UserError "Object x doesn't exist" for an unknown model. */
  model(name: string): ModelHandle {
    let handles = this.#handles;
    if (handles === undefined) handles = this.#handles = new Map();
    let handle = handles.get(name);
    if (handle === undefined) {
      handle = createModelHandle(this, name);
      handles.set(name, handle);
    }
    return handle;
  }

  withContext(extra: Readonly<Record<string, unknown>>): Env {
    return new Env(this.db, this.uid, { ...this.context, ...extra }, this.tx, this.su, this.startedAt);
  }

  sudo(): Env {
    return new Env(this.db, this.uid, this.context, this.tx, true, this.startedAt);
  }

  /** Milliseconds since the epoch, from the emulator's clock. */
  now(): number {
    return this.db.clock.now();
  }

  /** `YYYY-MM-DD HH:MM:SS` UTC, Odoo's fields.Datetime.now(). */
  nowDatetime(): string {
    return this.db.nowDatetime();
  }

  /** `YYYY-MM-DD`, Odoo's fields.Date.today() (UTC). */
  today(): string {
    return formatOdooDate(this.db.clock.now());
  }

  /** A seeded random stream for `label`, stable across runs with the same seed. */
  rng(label: string): Rng {
    return this.db.rng(label);
  }

  /** Odoo's ir.sequence next_by_code: never rolled back, so failed calls leave gaps. */
  nextByCode(code: string): string {
    return this.db.sequences.next(code, this.db.clock.now());
  }

  /** The company of the call (the emulator has one). */
  get companyId(): number {
    return this.db.companyId;
  }
}
