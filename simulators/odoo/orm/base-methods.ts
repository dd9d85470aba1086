import { convertScalar, truthy } from './convert.ts';
import type { Domain } from './domain.ts';
import type { Env, ModelHandle } from './env.ts';
import { pythonRepr, typeError, valueError } from './errors.ts';
import type { MethodSpec, Vals } from './model.ts';
import type { CompiledField, CompiledModel } from './registry.ts';
import { wireFloat } from './values.ts';
import { rpcCheckAccessRights } from './rpc-access.ts';
import { readGroup } from './read-group.ts';

/** Odoo's `browse(ids)` argument: an int or a list of ints. */
export function idsOf(value: unknown): number[] {
  if (value === false || value === null || value === undefined) return [];
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) {
    return value.map((id) => {
      if (typeof id !== 'number' || !Number.isInteger(id)) throw typeError(`unhashable type: '${Array.isArray(id) ? 'list' : 'dict'}'`);
      return id;
    });
  }
  throw valueError(`Invalid ids: ${pythonRepr(value)}`);
}

function domainArg(value: unknown): Domain {
  if (value === undefined || value === null || value === false) return [];
  if (!Array.isArray(value)) throw valueError(`Invalid domain: ${pythonRepr(value)}`);
  return value;
}

function fieldsArg(value: unknown): string[] {
  if (value === undefined || value === null || value === false) return [];
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) throw typeError(`'${typeof value}' object is not iterable`);
  return value.map(String);
}

function numberArg(value: unknown): number | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value === 'number') return value;
  throw typeError(`'<' not supported between instances of '${typeof value === 'string' ? 'str' : 'list'}' and 'int'`);
}

function orderArg(value: unknown): string | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value !== 'string') throw valueError(`Invalid "order" specified (${pythonRepr(value)}).`);
  return value;
}

const SEARCH_PARAMS = ['domain', 'offset', 'limit', 'order'] as const;

const create: MethodSpec = {
  model: true,
  params: ['vals_list'],
  required: 1,
  run({ model, args }) {
    const valsList = args.vals_list;
    if (Array.isArray(valsList)) {
      for (const vals of valsList) {
        if (vals === null || typeof vals !== 'object' || Array.isArray(vals))
          throw valueError(`dictionary update sequence element #0 has length 1; 2 is required`);
      }
      return model.createMany(valsList as Vals[]);
    }
    if (valsList === null || typeof valsList !== 'object') throw typeError(`'${typeof valsList}' object is not iterable`);
    return model.create(valsList as Vals);
  },
};

const read: MethodSpec = {
  params: ['fields', 'load'],
  required: 0,
  run({ model, ids, args }) {
    return model.read(ids, fieldsArg(args.fields));
  },
};

const write: MethodSpec = {
  params: ['vals'],
  required: 1,
  run({ model, ids, args }) {
    if (args.vals === null || typeof args.vals !== 'object' || Array.isArray(args.vals))
      throw valueError(`write() expects a dict of values, got ${pythonRepr(args.vals)}`);
    model.write(ids, args.vals as Vals);
    return true;
  },
};

const unlink: MethodSpec = {
  params: [],
  run({ model, ids }) {
    model.unlink(ids);
    return true;
  },
};

const search: MethodSpec = {
  model: true,
  params: SEARCH_PARAMS,
  required: 1,
  run({ model, args }) {
    return model.search(domainArg(args.domain), { offset: numberArg(args.offset), limit: numberArg(args.limit), order: orderArg(args.order) });
  },
};

const searchCount: MethodSpec = {
  model: true,
  params: ['domain', 'limit'],
  required: 1,
  run({ model, args }) {
    const count = model.searchCount(domainArg(args.domain));
    const limit = numberArg(args.limit);
    return limit !== undefined && limit > 0 ? Math.min(count, limit) : count;
  },
};

const searchRead: MethodSpec = {
  model: true,
  params: ['domain', 'fields', 'offset', 'limit', 'order'],
  required: 0,
  anyKwargs: true,
  run({ model, args }) {
    const fields = fieldsArg(args.fields);
    // Odoo validates the fields before searching.
    model.read([], fields);
    const ids = model.search(domainArg(args.domain), { offset: numberArg(args.offset), limit: numberArg(args.limit), order: orderArg(args.order) });
    return model.read(ids, fields);
  },
};

const ALL_ATTRIBUTES = [
  'change_default',
  'company_dependent',
  'currency_field',
  'digits',
  'help',
  'name',
  'readonly',
  'relation',
  'relation_field',
  'required',
  'searchable',
  'selection',
  'sortable',
  'store',
  'string',
  'type',
] as const;

/** One field's description as fields_get answers it. */
export function describeField(model: CompiledModel, field: CompiledField): Record<string, unknown> {
  const stored = field.stored || field.store === true || field.delegatedVia !== undefined;
  const description: Record<string, unknown> = {
    change_default: false,
    company_dependent: false,
    name: field.name,
    readonly: field.readonly === true || (field.compute !== undefined && field.store !== true) || field.name === 'id',
    required: field.required === true,
    searchable: true,
    sortable: stored && field.type !== 'one2many' && field.type !== 'many2many',
    store: stored && field.type !== 'one2many',
    string: field.string,
    type: field.type,
  };
  if (field.help !== undefined) description.help = field.help;
  if (field.relation !== undefined) description.relation = field.relation;
  if (field.inverseName !== undefined) description.relation_field = field.inverseName;
  if (field.selection !== undefined) description.selection = field.selection.map(([key, label]) => [key, label]);
  if (field.digits !== undefined) description.digits = [...field.digits];
  if (field.type === 'monetary') description.currency_field = field.currencyField ?? 'currency_id';
  void model;
  return description;
}

const fieldsGet: MethodSpec = {
  model: true,
  params: ['allfields', 'attributes'],
  required: 0,
  run({ env, model, args }) {
    const compiled = env.db.registry.models.get(model.name)!;
    const wanted = fieldsArg(args.allfields);
    const attributes = fieldsArg(args.attributes);
    const result: Record<string, unknown> = {};
    const names = wanted.length > 0 ? wanted : [...compiled.fields.keys()];
    for (const name of names) {
      const field = compiled.fields.get(name);
      if (field === undefined) continue;
      const description = describeField(compiled, field);
      if (attributes.length === 0) result[name] = description;
      else {
        const filtered: Record<string, unknown> = {};
        for (const attribute of attributes) if (attribute in description) filtered[attribute] = description[attribute];
        result[name] = filtered;
      }
    }
    void ALL_ATTRIBUTES;
    return result;
  },
};

/** Odoo's name_search over the record name, answering [[id, display_name], ...]. */
export function nameSearch(model: ModelHandle, name: string, domain: Domain, operator: string, limit: number | undefined, searchField: string): unknown[] {
  const full = name === '' && (operator === 'ilike' || operator === 'like') ? [...domain] : [...domain, [searchField, operator, name]];
  const ids = model.search(full, { limit });
  return ids.map((id) => [id, model.displayName(id)]);
}

const nameSearchMethod: MethodSpec = {
  model: true,
  params: ['name', 'args', 'operator', 'limit'],
  required: 0,
  run({ env, model, args }) {
    const compiled = env.db.registry.models.get(model.name)!;
    const limit = args.limit === undefined ? 100 : numberArg(args.limit);
    const name = args.name === undefined || args.name === false ? '' : String(args.name);
    return nameSearch(model, name, domainArg(args.args), typeof args.operator === 'string' ? args.operator : 'ilike', limit, compiled.recName);
  },
};

const nameGet: MethodSpec = {
  params: [],
  run({ model, ids }) {
    return model.exists(ids).map((id) => [id, model.displayName(id)]);
  },
};

/** Default values in write form (many2one as id, floats marked), as default_get answers. */
export function defaultsFor(env: Env, compiled: CompiledModel, names: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const name of names) {
    const field = compiled.fields.get(name);
    if (field === undefined) continue;
    let value = env.context[`default_${name}`];
    if (value === undefined) {
      if (field.default === undefined) continue;
      value = typeof field.default === 'function' ? (field.default as (env: Env) => unknown)(env) : field.default;
    }
    if (field.type === 'float' || field.type === 'monetary') value = wireFloat(convertScalar(field, value) as number);
    result[name] = value;
  }
  return result;
}

const defaultGet: MethodSpec = {
  model: true,
  params: ['fields_list'],
  required: 1,
  run({ env, model, args }) {
    return defaultsFor(env, env.db.registry.models.get(model.name)!, fieldsArg(args.fields_list));
  },
};

const copy: MethodSpec = {
  params: ['default'],
  required: 0,
  run({ env, model, ids, args }) {
    const compiled = env.db.registry.models.get(model.name)!;
    model.ensureExist(ids);
    const overrides = (args.default ?? {}) as Vals;
    const created: number[] = [];
    for (const id of ids) {
      const vals: Vals = {};
      for (const field of compiled.fields.values()) {
        if (!field.stored || field.copy === false || field.name.startsWith('create_') || field.name.startsWith('write_')) continue;
        if (compiled.inherits.some(([, link]) => link === field.name)) continue;
        vals[field.name] = model.get(id, field.name);
      }
      for (const field of compiled.fields.values()) {
        if (
          field.delegatedVia !== undefined &&
          field.stored === false &&
          field.copy !== false &&
          field.compute === undefined &&
          field.related === undefined &&
          field.type !== 'one2many'
        ) {
          const parentField = env.db.registry.models.get(compiled.fields.get(field.delegatedVia)!.relation!)!.fields.get(field.name)!;
          if (parentField.stored && !field.name.startsWith('create_') && !field.name.startsWith('write_')) vals[field.name] = model.get(id, field.name);
        }
      }
      Object.assign(vals, overrides);
      created.push(model.create(vals));
    }
    return created.length === 1 ? created[0] : created;
  },
};

const exists: MethodSpec = {
  params: [],
  run({ model, ids }) {
    return model.exists(ids);
  },
};

const checkAccessRights: MethodSpec = {
  model: true,
  params: ['operation', 'raise_exception'],
  required: 1,
  run({ env, model, args }) {
    return rpcCheckAccessRights(env, model.name, args);
  },
};

function setActive(active: boolean): MethodSpec {
  return {
    params: [],
    run({ env, model, ids }) {
      const compiled = env.db.registry.models.get(model.name)!;
      if (!compiled.hasActive) throw valueError(`The model ${model.name} has no active field.`);
      const targets = ids.filter((id) => truthy(model.get(id, 'active')) !== active);
      if (targets.length > 0) model.write(targets, { active });
      return true;
    },
  };
}

const nameCreate: MethodSpec = {
  model: true,
  params: ['name'],
  required: 1,
  run({ env, model, args }) {
    const compiled = env.db.registry.models.get(model.name)!;
    const id = model.create({ [compiled.recName]: args.name });
    return [id, model.displayName(id)];
  },
};

/** The methods every model answers over RPC, unless the model overrides them by name. */
export const BASE_METHODS: ReadonlyMap<string, MethodSpec> = new Map<string, MethodSpec>([
  ['create', create],
  ['read', read],
  ['write', write],
  ['unlink', unlink],
  ['search', search],
  ['search_count', searchCount],
  ['search_read', searchRead],
  ['fields_get', fieldsGet],
  ['name_search', nameSearchMethod],
  ['name_get', nameGet],
  ['name_create', nameCreate],
  ['default_get', defaultGet],
  ['copy', copy],
  ['exists', exists],
  ['check_access_rights', checkAccessRights],
  ['read_group', readGroup],
  ['action_archive', setActive(false)],
  ['action_unarchive', setActive(true)],
]);
