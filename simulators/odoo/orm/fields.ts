import type { Env } from './env.ts';
import type { Row } from './model.ts';

/** A field default: a constant (x2many commands for relational fields) or a function of the env. */
export type FieldDefault = string | number | boolean | null | readonly unknown[] | ((env: Env) => unknown);

export type FieldType =
  | 'char'
  | 'text'
  | 'html'
  | 'integer'
  | 'float'
  | 'monetary'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'selection'
  | 'many2one'
  | 'one2many'
  | 'many2many'
  | 'binary';

/**
 * One field of a model. Values are kept in an internal form: many2one as the id
 * or `false`, many2many as an id array on the row, one2many never stored (read
 * through the inverse many2one's index), dates as `YYYY-MM-DD`, datetimes as
 * `YYYY-MM-DD HH:MM:SS` (UTC), empty as `false`.
 */
export interface FieldSpec {
  readonly type: FieldType;
  /** Label, as `fields_get` shows it and as error messages quote it. */
  readonly string: string;
  readonly required?: boolean;
  readonly readonly?: boolean;
  readonly help?: string;
  /** A constant, or a function of the env called once per created record. */
  readonly default?: FieldDefault;
  /**
   * A computed field: evaluated when read and when a domain tests it, never
   * stored (so it cannot go stale). Keep it cheap; it runs on every read.
   */
  readonly compute?: (env: Env, row: Row) => unknown;
  /** Stored anyway (Odoo's store=True): only changes what fields_get reports. */
  readonly store?: boolean;
  /** A related field, `partner_id.name`: computed through the many2one path. */
  readonly related?: string;
  /** Comodel of many2one, one2many, many2many. */
  readonly relation?: string;
  /** For one2many: the many2one on the comodel that points back. */
  readonly inverseName?: string;
  /** For many2one: what happens to this row when the target is unlinked. */
  readonly ondelete?: 'set null' | 'cascade' | 'restrict';
  /** For selection: [value, label] pairs. */
  readonly selection?: ReadonlyArray<readonly [string, string]>;
  /** For float: [precision, scale] as fields_get shows it. */
  readonly digits?: readonly [number, number];
  /** For monetary: the many2one to res.currency. */
  readonly currencyField?: string;
  /** Whether copy() carries the value (default true except one2many). */
  readonly copy?: boolean;
  /** Keep an inverse index for this many2one (automatic when a one2many uses it). */
  readonly index?: boolean;
  /** Stored, but `read` answers '' (Odoo's password field). */
  readonly secret?: boolean;
  /** For one2many: which comodel rows it shows (Odoo's `domain=` on the field); commands act on those only. */
  readonly keep?: (row: Row) => boolean;
}

type Options = Omit<FieldSpec, 'type' | 'relation' | 'inverseName' | 'selection'>;
type LabelOrOptions = string | Options;

function make(type: FieldType, options: LabelOrOptions | undefined, extra: Partial<FieldSpec> = {}): FieldSpec {
  const base: Options = typeof options === 'string' ? { string: options } : (options ?? { string: '' });
  return { ...base, ...extra, type };
}

/** Field constructors, named after Odoo's `fields.Char`, `fields.Many2one`, ... */
export const fields = {
  char: (options?: LabelOrOptions): FieldSpec => make('char', options),
  text: (options?: LabelOrOptions): FieldSpec => make('text', options),
  html: (options?: LabelOrOptions): FieldSpec => make('html', options),
  integer: (options?: LabelOrOptions): FieldSpec => make('integer', options),
  float: (options?: LabelOrOptions): FieldSpec => make('float', options),
  monetary: (options?: LabelOrOptions): FieldSpec => make('monetary', options),
  boolean: (options?: LabelOrOptions): FieldSpec => make('boolean', options),
  date: (options?: LabelOrOptions): FieldSpec => make('date', options),
  datetime: (options?: LabelOrOptions): FieldSpec => make('datetime', options),
  binary: (options?: LabelOrOptions): FieldSpec => make('binary', options),
  selection: (selection: ReadonlyArray<readonly [string, string]>, options?: LabelOrOptions): FieldSpec => make('selection', options, { selection }),
  many2one: (relation: string, options?: LabelOrOptions): FieldSpec => make('many2one', options, { relation }),
  one2many: (relation: string, inverseName: string, options?: LabelOrOptions): FieldSpec => make('one2many', options, { relation, inverseName }),
  many2many: (relation: string, options?: LabelOrOptions): FieldSpec => make('many2many', options, { relation }),
} as const;

export const RELATIONAL_TYPES: ReadonlySet<FieldType> = new Set(['many2one', 'one2many', 'many2many']);
export const X2MANY_TYPES: ReadonlySet<FieldType> = new Set(['one2many', 'many2many']);
