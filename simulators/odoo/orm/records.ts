import { BASE_METHODS } from './base-methods.ts';
import { convertScalar, emptyValue } from './convert.ts';
import type { Database, Table } from './database.ts';
import { candidateIds, compileDomain, fieldGetter, type Domain } from './domain.ts';
import type { Env, ModelHandle, SearchOptions } from './env.ts';
import { missingRecords, pythonRepr, UserError, ValidationError, valueError } from './errors.ts';
import type { Args, MethodSpec, Row, Vals } from './model.ts';
import { compareValues, parseOrder, type OrderTerm } from './order.ts';
import { ORDER_INDEXABLE } from './order-index.ts';
import type { CompiledField, CompiledModel } from './registry.ts';
import { PyFloat } from '../../../harness/wire/python-float.ts';
import { wireFloat } from './values.ts';

/** Odoo's message for a NOT NULL violation (odoo/service/model.py _as_validation_error). */
export function mandatoryFieldError(model: CompiledModel, field: CompiledField): ValidationError {
  return new ValidationError(
    'The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n' +
      '- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n' +
      `Model: ${model.description} (${model.name})\nField: ${field.string} (${field.name})\n`,
  );
}

/** Odoo's message for a foreign-key violation: the referencing table names the model and the constraint. */
export function foreignKeyError(model: CompiledModel, field: CompiledField): ValidationError {
  return new ValidationError(
    'The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n' +
      `Model: ${model.description} (${model.name})\nConstraint: ${model.name.replaceAll('.', '_')}_${field.name}_fkey\n`,
  );
}

/** A many2one must point at an existing row (PostgreSQL's foreign key). */
function checkForeignKeys(env: Env, model: CompiledModel, values: Readonly<Record<string, unknown>>): void {
  // The audit columns (create_uid, write_uid) are left out of foreignKeyFields: the caller exists, or is the superuser while seeding.
  for (const field of model.foreignKeyFields) {
    const value = values[field.name];
    if (typeof value === 'number' && !env.db.table(field.relation!).rows.has(value)) throw foreignKeyError(model, field);
  }
}

export function invalidField(model: string, field: string) {
  return valueError(`Invalid field ${pythonRepr(field)} on model ${pythonRepr(model)}`);
}

export function compiledModel(env: Env, name: string): CompiledModel {
  const model = env.db.registry.models.get(name);
  if (model === undefined) throw new UserError(`Object ${name} doesn't exist`);
  return model;
}

/** Looks a method up on the model, then among the methods every model has. */
export function findMethod(model: CompiledModel, name: string): MethodSpec | undefined {
  return model.methods.get(name) ?? BASE_METHODS.get(name);
}

/** A field's value for a row in internal form: stored, delegated, one2many, related or computed. */
export function getValue(env: Env, model: CompiledModel, row: Row, name: string): unknown {
  const field = model.fields.get(name);
  if (field === undefined) throw invalidField(model.name, name);
  return fieldValue(env, model, row, field);
}

export function fieldValue(env: Env, model: CompiledModel, row: Row, field: CompiledField): unknown {
  if (field.stored) {
    const value = row[field.name];
    return value === undefined ? emptyValue(field) : value;
  }
  const name = field.name;
  if (name === 'id') return row.id;
  if (name === 'display_name') return displayNameOf(env, model, row);
  if (field.delegatedVia !== undefined) {
    const parentId = row[field.delegatedVia];
    const parentModel = env.db.registry.models.get(model.fields.get(field.delegatedVia)!.relation!)!;
    const parent = typeof parentId === 'number' ? env.db.table(parentModel.name).rows.get(parentId) : undefined;
    return parent === undefined ? emptyValue(field) : getValue(env, parentModel, parent, name);
  }
  if (field.type === 'one2many') return one2manyIds(env, field, row.id);
  if (field.relatedPath !== undefined) return relatedValue(env, model, row, field.relatedPath, field);
  if (field.compute !== undefined) {
    const value = field.compute(env, row);
    return value === undefined ? emptyValue(field) : value;
  }
  return emptyValue(field);
}

function one2manyIds(env: Env, field: CompiledField, id: number): number[] {
  const table = env.db.table(field.relation!);
  const keep = field.keep;
  const ids =
    keep === undefined ? table.referrers(field.inverseName!, id) : table.referrers(field.inverseName!, id).filter((other) => keep(table.rows.get(other)!));
  const order = table.model.order;
  if (ids.length < 2 || (order.length === 1 && order[0]!.field === 'id' && !order[0]!.desc)) return ids;
  return sortIds(env, table, ids, order);
}

function relatedValue(env: Env, model: CompiledModel, row: Row, path: readonly string[], field: CompiledField): unknown {
  let currentModel = model;
  let current: Row | undefined = row;
  for (let i = 0; i < path.length - 1; i++) {
    const link = currentModel.fields.get(path[i]!);
    if (link === undefined || link.type !== 'many2one') throw new Error(`related ${path.join('.')} on ${model.name}: ${path[i]} is not a many2one`);
    const target = fieldValue(env, currentModel, current, link);
    currentModel = env.db.registry.models.get(link.relation!)!;
    current = typeof target === 'number' ? env.db.table(currentModel.name).rows.get(target) : undefined;
    if (current === undefined) return emptyValue(field);
  }
  return getValue(env, currentModel, current, path[path.length - 1]!);
}

export function displayNameOf(env: Env, model: CompiledModel, row: Row): string {
  if (model.displayName !== undefined) return model.displayName(env, row);
  const recField = model.fields.get(model.recName);
  if (recField === undefined) return `${model.name},${row.id}`;
  const value = fieldValue(env, model, row, recField);
  return typeof value === 'string' ? value : value === false ? '' : String(value);
}

/** Per-row sort keys for order terms (many2one fields sort by the target's display name). */
export function orderKeys(env: Env, model: CompiledModel, order: readonly OrderTerm[]): Array<{ key: (row: Row) => unknown; desc: boolean }> {
  return order.map((term) => {
    const field = model.fields.get(term.field)!;
    let key: (row: Row) => unknown;
    if (field.type === 'many2one') {
      const comodel = env.db.registry.models.get(field.relation!)!;
      const table = env.db.table(comodel.name);
      key = (row) => {
        const id = fieldValue(env, model, row, field);
        const target = typeof id === 'number' ? table.rows.get(id) : undefined;
        return target === undefined ? false : displayNameOf(env, comodel, target);
      };
    } else if (field.type === 'boolean') {
      key = (row) => (fieldValue(env, model, row, field) ? 1 : 0);
    } else {
      key = fieldGetter(env, model, field);
    }
    return { key, desc: term.desc };
  });
}

/** Builds a comparator from order terms. */
export function rowComparator(env: Env, model: CompiledModel, order: readonly OrderTerm[]): (a: Row, b: Row) => number {
  const keys = orderKeys(env, model, order);
  return (a, b) => {
    for (const { key, desc } of keys) {
      const c = compareValues(key(a), key(b));
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  };
}

/**
 * Sorts rows by `order`, computing each row's keys once (stable: ties keep id
 * order). With `keep`, only the first `keep` rows are wanted: a bounded
 * insertion keeps them without sorting everything.
 */
export function sortRows(env: Env, model: CompiledModel, rows: Row[], order: readonly OrderTerm[], keep = Number.POSITIVE_INFINITY): Row[] {
  const keys = orderKeys(env, model, order);
  const n = keys.length;
  const compare = (a: unknown[], b: unknown[]): number => {
    for (let i = 0; i < n; i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return keys[i]!.desc ? -c : c;
    }
    return 0;
  };
  const valuesOf = (row: Row): unknown[] => {
    const values = new Array<unknown>(n);
    for (let i = 0; i < n; i++) values[i] = keys[i]!.key(row);
    return values;
  };
  if (keep < rows.length && keep <= 256) {
    const best: Array<{ row: Row; values: unknown[] }> = [];
    // When the order ends on `id`, no two rows tie, so the scan direction is free: walking
    // backwards for a descending order meets the winners first (ids grow with time).
    const unique = order.length > 0 && order[order.length - 1]!.field === 'id';
    const backwards = unique && order[0]!.desc;
    const first = keys[0]!;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[backwards ? rows.length - 1 - r : r]!;
      if (best.length === keep) {
        // Most rows lose on the first key alone: decide that before computing the others.
        const c = compareValues(first.key(row), best[keep - 1]!.values[0]);
        if ((first.desc ? -c : c) > 0) continue;
      }
      const values = valuesOf(row);
      if (best.length === keep && compare(values, best[keep - 1]!.values) >= 0) continue;
      // Insert after equal keys, so earlier rows (lower ids) stay first.
      let lo = 0;
      let hi = best.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compare(values, best[mid]!.values) < 0) hi = mid;
        else lo = mid + 1;
      }
      best.splice(lo, 0, { row, values });
      if (best.length > keep) best.pop();
    }
    return best.map((entry) => entry.row);
  }
  const decorated = rows.map((row) => ({ row, values: valuesOf(row) }));
  decorated.sort((a, b) => compare(a.values, b.values));
  return decorated.map((entry) => entry.row);
}

function sortIds(env: Env, table: Table, ids: number[], order: readonly OrderTerm[]): number[] {
  return sortRows(
    env,
    table.model,
    ids.map((id) => table.rows.get(id)!),
    order,
  ).map((row) => row.id);
}

class Handle implements ModelHandle {
  readonly name: string;
  readonly env: Env;
  readonly model: CompiledModel;
  readonly table: Table;
  readonly db: Database;

  constructor(env: Env, model: CompiledModel) {
    this.env = env;
    this.name = model.name;
    this.model = model;
    this.db = env.db;
    this.table = env.db.table(model.name);
  }

  row(id: number): Row | undefined {
    return this.table.rows.get(id);
  }

  get(id: number, field: string): unknown {
    const row = this.table.rows.get(id);
    if (row === undefined) throw missingRecords(this.name, [id], this.env.uid);
    return getValue(this.env, this.model, row, field);
  }

  exists(ids: readonly number[]): number[] {
    return ids.filter((id) => this.table.rows.has(id));
  }

  ensureExist(ids: readonly number[]): void {
    const missing = ids.filter((id) => !this.table.rows.has(id));
    if (missing.length > 0) throw missingRecords(this.name, missing, this.env.uid);
  }

  displayName(id: number): string {
    const row = this.table.rows.get(id);
    if (row === undefined) throw missingRecords(this.name, [id], this.env.uid);
    return displayNameOf(this.env, this.model, row);
  }

  allIds(): number[] {
    return [...this.table.rows.keys()];
  }

  setStored(ids: readonly number[], values: Readonly<Record<string, unknown>>): void {
    for (const key of Object.keys(values)) {
      const field = this.model.fields.get(key);
      if (field === undefined || !field.stored) throw new Error(`setStored: ${this.name}.${key} is not a stored field`);
    }
    for (const hooks of this.model.hooks) hooks.beforeStore?.(this.env, ids, values);
    for (const id of ids) this.db.update(this.env.tx, this.name, id, values);
  }

  call(method: string, ids: readonly number[], args: Args = {}): unknown {
    const spec = findMethod(this.model, method);
    if (spec === undefined) throw new Error(`${this.name} has no method ${method}`);
    return spec.run({ env: this.env, model: this, ids: [...ids], args });
  }

  create(vals: Vals): number {
    return this.createMany([vals])[0]!;
  }

  createMany(valsList: readonly Vals[]): number[] {
    const env = this.env;
    const model = this.model;
    const prepared: Vals[] = [];
    for (const original of valsList) {
      const vals: Vals = { ...original };
      for (const hooks of model.hooks) hooks.beforeCreate?.(env, vals);
      prepared.push(vals);
    }
    const ids: number[] = [];
    const now = env.nowDatetime();
    for (const vals of prepared) {
      for (const key of Object.keys(vals)) if (!model.fields.has(key)) throw invalidField(model.name, key);
      this.#applyDefaults(vals);
      // _inherits: the parent is created first with its share of the values.
      for (const [parentName, link] of model.inherits) {
        if (typeof vals[link] === 'number' || (Array.isArray(vals[link]) && vals[link].length > 0)) continue;
        const parentVals: Vals = {};
        for (const [key, value] of Object.entries(vals)) {
          if (model.fields.get(key)!.delegatedVia === link) {
            parentVals[key] = value;
            delete vals[key];
          }
        }
        vals[link] = env.model(parentName).create(parentVals);
      }
      const id = this.table.nextId++;
      const row = this.table.blankRow(id);
      const later: Array<[CompiledField, unknown]> = [];
      for (const field of model.storedFields) {
        const given = vals[field.name];
        if (field.type === 'many2many') {
          row[field.name] = [];
          if (given !== undefined) later.push([field, given]);
        } else {
          row[field.name] = given === undefined ? emptyValue(field) : convertScalar(field, given);
        }
      }
      for (const entry of filledAfterInsert(model, vals)) later.push(entry);
      row.create_uid = env.uid;
      row.write_uid = env.uid;
      row.create_date = now;
      row.write_date = now;
      for (const field of model.storedFields) {
        if (field.required === true && (row[field.name] === false || row[field.name] === undefined)) throw mandatoryFieldError(model, field);
      }
      checkForeignKeys(env, model, row);
      this.db.insert(env.tx, model.name, row);
      for (const hooks of model.hooks) hooks.afterInsert?.(env, id);
      for (const [field, value] of later) {
        if (field.delegatedVia !== undefined) this.#writeDelegated([id], { [field.name]: value });
        else applyX2many(this, row, field, value);
      }
      ids.push(id);
    }
    for (const hooks of model.hooks) hooks.afterCreate?.(env, ids, prepared);
    return ids;
  }

  #applyDefaults(vals: Vals): void {
    const env = this.env;
    for (const key of Object.keys(env.context)) {
      // Context defaults (`default_<field>`) win over declared ones; delegated fields get theirs in the parent.
      if (!key.startsWith('default_')) continue;
      const field = this.model.fields.get(key.slice(8));
      if (field !== undefined && field.delegatedVia === undefined && !(field.name in vals)) vals[field.name] = env.context[key];
    }
    for (const field of this.model.defaulted) {
      if (field.name in vals) continue;
      vals[field.name] = typeof field.default === 'function' ? (field.default as (env: Env) => unknown)(env) : field.default;
    }
  }

  write(ids: readonly number[], original: Vals): void {
    const env = this.env;
    const model = this.model;
    this.ensureExist(ids);
    const vals: Vals = { ...original };
    for (const hooks of model.hooks) hooks.beforeWrite?.(env, ids, vals);
    for (const key of Object.keys(vals)) if (!model.fields.has(key)) throw invalidField(model.name, key);
    const changes: Record<string, unknown> = {};
    const delegated: Vals = {};
    const x2many: Array<[CompiledField, unknown]> = [];
    for (const key of Object.keys(vals)) {
      const value = vals[key];
      const field = model.fields.get(key)!;
      if (field.delegatedVia !== undefined) delegated[key] = value;
      else if (field.type === 'one2many' || field.type === 'many2many') x2many.push([field, value]);
      else if (field.stored) {
        const converted = convertScalar(field, value);
        if (field.required === true && converted === false) throw mandatoryFieldError(model, field);
        changes[key] = converted;
      }
      // Computed fields without an inverse: Odoo drops the value; so do we.
    }
    checkForeignKeys(env, model, changes);
    changes.write_uid = env.uid;
    changes.write_date = env.nowDatetime();
    for (const id of ids) this.db.update(env.tx, model.name, id, changes);
    if (Object.keys(delegated).length > 0) this.#writeDelegated(ids, delegated);
    for (const id of ids) {
      const row = this.table.rows.get(id)!;
      for (const [field, value] of x2many) applyX2many(this, row, field, value);
    }
    for (const hooks of model.hooks) hooks.afterWrite?.(env, ids, vals);
  }

  #writeDelegated(ids: readonly number[], vals: Vals): void {
    const byLink = new Map<string, Vals>();
    for (const [key, value] of Object.entries(vals)) {
      const link = this.model.fields.get(key)!.delegatedVia!;
      let group = byLink.get(link);
      if (group === undefined) byLink.set(link, (group = {}));
      group[key] = value;
    }
    for (const [link, group] of byLink) {
      const parentName = this.model.fields.get(link)!.relation!;
      const parentIds = ids.map((id) => this.table.rows.get(id)![link]).filter((id): id is number => typeof id === 'number');
      if (parentIds.length > 0) this.env.model(parentName).write([...new Set(parentIds)], group);
    }
  }

  unlink(ids: readonly number[]): void {
    const env = this.env;
    const model = this.model;
    this.ensureExist(ids);
    for (const hooks of model.hooks) hooks.beforeUnlink?.(env, ids);
    const doomed = new Set(ids);
    for (const other of env.db.registry.models.values()) {
      for (const field of other.storedFields) {
        if (field.type !== 'many2one' || field.relation !== model.name) continue;
        const table = env.db.table(other.name);
        const referrers: number[] = [];
        if (table.canIndex(field.name)) {
          for (const id of ids) referrers.push(...table.referrers(field.name, id));
        } else {
          for (const row of table.rows.values()) if (doomed.has(row[field.name] as number)) referrers.push(row.id);
        }
        const live = referrers.filter((id) => table.rows.has(id) && !(other === model && doomed.has(id)));
        if (live.length === 0) continue;
        const ondelete = field.ondelete ?? (field.required === true ? 'restrict' : 'set null');
        if (ondelete === 'cascade') env.model(other.name).unlink(live);
        else if (ondelete === 'set null') for (const id of live) this.db.update(env.tx, other.name, id, { [field.name]: false });
        else {
          throw foreignKeyError(other, field);
        }
      }
      // Drop the doomed ids from many2many columns pointing here.
      for (const field of other.storedFields) {
        if (field.type !== 'many2many' || field.relation !== model.name) continue;
        for (const row of env.db.table(other.name).rows.values()) {
          const current = row[field.name] as number[];
          if (current.some((id) => doomed.has(id))) this.db.update(env.tx, other.name, row.id, { [field.name]: current.filter((id) => !doomed.has(id)) });
        }
      }
    }
    for (const id of ids) this.db.delete(env.tx, model.name, id);
  }

  search(domain: Domain, options: SearchOptions = {}): number[] {
    const env = this.env;
    const model = this.model;
    const predicate = compileDomain(env, model, domain, activeTest(env));
    // Odoo sorts only on columns: a term on the password (not a column) is dropped, so no order can rank secrets.
    const order =
      typeof options.order === 'string' && options.order.trim() !== ''
        ? parseOrder(options.order, model.name, (name) => model.fields.has(name)).filter((term) => model.fields.get(term.field)?.secret !== true)
        : model.order;
    let matches: Row[] = [];
    // PostgreSQL takes OFFSET/LIMIT as integers; a fractional one must not index between rows.
    const offset = typeof options.offset === 'number' && options.offset >= 1 ? Math.trunc(options.offset) : 0;
    const limit = typeof options.limit === 'number' && options.limit >= 1 ? Math.trunc(options.limit) : undefined;
    const candidates = candidateIds(env, model, domain);
    const idOnly = order.length === 1 && order[0]!.field === 'id';
    // Many rows to consider and an order of stored fields: walk the order index and stop early.
    if (!idOnly && (candidates === undefined || candidates.length > 64) && orderIndexable(model, order)) {
      const index = this.table.orderIndex(order.map((term) => `${term.field} ${term.desc ? 'desc' : 'asc'}`).join(','), order);
      const wanted = limit === undefined ? Number.POSITIVE_INFINITY : offset + limit;
      const rows = this.table.rows;
      index.walk((id) => {
        const row = rows.get(id)!;
        if (predicate(row)) matches.push(row);
        return matches.length < wanted;
      });
      const ids: number[] = [];
      for (let i = offset; i < matches.length; i++) ids.push(matches[i]!.id);
      return ids;
    }
    if (candidates === undefined) {
      for (const row of this.table.rows.values()) if (predicate(row)) matches.push(row);
    } else {
      for (const id of candidates) {
        const row = this.table.rows.get(id)!;
        if (predicate(row)) matches.push(row);
      }
    }
    if (idOnly) {
      if (order[0]!.desc) matches.reverse();
    } else if (matches.length > 1) {
      matches = sortRows(env, model, matches, order, limit === undefined ? undefined : offset + limit);
    }
    const end = limit === undefined ? matches.length : Math.min(matches.length, offset + limit);
    const ids: number[] = [];
    for (let i = offset; i < end; i++) ids.push(matches[i]!.id);
    return ids;
  }

  searchCount(domain: Domain): number {
    const predicate = compileDomain(this.env, this.model, domain, activeTest(this.env));
    let count = 0;
    const candidates = candidateIds(this.env, this.model, domain);
    if (candidates === undefined) {
      for (const row of this.table.rows.values()) if (predicate(row)) count++;
    } else {
      for (const id of candidates) if (predicate(this.table.rows.get(id)!)) count++;
    }
    return count;
  }

  read(ids: readonly number[], fieldNames: readonly string[] = []): Record<string, unknown>[] {
    const env = this.env;
    const model = this.model;
    const names = fieldNames.length > 0 ? fieldNames : [...model.fields.keys()].filter((name) => name !== 'id');
    const readers = names.map((name) => {
      const field = model.fields.get(name);
      if (field === undefined) throw invalidField(model.name, name);
      return [name, wireReader(env, model, field)] as const;
    });
    const result: Record<string, unknown>[] = [];
    for (const id of ids) {
      const row = this.table.rows.get(id);
      if (row === undefined) continue;
      const out: Record<string, unknown> = { id };
      for (const [name, reader] of readers) out[name] = reader(row);
      result.push(out);
    }
    return result;
  }
}

/**
 * The one2many and delegated values in `vals`, in the order of its keys (the
 * order their commands run in). A model has few such fields, so checking them
 * beats looking every key of `vals` up in the model.
 */
function filledAfterInsert(model: CompiledModel, vals: Vals): Array<[CompiledField, unknown]> {
  const found: Array<[CompiledField, unknown]> = [];
  for (const field of model.filledAfterInsert) if (Object.hasOwn(vals, field.name)) found.push([field, vals[field.name]]);
  if (found.length > 1) {
    const keys = Object.keys(vals);
    found.sort((a, b) => keys.indexOf(a[0].name) - keys.indexOf(b[0].name));
  }
  return found;
}

/** Whether every term sorts on a stored scalar field (or id), so an order index can serve it. */
function orderIndexable(model: CompiledModel, order: readonly OrderTerm[]): boolean {
  return order.every((term) => {
    if (term.field === 'id') return true;
    const field = model.fields.get(term.field);
    return field?.stored && ORDER_INDEXABLE.has(field.type);
  });
}

/** Whether searches skip archived rows (context active_test, default true). */
function activeTest(env: Env): boolean {
  return env.context.active_test !== false;
}

/** A function that gives a field's wire value for a row (many2one as [id, name], floats marked). */
export function wireReader(env: Env, model: CompiledModel, field: CompiledField): (row: Row) => unknown {
  if (field.secret === true) return () => '';
  switch (field.type) {
    case 'many2one': {
      const comodel = env.db.registry.models.get(field.relation!)!;
      const table = env.db.table(comodel.name);
      return (row) => {
        const id = fieldValue(env, model, row, field);
        if (typeof id !== 'number') return false;
        const target = table.rows.get(id);
        // A dangling id still reads as a pair; Odoo would show the name it can fetch.
        return [id, target === undefined ? '' : displayNameOf(env, comodel, target)];
      };
    }
    case 'float':
    case 'monetary':
      return (row) => wireFloat(fieldValue(env, model, row, field) as number);
    case 'integer':
      // Odoo's Integer.convert_to_read: beyond 32 bits the value is sent as a float (XML-RPC ints are 32-bit).
      return (row) => {
        const value = fieldValue(env, model, row, field) as number;
        return value > 2 ** 31 - 1 || value < -(2 ** 31) ? new PyFloat(value) : value;
      };
    case 'one2many':
    case 'many2many':
      return (row) => [...(fieldValue(env, model, row, field) as number[])];
    default:
      return (row) => fieldValue(env, model, row, field);
  }
}

/** Applies x2many commands (or a bare id list) to one row's field. */
function applyX2many(handle: Handle, row: Row, field: CompiledField, value: unknown): void {
  if (value === false || value === null || value === undefined) value = [[5, 0, 0]];
  if (!Array.isArray(value)) throw valueError(`Wrong value for ${field.model}.${field.name}: ${pythonRepr(value)}`);
  const env = handle.env;
  const comodel = env.model(field.relation!);
  const isO2m = field.type === 'one2many';
  const commands: unknown[][] = value.every((item) => typeof item === 'number') ? [[6, 0, value]] : (value as unknown[][]);
  let current: number[] = isO2m ? [] : [...((row[field.name] as number[] | undefined) ?? [])];
  const link = (id: number): void => {
    if (isO2m) comodel.write([id], { [field.inverseName!]: row.id });
    else if (!current.includes(id)) current.push(id);
  };
  const unlinkRel = (id: number): void => {
    if (isO2m) {
      const inverse = env.db.registry.models.get(field.relation!)!.fields.get(field.inverseName!)!;
      if (inverse.ondelete === 'cascade' || inverse.required === true) comodel.unlink([id]);
      else comodel.write([id], { [field.inverseName!]: false });
    } else current = current.filter((other) => other !== id);
  };
  const existing = (): number[] => (isO2m ? (fieldValue(env, handle.model, row, field) as number[]) : current);
  for (const command of commands) {
    if (!Array.isArray(command)) throw valueError(`Wrong value for ${field.model}.${field.name}: ${pythonRepr(value)}`);
    const [op, id, arg] = command as [unknown, unknown, unknown];
    switch (op) {
      case 0: {
        const vals = { ...((arg as Vals | undefined) ?? {}) };
        if (isO2m) vals[field.inverseName!] = row.id;
        const created = comodel.create(vals);
        if (!isO2m) current.push(created);
        break;
      }
      case 1:
        comodel.write([id as number], (arg as Vals | undefined) ?? {});
        break;
      case 2:
        comodel.unlink([id as number]);
        if (!isO2m) current = current.filter((other) => other !== id);
        break;
      case 3:
        unlinkRel(id as number);
        break;
      case 4:
        comodel.ensureExist([id as number]);
        link(id as number);
        break;
      case 5:
        for (const other of [...existing()]) unlinkRel(other);
        break;
      case 6: {
        const wanted = ((arg as number[] | undefined) ?? []).filter((other) => typeof other === 'number');
        for (const other of [...existing()]) if (!wanted.includes(other)) unlinkRel(other);
        if (isO2m) for (const other of wanted) link(other);
        else current = [...new Set(wanted)];
        break;
      }
      default:
        throw valueError(`Wrong value for ${field.model}.${field.name}: ${pythonRepr(command)}`);
    }
  }
  if (!isO2m) handle.db.update(env.tx, handle.name, row.id, { [field.name]: current });
}

export function createModelHandle(env: Env, name: string): ModelHandle {
  return new Handle(env, compiledModel(env, name));
}
