import type { Env, ModelHandle } from './env.ts';
import type { FieldSpec } from './fields.ts';

/** A stored record in its internal form (see FieldSpec). Never mutate it directly: use write(). */
export type Row = { id: number; [field: string]: unknown };

/** Field values as a client or model code hands them to create/write. */
export type Vals = Record<string, unknown>;

/** A method's arguments by Python parameter name, after positional args and kwargs are merged. */
export type Args = Record<string, unknown>;

/** What a method receives. `ids` is empty for `model: true` methods. */
export interface MethodCall {
  readonly env: Env;
  readonly model: ModelHandle;
  readonly ids: number[];
  readonly args: Args;
}

/**
 * A method clients may call over RPC (any name not starting with `_`). The
 * dispatcher maps positional args and kwargs onto `params` like Python does, so
 * a wrong call faults with Python's TypeError text.
 */
export interface MethodSpec {
  /** Odoo's `@api.model`: args are passed as they are. Otherwise args[0] is the record ids (browse). */
  readonly model?: boolean;
  /** Python parameter names after `self`, in order. */
  readonly params?: readonly string[];
  /** How many leading `params` have no default. */
  readonly required?: number;
  /** Python `**kwargs`: unknown keyword arguments are accepted (and ignored). */
  readonly anyKwargs?: boolean;
  /** Return `undefined` for Python's None (XML-RPC then faults after commit, JSON-RPC omits `result`). */
  run(call: MethodCall): unknown;
}

/**
 * Override points, Odoo's `create`/`write`/`unlink` overrides. Every extension
 * of a model adds its own; they run in declaration order. Throwing rolls the
 * whole call back (sequence numbers already drawn stay consumed, as in Odoo).
 */
export interface ModelHooks {
  /** Before defaults are applied: adjust vals (e.g. draw a sequence name) or refuse. */
  beforeCreate?(env: Env, vals: Vals): void;
  /** Right after a row is stored, before its x2many commands and any afterCreate: what must know the row is new. */
  afterInsert?(env: Env, id: number): void;
  /** After the rows exist and x2many commands ran: constraints, recomputations. */
  afterCreate?(env: Env, ids: readonly number[], valsList: readonly Vals[]): void;
  beforeWrite?(env: Env, ids: readonly number[], vals: Vals): void;
  afterWrite?(env: Env, ids: readonly number[], vals: Vals): void;
  /** Before model code stores recomputed values (`setStored`, Odoo's stored computes): e.g. to note what tracking compares against. */
  beforeStore?(env: Env, ids: readonly number[], values: Readonly<Record<string, unknown>>): void;
  /** Refuse with a UserError, or clean up dependants. */
  beforeUnlink?(env: Env, ids: readonly number[]): void;
}

export interface ModelSpec {
  /** Odoo's `_name`, e.g. `res.partner`. */
  readonly name: string;
  /** Odoo's `_description`; quoted in "mandatory field is not set" errors. */
  readonly description: string;
  /** Odoo's `_order`; default `id`. */
  readonly order?: string;
  /** Odoo's `_rec_name`: the field that display_name and name_search use; default `name`. */
  readonly recName?: string;
  /** Odoo's `_inherits`: `{ 'product.template': 'product_tmpl_id' }` (delegation). */
  readonly inherits?: Readonly<Record<string, string>>;
  /** Whether the model is a wizard (TransientModel); only informative. */
  readonly transient?: boolean;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Odoo's `_compute_display_name`; default: the recName field's value. */
  readonly displayName?: (env: Env, row: Row) => string;
  readonly methods?: Readonly<Record<string, MethodSpec>>;
  readonly hooks?: ModelHooks;
  /** Read-only over RPC (create/write/unlink refused with AccessError). */
  readonly readonlyOverRpc?: boolean;
}

/** Odoo's `_inherit` of an existing model: adds fields, methods (overriding by name) and hooks. */
export interface ModelExtension {
  readonly name: string;
  readonly fields?: Readonly<Record<string, FieldSpec>>;
  readonly methods?: Readonly<Record<string, MethodSpec>>;
  readonly hooks?: ModelHooks;
  readonly displayName?: (env: Env, row: Row) => string;
  readonly order?: string;
}

/** Identity helpers that give model files type checking without ceremony. */
export function defineModel(spec: ModelSpec): ModelSpec {
  return spec;
}

export function extendModel(extension: ModelExtension): ModelExtension {
  return extension;
}

/** A record method (args[0] = ids). */
export function recordMethod(params: readonly string[], run: (call: MethodCall) => unknown, required = params.length): MethodSpec {
  return { params, required, run };
}

/** An `@api.model` method (args as they are). */
export function modelMethod(params: readonly string[], run: (call: MethodCall) => unknown, required = params.length): MethodSpec {
  return { model: true, params, required, run };
}
