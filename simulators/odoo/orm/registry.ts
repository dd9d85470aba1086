import type { GroupLabel, ModelAccessRule, RecordRule } from './access.ts';
import type { Env } from './env.ts';
import type { FieldSpec } from './fields.ts';
import type { MethodSpec, ModelExtension, ModelHooks, ModelSpec, Row } from './model.ts';
import type { OdooModule } from './module.ts';
import { parseOrder, type OrderTerm } from './order.ts';
import type { SequenceSpec } from './sequences.ts';
import { fields as f } from './fields.ts';

/** A field with its name and how the ORM reaches its value. */
export interface CompiledField extends FieldSpec {
  readonly name: string;
  readonly model: string;
  /** Lives on the stored row (not computed, related, one2many or delegated). */
  readonly stored: boolean;
  /** `_inherits`: the many2one on this model that leads to the parent holding the field. */
  readonly delegatedVia?: string;
  readonly relatedPath?: readonly string[];
  /** Stored but read back as '' (passwords). */
  readonly secret?: boolean;
}

/** A model with every extension folded in. Built once per module set, shared by databases. */
export class CompiledModel {
  readonly name: string;
  readonly description: string;
  readonly recName: string;
  readonly transient: boolean;
  readonly readonlyOverRpc: boolean;
  readonly fields = new Map<string, CompiledField>();
  readonly methods = new Map<string, MethodSpec>();
  readonly hooks: ModelHooks[] = [];
  /** parent model → link field. */
  readonly inherits: ReadonlyArray<readonly [string, string]>;
  displayName: ((env: Env, row: Row) => string) | undefined;
  orderText: string;
  order: OrderTerm[] = [];
  /** many2one fields that keep an inverse index (targets of one2many, or index: true). */
  readonly indexed = new Set<string>();
  /** Stored field names, for defaults and copies. */
  storedFields: CompiledField[] = [];
  /** Own (not delegated) fields that declare a default. */
  defaulted: CompiledField[] = [];
  /** Stored many2one fields whose target must exist (all but the audit columns). */
  foreignKeyFields: CompiledField[] = [];
  /** one2many and delegated fields: create fills them in once the row exists. */
  filledAfterInsert: CompiledField[] = [];
  /** Whether the model has an `active` field (active_test applies). */
  hasActive = false;

  constructor(spec: ModelSpec) {
    this.name = spec.name;
    this.description = spec.description;
    this.recName = spec.recName ?? 'name';
    this.transient = spec.transient === true;
    this.readonlyOverRpc = spec.readonlyOverRpc === true;
    this.inherits = Object.entries(spec.inherits ?? {});
    this.displayName = spec.displayName;
    this.orderText = spec.order ?? 'id';
  }

  field(name: string): CompiledField | undefined {
    return this.fields.get(name);
  }
}

const MAGIC_FIELDS: Record<string, FieldSpec> = {
  id: f.integer({ string: 'ID', readonly: true }),
  display_name: f.char({ string: 'Display Name', readonly: true }),
  create_uid: f.many2one('res.users', { string: 'Created by', readonly: true }),
  create_date: f.datetime({ string: 'Created on', readonly: true }),
  write_uid: f.many2one('res.users', { string: 'Last Updated by', readonly: true }),
  write_date: f.datetime({ string: 'Last Updated on', readonly: true }),
};

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The hooks with every hook key present, in one order: one object shape for all models, so calling them stays cheap. */
function sameShapeHooks(hooks: ModelHooks): ModelHooks {
  return {
    beforeCreate: hooks.beforeCreate,
    afterInsert: hooks.afterInsert,
    afterCreate: hooks.afterCreate,
    beforeWrite: hooks.beforeWrite,
    afterWrite: hooks.afterWrite,
    beforeStore: hooks.beforeStore,
    beforeUnlink: hooks.beforeUnlink,
  };
}

/** All models of an installed module set: Odoo's registry. */
export class Registry {
  readonly models = new Map<string, CompiledModel>();
  readonly modules: readonly OdooModule[];
  readonly sequences: SequenceSpec[] = [];
  /** model → its ir.model.access rows. */
  readonly modelAccess = new Map<string, ModelAccessRule[]>();
  /** model → its ir.rule rows. */
  readonly recordRules = new Map<string, RecordRule[]>();
  /** group external id → how access errors name it. */
  readonly groupLabels = new Map<string, GroupLabel>();

  constructor(modules: readonly OdooModule[]) {
    this.modules = modules;
    for (const module of modules) {
      for (const group of module.groups ?? []) this.groupLabels.set(group.xmlid, group);
      for (const rule of module.modelAccess ?? []) pushTo(this.modelAccess, rule.model, rule);
      for (const rule of module.recordRules ?? []) pushTo(this.recordRules, rule.model, rule);
    }
    for (const module of modules) for (const spec of module.models ?? []) this.#define(spec);
    for (const module of modules) for (const extension of module.extensions ?? []) this.#extend(extension);
    for (const module of modules) this.sequences.push(...(module.sequences ?? []));
    this.#link();
  }

  model(name: string): CompiledModel | undefined {
    return this.models.get(name);
  }

  #define(spec: ModelSpec): void {
    if (this.models.has(spec.name)) throw new Error(`model ${spec.name} is declared twice; use extendModel() to add to it`);
    const model = new CompiledModel(spec);
    this.models.set(spec.name, model);
    for (const [name, field] of Object.entries(MAGIC_FIELDS)) this.#addField(model, name, field);
    this.#addFields(model, spec.fields);
    for (const [name, method] of Object.entries(spec.methods ?? {})) model.methods.set(name, method);
    if (spec.hooks !== undefined) model.hooks.push(sameShapeHooks(spec.hooks));
  }

  #extend(extension: ModelExtension): void {
    const model = this.models.get(extension.name);
    if (model === undefined) throw new Error(`extendModel: model ${extension.name} is not declared by any module listed before`);
    this.#addFields(model, extension.fields ?? {});
    for (const [name, method] of Object.entries(extension.methods ?? {})) model.methods.set(name, method);
    if (extension.hooks !== undefined) model.hooks.push(sameShapeHooks(extension.hooks));
    if (extension.displayName !== undefined) model.displayName = extension.displayName;
    if (extension.order !== undefined) model.orderText = extension.order;
  }

  #addFields(model: CompiledModel, specs: Readonly<Record<string, FieldSpec>>): void {
    for (const [name, spec] of Object.entries(specs)) this.#addField(model, name, spec);
  }

  #addField(model: CompiledModel, name: string, spec: FieldSpec, delegatedVia?: string): void {
    const stored =
      delegatedVia === undefined &&
      spec.compute === undefined &&
      spec.related === undefined &&
      spec.type !== 'one2many' &&
      name !== 'id' &&
      name !== 'display_name';
    // Every compiled field gets the same properties in the same order (absent ones undefined):
    // spread specs took dozens of object shapes, so each `field.type` or `field.name` in the
    // ORM's hot paths was a megamorphic lookup (a tenth of create+confirm's time).
    const compiled: CompiledField = {
      type: spec.type,
      string: spec.string,
      required: spec.required,
      readonly: spec.readonly,
      help: spec.help,
      default: spec.default,
      compute: spec.compute,
      store: spec.store,
      related: spec.related,
      relation: spec.relation,
      inverseName: spec.inverseName,
      ondelete: spec.ondelete,
      selection: spec.selection,
      digits: spec.digits,
      currencyField: spec.currencyField,
      copy: spec.copy,
      index: spec.index,
      secret: spec.secret,
      keep: spec.keep,
      name,
      model: model.name,
      stored,
      delegatedVia,
      relatedPath: spec.related?.split('.'),
    };
    model.fields.set(name, compiled);
  }

  /** Resolves what needs all models: delegation, inverse indexes, orders. */
  #link(): void {
    for (const model of this.models.values()) {
      for (const [parentName, link] of model.inherits) {
        const parent = this.models.get(parentName);
        if (parent === undefined) throw new Error(`${model.name} inherits ${parentName}, which no module declares`);
        for (const [name, field] of parent.fields) {
          if (name in MAGIC_FIELDS || model.fields.has(name)) continue;
          this.#addField(model, name, field, link);
        }
      }
    }
    for (const model of this.models.values()) {
      for (const field of model.fields.values()) {
        if (field.relation !== undefined && !this.models.has(field.relation)) {
          throw new Error(`${model.name}.${field.name} points to ${field.relation}, which no module declares`);
        }
        if (field.type === 'one2many' && field.delegatedVia === undefined) {
          const comodel = this.models.get(field.relation!)!;
          const inverse = comodel.fields.get(field.inverseName!);
          if (inverse === undefined || inverse.type !== 'many2one') {
            throw new Error(`${model.name}.${field.name}: ${field.relation}.${field.inverseName} must be a many2one`);
          }
          comodel.indexed.add(inverse.name);
        }
        // Every stored many2one keeps an inverse index: one2many reads, unlink
        // cascades and searches on `x_id = n` then skip the full scan.
        if (field.type === 'many2one' && field.stored) model.indexed.add(field.name);
      }
      model.hasActive = model.fields.get('active')?.type === 'boolean';
    }
    for (const model of this.models.values()) {
      model.storedFields = [...model.fields.values()].filter((field) => field.stored);
      model.defaulted = [...model.fields.values()].filter((field) => field.default !== undefined && field.delegatedVia === undefined);
      model.foreignKeyFields = model.storedFields.filter((field) => field.type === 'many2one' && field.name !== 'create_uid' && field.name !== 'write_uid');
      model.filledAfterInsert = [...model.fields.values()].filter((field) => field.type === 'one2many' || field.delegatedVia !== undefined);
      model.order = parseOrder(model.orderText, model.name, (name) => model.fields.has(name));
    }
  }
}
