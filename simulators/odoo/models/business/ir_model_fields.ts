import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel } from '../../orm/model.ts';
import type { CompiledField } from '../../orm/registry.ts';

/**
 * The fields of installed models, as far as the emulator needs them: what a
 * tracking value points at (`field_id`). A row appears the first time a field
 * is tracked, not for every field of every model, which a fresh database would
 * list but which would cost each database a few thousand rows nobody reads.
 */
export const irModelFields = defineModel({
  name: 'ir.model.fields',
  description: 'Fields',
  order: 'name',
  fields: {
    name: fields.char({ string: 'Field Name', required: true, index: true }),
    model: fields.char({ string: 'Model Name', required: true, index: true }),
    model_id: fields.many2one('ir.model', { string: 'Model', ondelete: 'cascade' }),
    field_description: fields.char({ string: 'Field Label', required: true }),
    ttype: fields.char({ string: 'Field Type', required: true }),
    relation: fields.char('Related Model'),
    store: fields.boolean({ string: 'Stored', default: true }),
    readonly: fields.boolean({ string: 'Readonly', default: false }),
    required: fields.boolean({ string: 'Required', default: false }),
    tracking: fields.integer('Enable Ordered Tracking'),
  },
  // ir.model.fields._compute_display_name: the label, then the model's description ("Status (Transfer)").
  displayName: (env, row) => `${String(row.field_description)} (${env.db.registry.models.get(String(row.model))?.description ?? String(row.model)})`,
  readonlyOverRpc: true,
});

const fieldIds = new WeakMap<object, Map<string, number>>();

export function irModelFieldId(env: Env, model: string, field: CompiledField, tracking = 100): number {
  let ids = fieldIds.get(env.db);
  if (ids === undefined) fieldIds.set(env.db, (ids = new Map()));
  const key = `${model}.${field.name}`;
  const known = ids.get(key);
  if (known !== undefined && env.model('ir.model.fields').row(known) !== undefined) return known;
  const handle = env.model('ir.model.fields');
  let id = handle.search(
    [
      ['model', '=', model],
      ['name', '=', field.name],
    ],
    { limit: 1 },
  )[0];
  if (id === undefined) {
    const modelId = env.model('ir.model').search([['model', '=', model]], { limit: 1 })[0] ?? false;
    id = handle.create({
      name: field.name,
      model,
      model_id: modelId,
      field_description: field.string,
      ttype: field.type,
      relation: field.relation ?? false,
      store: field.stored || field.store === true,
      readonly: field.readonly === true,
      required: field.required === true,
      tracking,
    });
  }
  ids.set(key, id);
  return id;
}
