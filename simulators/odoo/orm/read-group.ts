import { asOneTerm } from './access.ts';
import type { Domain } from './domain.ts';
import { valueError } from './errors.ts';
import type { MethodSpec } from './model.ts';
import { wireFloat } from './values.ts';
import { fieldValue } from './records.ts';
import type { CompiledField } from './registry.ts';

/**
 * BaseModel.read_group as Odoo 17 answers it over RPC: groups by the first
 * groupby (lazy, with `<field>_count` and `__context.group_by` for the rest)
 * or by all of them (`lazy=False`, `__count`), aggregates `field:agg` specs,
 * and gives each group the `__domain` that selects it. Dates group by month
 * unless a granularity (`:day`, `:month`, `:quarter`, `:year`) is given.
 */
const AGGREGATES = new Set(['sum', 'avg', 'max', 'min', 'count', 'count_distinct', 'array_agg', 'bool_and', 'bool_or']);
const NUMERIC = new Set(['integer', 'float', 'monetary']);
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Aggregate {
  readonly key: string;
  readonly field: CompiledField;
  readonly fn: string;
}

interface GroupBy {
  readonly spec: string;
  readonly field: CompiledField;
  readonly granularity: string | undefined;
}

function parseAggregates(model: { name: string; fields: ReadonlyMap<string, CompiledField> }, specs: readonly string[]): Aggregate[] {
  const out: Aggregate[] = [];
  for (const spec of specs) {
    const match = /^(\w+)(?::(\w+)(?:\((\w+)\))?)?$/.exec(spec);
    if (match === null) throw valueError(`Invalid field specification ${JSON.stringify(spec)}.`);
    const [, name, fn, of] = match as unknown as [string, string, string | undefined, string | undefined];
    if (name === '__count') continue;
    const fieldName = of ?? name;
    const field = model.fields.get(fieldName);
    if (field === undefined) throw valueError(`Invalid field '${fieldName}' on model '${model.name}'`);
    if (fn !== undefined && !AGGREGATES.has(fn)) throw valueError(`Invalid aggregation function ${JSON.stringify(fn)}.`);
    // A plain numeric field sums (its group_operator); anything else without a function is left out.
    const aggregate = fn ?? (NUMERIC.has(field.type) ? 'sum' : undefined);
    if (aggregate !== undefined) out.push({ key: name, field, fn: aggregate });
  }
  return out;
}

function parseGroupBy(model: { name: string; fields: ReadonlyMap<string, CompiledField> }, specs: readonly string[]): GroupBy[] {
  return specs.map((spec) => {
    const [name, granularity] = spec.split(':') as [string, string | undefined];
    const field = model.fields.get(name);
    if (field === undefined) throw valueError(`Invalid field '${name}' on model '${model.name}'`);
    const dated = field.type === 'date' || field.type === 'datetime';
    if (granularity !== undefined && (!dated || !['day', 'month', 'quarter', 'year'].includes(granularity)))
      throw valueError(`Invalid groupby specification ${JSON.stringify(spec)}.`);
    return { spec, field, granularity: dated ? (granularity ?? 'month') : undefined };
  });
}

/** The period a date falls in: its label, and its [from, to) bounds in the field's own format. */
function period(value: string, granularity: string, datetime: boolean): { label: string; from: string; to: string } {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const fmt = (y: number, m: number, d: number): string => {
    const date = new Date(Date.UTC(y, m - 1, d));
    const text = date.toISOString().slice(0, 10);
    return datetime ? `${text} 00:00:00` : text;
  };
  switch (granularity) {
    case 'day':
      return { label: `${String(day).padStart(2, '0')} ${MONTHS[month - 1]!.slice(0, 3)} ${year}`, from: fmt(year, month, day), to: fmt(year, month, day + 1) };
    case 'quarter': {
      const q = Math.floor((month - 1) / 3);
      return { label: `Q${q + 1} ${year}`, from: fmt(year, q * 3 + 1, 1), to: fmt(year, q * 3 + 4, 1) };
    }
    case 'year':
      return { label: String(year), from: fmt(year, 1, 1), to: fmt(year + 1, 1, 1) };
    default:
      return { label: `${MONTHS[month - 1]} ${year}`, from: fmt(year, month, 1), to: fmt(year, month + 1, 1) };
  }
}

function aggregate(fn: string, values: readonly unknown[]): unknown {
  const numbers = values.map((value) => (typeof value === 'number' ? value : value === false || value === undefined ? 0 : Number(value)));
  switch (fn) {
    case 'count':
      return values.filter((value) => value !== false && value !== undefined).length;
    case 'count_distinct':
      return new Set(values.filter((value) => value !== false && value !== undefined)).size;
    case 'max':
      return numbers.length === 0 ? false : Math.max(...numbers);
    case 'min':
      return numbers.length === 0 ? false : Math.min(...numbers);
    case 'avg':
      return numbers.length === 0 ? false : numbers.reduce((a, b) => a + b, 0) / numbers.length;
    case 'bool_and':
      return values.every((value) => value === true);
    case 'bool_or':
      return values.some((value) => value === true);
    case 'array_agg':
      return [...values];
    default:
      return numbers.reduce((a, b) => a + b, 0);
  }
}

function compareKeys(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === false) return 1;
  if (b === false) return -1;
  return String(a) < String(b) ? -1 : 1;
}

export const readGroup: MethodSpec = {
  model: true,
  params: ['domain', 'fields', 'groupby', 'offset', 'limit', 'orderby', 'lazy'],
  required: 3,
  run({ env, model, args }) {
    const compiled = env.db.registry.models.get(model.name)!;
    const domain = (Array.isArray(args.domain) ? args.domain : []) as Domain;
    const fieldSpecs = (Array.isArray(args.fields) ? args.fields : []).map(String);
    const groupSpecs = (Array.isArray(args.groupby) ? args.groupby : typeof args.groupby === 'string' ? [args.groupby] : []).map(String);
    const lazy = args.lazy === undefined ? true : args.lazy !== false && args.lazy !== 0;
    const groupBys = parseGroupBy(compiled, lazy ? groupSpecs.slice(0, 1) : groupSpecs);
    const aggregates = parseAggregates(compiled, fieldSpecs).filter((agg) => !groupBys.some((gb) => gb.field.name === agg.key));
    const table = env.db.table(model.name);
    const groups = new Map<string, { keys: unknown[]; rows: number[] }>();
    for (const id of model.search(domain)) {
      const row = table.rows.get(id)!;
      const keys = groupBys.map((gb) => {
        const value = fieldValue(env, compiled, row, gb.field);
        if (gb.granularity !== undefined && typeof value === 'string') return period(value, gb.granularity, gb.field.type === 'datetime').from;
        return value === undefined || value === null ? false : value;
      });
      const key = JSON.stringify(keys);
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = { keys, rows: [] }));
      group.rows.push(id);
    }
    const sorted = [...groups.values()].sort((a, b) => {
      for (let i = 0; i < groupBys.length; i++) {
        const gb = groupBys[i]!;
        const left = gb.field.type === 'many2one' && typeof a.keys[i] === 'number' ? env.model(gb.field.relation!).displayName(a.keys[i] as number) : a.keys[i];
        const right =
          gb.field.type === 'many2one' && typeof b.keys[i] === 'number' ? env.model(gb.field.relation!).displayName(b.keys[i] as number) : b.keys[i];
        const order = compareKeys(left, right);
        if (order !== 0) return typeof args.orderby === 'string' && new RegExp(`\\b${gb.field.name}\\s+desc\\b`, 'i').test(args.orderby) ? -order : order;
      }
      return 0;
    });
    const offset = typeof args.offset === 'number' ? args.offset : 0;
    const limit = typeof args.limit === 'number' && args.limit > 0 ? args.limit : undefined;
    const page = sorted.slice(offset, limit === undefined ? undefined : offset + limit);
    return page.map((group) => {
      const out: Record<string, unknown> = {};
      const leaves: Domain[] = [];
      groupBys.forEach((gb, i) => {
        const key = group.keys[i];
        if (gb.granularity !== undefined && typeof key === 'string') {
          const range = period(key, gb.granularity, gb.field.type === 'datetime');
          out[gb.spec] = range.label;
          out.__range = { ...((out.__range as Record<string, unknown>) ?? {}), [gb.spec]: { from: range.from, to: range.to } };
          leaves.push(['&', [gb.field.name, '>=', range.from], [gb.field.name, '<', range.to]]);
        } else {
          out[gb.spec] = gb.field.type === 'many2one' && typeof key === 'number' ? [key, env.model(gb.field.relation!).displayName(key)] : key;
          leaves.push([[gb.field.name, '=', key]]);
        }
      });
      out[lazy ? `${groupSpecs[0]?.split(':')[0] ?? ''}_count` : '__count'] = group.rows.length;
      for (const agg of aggregates) {
        const value = aggregate(
          agg.fn,
          group.rows.map((id) => fieldValue(env, compiled, table.rows.get(id)!, agg.field)),
        );
        out[agg.key] =
          typeof value === 'number' && (agg.field.type === 'float' || agg.field.type === 'monetary') && agg.fn !== 'count' && agg.fn !== 'count_distinct'
            ? wireFloat(value)
            : value;
      }
      const parts = [domain, ...leaves].filter((part) => part.length > 0);
      out.__domain = [...Array<string>(Math.max(0, parts.length - 1)).fill('&'), ...parts.flatMap((part) => asOneTerm(part))];
      if (lazy && groupSpecs.length > 1) out.__context = { group_by: groupSpecs.slice(1) };
      return out;
    });
  },
};
