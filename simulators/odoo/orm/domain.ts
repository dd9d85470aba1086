import { convertScalar, emptyValue, truthy } from './convert.ts';
import { ascending } from './database.ts';
import type { Env } from './env.ts';
import { pythonRepr, valueError } from './errors.ts';
import type { Row } from './model.ts';
import type { Table } from './database.ts';
import { foldCase, likePattern, patternLiteral } from './like-pattern.ts';
import { displayNameOf, fieldValue } from './records.ts';
import type { CompiledField, CompiledModel } from './registry.ts';
import { PyFloat } from '../../../harness/wire/python-float.ts';

/** Odoo's domain: a prefix-notation list of '&', '|', '!' and [field, operator, value] leaves. */
export type Domain = readonly unknown[];

type Predicate = (row: Row) => boolean;

const OPERATORS = new Set([
  '=',
  '!=',
  '<>',
  '<=',
  '<',
  '>',
  '>=',
  '=?',
  '=like',
  '=ilike',
  'like',
  'not like',
  'ilike',
  'not ilike',
  'in',
  'not in',
  'child_of',
  'parent_of',
  'any',
  'not any',
]);

const TRUE: Predicate = () => true;

/**
 * A leaf Odoo drops: one on a field it cannot search (the password is not a
 * stored field in Odoo; expression.py logs "Non-stored field … cannot be
 * searched" and puts an empty domain in its place). It matches every row, so
 * a domain on the password reveals nothing about it (transcript 18).
 */
const IGNORED: Predicate = () => true;

/**
 * Compiles a domain into a row predicate for `model`, faulting on malformed
 * domains with Odoo 17's messages. Semantics follow the SQL Odoo generates
 * (NULL never equals, `!=` and `not in` also match NULL, `like` wraps in %).
 */
export function compileDomain(env: Env, model: CompiledModel, domain: unknown, activeTest: boolean): Predicate {
  if (domain === false || domain === null || domain === undefined) domain = [];
  if (!Array.isArray(domain)) throw valueError(`Invalid domain: ${pythonRepr(domain)}`);
  const items = domain as unknown[];
  let needsActive = activeTest && model.hasActive && !items.some((item) => Array.isArray(item) && item[0] === 'active');
  let position = 0;
  // Negations are pushed down to the leaves (De Morgan), as Odoo's distribute_not does
  // before it looks at a leaf: an ignored leaf then stays true whatever wraps it.
  const parse = (negated: boolean): Predicate => {
    if (position >= items.length) throw valueError(`Invalid domain: ${pythonRepr(domain)}`);
    const item = items[position++];
    if (item === '&' || item === '|') {
      const left = parse(negated);
      const right = parse(negated);
      return (item === '&') !== negated ? (row) => left(row) && right(row) : (row) => left(row) || right(row);
    }
    if (item === '!') return parse(!negated);
    const leaf = compileLeaf(env, model, item);
    if (leaf === IGNORED || !negated) return leaf;
    return (row) => !leaf(row);
  };
  const parts: Predicate[] = [];
  while (position < items.length) parts.push(parse(false));
  if (needsActive) {
    const active = model.fields.get('active')!;
    parts.unshift((row) => fieldValue(env, model, row, active) === true);
    needsActive = false;
  }
  if (parts.length === 0) return TRUE;
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2) {
    const [a, b] = parts as [Predicate, Predicate];
    return (row) => a(row) && b(row);
  }
  return (row) => {
    for (const part of parts) if (!part(row)) return false;
    return true;
  };
}

function leafRepr(leaf: readonly unknown[]): string {
  return `(${leaf.map(pythonRepr).join(', ')})`;
}

function compileLeaf(env: Env, model: CompiledModel, item: unknown): Predicate {
  if (!Array.isArray(item)) {
    if (typeof item === 'string') throw valueError(`Invalid leaf ${pythonRepr(item)}`);
    throw valueError(`Invalid leaf ${pythonRepr(item)}`);
  }
  if (item.length < 3) throw valueError(`not enough values to unpack (expected 3, got ${item.length})`);
  if (item.length > 3) throw valueError(`too many values to unpack (expected 3)`);
  const [left, rawOperator, rawValue] = item as [unknown, unknown, unknown];
  // Odoo's TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1).
  if ((left === 1 || left === 0) && rawOperator === '=' && rawValue === 1) return left === 1 ? TRUE : () => false;
  const operator = typeof rawOperator === 'string' ? rawOperator.toLowerCase() : rawOperator;
  if (typeof left !== 'string' || typeof operator !== 'string' || !OPERATORS.has(operator)) {
    throw valueError(`Invalid leaf ${leafRepr(item)}`);
  }
  const value = rawValue instanceof PyFloat ? rawValue.value : rawValue;
  const path = left.split('.');
  const field = model.fields.get(path[0]!);
  if (field === undefined) throw valueError(`Invalid field ${model.name}.${path[0]} in leaf ${leafRepr(item)}`);
  return compilePath(env, model, field, path.slice(1), operator === '<>' ? '!=' : operator, value, item);
}

function compilePath(
  env: Env,
  model: CompiledModel,
  field: CompiledField,
  rest: readonly string[],
  operator: string,
  value: unknown,
  leaf: readonly unknown[],
): Predicate {
  if (field.secret === true && rest.length === 0) return IGNORED;
  const relational = field.type === 'many2one' || field.type === 'one2many' || field.type === 'many2many';
  if (rest.length > 0 || operator === 'any' || operator === 'not any') {
    if (!relational) throw valueError(`Invalid field ${model.name}.${[field.name, ...rest].join('.')} in leaf ${leafRepr(leaf)}`);
    const comodel = env.db.registry.models.get(field.relation!)!;
    const table = env.db.table(comodel.name);
    let sub: Predicate;
    if (operator === 'any' || operator === 'not any') {
      sub = compileDomain(env, comodel, value, field.type !== 'many2one');
    } else {
      const next = comodel.fields.get(rest[0]!);
      if (next === undefined) throw valueError(`Invalid field ${comodel.name}.${rest[0]} in leaf ${leafRepr(leaf)}`);
      sub = compilePath(env, comodel, next, rest.slice(1), operator, value, leaf);
    }
    const anyMatch: Predicate = (row) => {
      const target = fieldValue(env, model, row, field);
      if (typeof target === 'number') {
        const targetRow = table.rows.get(target);
        return targetRow !== undefined && sub(targetRow);
      }
      if (Array.isArray(target)) {
        for (const id of target as number[]) {
          const targetRow = table.rows.get(id);
          if (targetRow !== undefined && sub(targetRow)) return true;
        }
      }
      return false;
    };
    return operator === 'not any' ? (row) => !anyMatch(row) : anyMatch;
  }

  const get = fieldGetter(env, model, field);

  if (operator === '=?') {
    if (!truthy(value)) return TRUE;
    operator = '=';
  }
  if (operator === 'child_of' || operator === 'parent_of') return hierarchy(env, model, field, operator, value, get);

  if (field.type === 'one2many' || field.type === 'many2many') return compileX2many(env, field, operator, value, get, leaf);
  if (field.type === 'many2one' && (typeof value === 'string' || (Array.isArray(value) && value.some((v) => typeof v === 'string')))) {
    return compileByName(env, field, operator, value, get);
  }

  const normalize = valueNormalizer(field);
  switch (operator) {
    case '=':
    case '!=': {
      const positive = operator === '=';
      if (value === false || value === null) {
        const isNull = field.type === 'boolean' ? (row: Row) => get(row) !== true : (row: Row) => isEmpty(get(row), field);
        return positive ? isNull : (row) => !isNull(row);
      }
      const wanted = normalize(value);
      if (positive) return (row) => get(row) === wanted;
      return (row) => get(row) !== wanted;
    }
    case 'in':
    case 'not in': {
      const list = Array.isArray(value) ? value : [value];
      const withNull = list.some((v) => v === false || v === null);
      const wanted = new Set(list.filter((v) => v !== false && v !== null).map(normalize));
      const matches = (row: Row): boolean => {
        const v = get(row);
        if (isEmpty(v, field) && field.type !== 'boolean') return withNull;
        return wanted.has(v);
      };
      return operator === 'in' ? matches : (row) => !matches(row);
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (value === false || value === null) return () => false;
      const bound = normalize(value) as number | string;
      return (row) => {
        const v = get(row);
        if (isEmpty(v, field) && field.type !== 'boolean' && typeof v !== 'number') return false;
        const x = v as number | string;
        switch (operator) {
          case '<':
            return x < bound;
          case '<=':
            return x <= bound;
          case '>':
            return x > bound;
          default:
            return x >= bound;
        }
      };
    }
    default: {
      // like, ilike, =like, =ilike and their negations.
      const negative = operator.startsWith('not ');
      const base = negative ? operator.slice(4) : operator;
      const exact = base.startsWith('=');
      const insensitive = base.endsWith('ilike');
      if (value === false || value === null) {
        const isNull = (row: Row) => isEmpty(get(row), field);
        return negative ? (row) => !isNull(row) : isNull;
      }
      const pattern = likePattern(String(value), exact, insensitive);
      const matches = (row: Row): boolean => {
        const v = get(row);
        if (v === false || v === null || v === undefined) return false;
        return pattern.test(String(v));
      };
      return negative ? (row) => !matches(row) : matches;
    }
  }
}

/** Reads a field's internal value; stored fields straight from the row (the hot path of every search). */
export function fieldGetter(env: Env, model: CompiledModel, field: CompiledField): (row: Row) => unknown {
  if (field.stored) {
    const name = field.name;
    const empty = emptyValue(field);
    return (row) => {
      const value = row[name];
      return value === undefined ? empty : value;
    };
  }
  return (row) => fieldValue(env, model, row, field);
}

/**
 * Rows worth testing for a domain: when its top level ANDs an equality leaf
 * that an index can answer — `id` `=`/`in`, a many2one `=`/`in` ids, or a
 * stored char/selection/integer/date field `=`/`in` values — only the rows
 * that leaf allows (in id order); otherwise undefined (scan everything). The
 * full domain is still applied to each candidate.
 */
export function candidateIds(env: Env, model: CompiledModel, domain: unknown): number[] | undefined {
  if (!Array.isArray(domain)) return undefined;
  // Only a flat conjunction is safe to narrow: any '|' or '!' may widen the result.
  if (domain.some((item) => item === '|' || item === '!')) return undefined;
  const table = env.db.table(model.name);
  for (const item of domain) {
    if (!Array.isArray(item) || item.length !== 3 || typeof item[0] !== 'string') continue;
    const [name, operator, value] = item as [string, unknown, unknown];
    if (name === 'id' && (operator === '=' || operator === 'in')) {
      const values = operator === 'in' ? value : [value];
      if (Array.isArray(values) && values.every((v) => typeof v === 'number' && Number.isInteger(v))) {
        return [...new Set(values as number[])].filter((id) => table.rows.has(id)).sort((a, b) => a - b);
      }
    }
    const found = operator === '=ilike' ? foldedCandidates(table, model, name, value) : equalCandidates(table, model, name, operator, value);
    if (found === undefined) continue;
    // A leaf that keeps most rows narrows nothing: scanning is cheaper and already in id order.
    if (found.size * 2 > table.rows.size) return undefined;
    return ascending([...found]);
  }
  return undefined;
}

/** The rows an `=`/`in` leaf can match, from a many2one's or a scalar field's index; undefined when no index helps. */
function equalCandidates(table: Table, model: CompiledModel, name: string, operator: unknown, value: unknown): Set<number> | undefined {
  if (operator !== '=' && operator !== 'in') return undefined;
  const values = operator === 'in' ? value : [value];
  if (!Array.isArray(values)) return undefined;
  const field = model.fields.get(name);
  // A secret field's leaf is ignored, so it must not narrow the rows either.
  if (field === undefined || !field.stored || field.secret === true) return undefined;
  const ids = values.every((v) => typeof v === 'number' && Number.isInteger(v));
  if (table.canIndex(name) && ids) {
    const found = new Set<number>();
    for (const target of values as number[]) for (const id of table.referrers(name, target)) found.add(id);
    return found;
  }
  if (!INDEXABLE.has(field.type) || !values.every((v) => (typeof v === 'string' && v !== '') || (typeof v === 'number' && field.type === 'integer')))
    return undefined;
  const index = table.valueIndex(name);
  if (values.length === 1) return index.get(values[0]) ?? new Set();
  const found = new Set<number>();
  for (const v of values) for (const id of index.get(v) ?? []) found.add(id);
  return found;
}

/**
 * The rows an `=ilike` leaf can match when its pattern has no wildcard: those
 * whose stored char value folds to the same text (a customer found by email in
 * any case would otherwise test every partner). Undefined when no index helps.
 */
function foldedCandidates(table: Table, model: CompiledModel, name: string, value: unknown): Set<number> | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const field = model.fields.get(name);
  if (field === undefined || !field.stored || field.secret === true || field.type !== 'char') return undefined;
  const literal = patternLiteral(value);
  if (literal === undefined) return undefined;
  return table.foldedIndex(name).get(foldCase(literal)) ?? new Set();
}

/** Field types whose `=` is plain value equality on the stored value. */
const INDEXABLE: ReadonlySet<string> = new Set(['char', 'selection', 'integer']);

/**
 * SQL NULL. Odoo 17.0 writes `[field, '=', False]` as `field IS NULL`, so a
 * char explicitly set to '' (stored as '') is not empty here (Odoo 18 changed that).
 */
function isEmpty(value: unknown, _field: CompiledField): boolean {
  return value === false || value === null || value === undefined;
}

/** Turns a domain value into the internal form of the field, so === compares like SQL. */
function valueNormalizer(field: CompiledField): (value: unknown) => unknown {
  switch (field.type) {
    case 'integer':
    case 'float':
    case 'monetary':
    case 'many2one':
      return (value) => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value instanceof PyFloat ? value.value : value);
    case 'boolean':
      return (value) => truthy(value);
    case 'datetime':
    case 'date':
      return (value) => {
        try {
          return convertScalar(field, value);
        } catch {
          return value;
        }
      };
    default:
      return (value) => value;
  }
}

function compileX2many(env: Env, field: CompiledField, operator: string, value: unknown, get: (row: Row) => unknown, leaf: readonly unknown[]): Predicate {
  const ids = (row: Row): number[] => get(row) as number[];
  if ((operator === '=' || operator === '!=') && (value === false || value === null)) {
    return operator === '=' ? (row) => ids(row).length === 0 : (row) => ids(row).length > 0;
  }
  if (typeof value === 'string' || (Array.isArray(value) && value.some((v) => typeof v === 'string'))) {
    const comodel = env.db.registry.models.get(field.relation!)!;
    const table = env.db.table(comodel.name);
    const sub = nameMatcher(env, comodel, positiveOf(operator), value);
    const any = (row: Row) =>
      ids(row).some((id) => {
        const target = table.rows.get(id);
        return target !== undefined && sub(target);
      });
    return operator === positiveOf(operator) ? any : (row) => !any(row);
  }
  const list = new Set((Array.isArray(value) ? value : [value]).filter((v): v is number => typeof v === 'number'));
  switch (operator) {
    case '=':
    case 'in':
      return (row) => ids(row).some((id) => list.has(id));
    case '!=':
    case 'not in':
      return (row) => !ids(row).some((id) => list.has(id));
    default:
      throw valueError(`Invalid leaf ${leafRepr(leaf)}`);
  }
}

function positiveOf(operator: string): string {
  if (operator === '!=') return '=';
  if (operator.startsWith('not ')) return operator.slice(4);
  return operator;
}

/** Matches rows of `comodel` whose display name satisfies `operator value` (Odoo's _name_search). */
function nameMatcher(env: Env, comodel: CompiledModel, operator: string, value: unknown): Predicate {
  const values = (Array.isArray(value) ? value : [value]).map(String);
  const exact = operator === '=' || operator === 'in';
  const patterns = exact ? [] : values.map((v) => likePattern(v, operator.startsWith('='), operator.endsWith('ilike')));
  return (row) => {
    const name = displayNameOf(env, comodel, row);
    return exact ? values.includes(name) : patterns.some((p) => p.test(name));
  };
}

function compileByName(env: Env, field: CompiledField, operator: string, value: unknown, get: (row: Row) => unknown): Predicate {
  const comodel = env.db.registry.models.get(field.relation!)!;
  const table = env.db.table(comodel.name);
  const negative = operator === '!=' || operator.startsWith('not ');
  const sub = nameMatcher(env, comodel, positiveOf(operator), value);
  const matches = (row: Row): boolean => {
    const id = get(row);
    const target = typeof id === 'number' ? table.rows.get(id) : undefined;
    return target !== undefined && sub(target);
  };
  return negative ? (row) => !matches(row) : matches;
}

function hierarchy(env: Env, model: CompiledModel, field: CompiledField, operator: string, value: unknown, get: (row: Row) => unknown): Predicate {
  const comodelName = field.name === 'id' ? model.name : field.relation;
  if (comodelName === undefined) throw valueError(`Invalid leaf (${pythonRepr(field.name)}, ${pythonRepr(operator)}, ${pythonRepr(value)})`);
  const comodel = env.db.registry.models.get(comodelName)!;
  const parentField = comodel.fields.get('parent_id');
  const table = env.db.table(comodelName);
  const roots = (Array.isArray(value) ? value : [value]).filter((v): v is number => typeof v === 'number');
  const related = new Set<number>(roots);
  if (parentField !== undefined) {
    if (operator === 'child_of') {
      let grew = true;
      while (grew) {
        grew = false;
        for (const row of table.rows.values()) {
          const parent = fieldValue(env, comodel, row, parentField);
          if (typeof parent === 'number' && related.has(parent) && !related.has(row.id)) {
            related.add(row.id);
            grew = true;
          }
        }
      }
    } else {
      for (const root of roots) {
        let current = table.rows.get(root);
        while (current !== undefined) {
          const parent = fieldValue(env, comodel, current, parentField);
          if (typeof parent !== 'number' || related.has(parent)) break;
          related.add(parent);
          current = table.rows.get(parent);
        }
      }
    }
  }
  return (row) => {
    const v = get(row);
    if (typeof v === 'number') return related.has(v);
    if (Array.isArray(v)) return (v as number[]).some((id) => related.has(id));
    return false;
  };
}
