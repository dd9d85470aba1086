import { fields } from '../../orm/fields.ts';
import type { Env } from '../../orm/env.ts';
import { defineModel, modelMethod } from '../../orm/model.ts';
import { ValidationError, valueError } from '../../orm/errors.ts';

/** PostgreSQL's constraints on ir_model_data, as Odoo 17 reports their violations. */
function checkExternalIds(env: Env, ids: readonly number[]): void {
  const data = env.model('ir.model.data');
  for (const id of ids) {
    const row = data.row(id);
    if (row === undefined) continue;
    if (typeof row.name === 'string' && row.name.includes(' ')) {
      throw new ValidationError('The operation cannot be completed: External IDs cannot contain spaces');
    }
    const same = data.search(
      [
        ['module', '=', row.module],
        ['name', '=', row.name],
      ],
      { limit: 2 },
    );
    if (same.length > 1) {
      // A unique index, not a declared constraint: Odoo passes PostgreSQL's own text through.
      throw new ValidationError(
        'The operation cannot be completed: duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index"\n' +
          `DETAIL:  Key (module, name)=(${String(row.module)}, ${String(row.name)}) already exists.\n`,
      );
    }
  }
}

/** Module categories: what groups are grouped by (Sales, Inventory, User types, ...). */
export const irModuleCategory = defineModel({
  name: 'ir.module.category',
  description: 'Application',
  order: 'name',
  fields: {
    name: fields.char({ string: 'Name', required: true }),
    sequence: fields.integer('Sequence'),
    visible: fields.boolean({ string: 'Visible', default: true }),
  },
});

/** Access groups. Membership is enforced by orm/access.ts from the modules' access data. */
export const resGroups = defineModel({
  name: 'res.groups',
  description: 'Access Groups',
  order: 'name',
  fields: {
    name: fields.char({ string: 'Name', required: true }),
    category_id: fields.many2one('ir.module.category', { string: 'Application', index: true }),
    // Odoo's display form: 'Sales / Administrator' (access errors use 'Sales/Administrator').
    full_name: fields.char({
      string: 'Group Name',
      compute: (env, row) => {
        const category = typeof row.category_id === 'number' ? env.model('ir.module.category').row(row.category_id) : undefined;
        return category === undefined ? row.name : `${String(category.name)} / ${String(row.name)}`;
      },
    }),
    implied_ids: fields.many2many('res.groups', 'Inherits'),
    comment: fields.text('Comment'),
    share: fields.boolean({ string: 'Share Group', default: false }),
  },
});

/** The config wizard integrations sometimes poke; only Settings users may create it. */
export const resConfigSettings = defineModel({
  name: 'res.config.settings',
  description: 'Config Settings',
  transient: true,
  fields: {
    company_id: fields.many2one('res.company', { string: 'Company', default: (env) => env.companyId }),
  },
});

/** External ids (`module.name`), so clients can find master data the way Odoo's data files name it. */
export const irModelData = defineModel({
  name: 'ir.model.data',
  description: 'Model Data',
  order: 'module, model, name',
  recName: 'complete_name',
  fields: {
    name: fields.char({ string: 'External Identifier', required: true }),
    module: fields.char({ string: 'Module', required: true, default: '' }),
    model: fields.char({ string: 'Model Name', required: true }),
    res_id: fields.integer('Record ID'),
    noupdate: fields.boolean({ string: 'Non Updatable', default: false }),
    complete_name: fields.char({ string: 'Complete ID', compute: (_env, row) => `${String(row.module)}.${String(row.name)}` }),
    reference: fields.char({ string: 'Reference', compute: (_env, row) => `${String(row.model)},${String(row.res_id)}` }),
  },
  hooks: {
    afterCreate(env, ids) {
      checkExternalIds(env, ids);
    },
    afterWrite(env, ids, vals) {
      if (vals.name !== undefined || vals.module !== undefined) checkExternalIds(env, ids);
    },
  },
  methods: {
    // Odoo's env.ref over RPC (odoorpc's env.ref): [model, id], or ValueError when unknown.
    check_object_reference: modelMethod(
      ['module', 'xml_id', 'raise_on_access_error'],
      ({ model, args }) => {
        const [id] = model.search(
          [
            ['module', '=', args.module],
            ['name', '=', args.xml_id],
          ],
          { limit: 1 },
        );
        if (id === undefined) throw valueError(`External ID not found in the system: ${String(args.module)}.${String(args.xml_id)}`);
        return [model.get(id, 'model'), model.get(id, 'res_id')];
      },
      2,
    ),
  },
});

/** The installed models, as `'x' in odoo.env` (odoorpc) and other clients look them up. */
export const irModel = defineModel({
  name: 'ir.model',
  description: 'Models',
  order: 'model',
  fields: {
    name: fields.char({ string: 'Model Description', required: true }),
    model: fields.char({ string: 'Model', required: true }),
    transient: fields.boolean({ string: 'Transient Model', default: false }),
    state: fields.selection(
      [
        ['manual', 'Custom Object'],
        ['base', 'Base Object'],
      ],
      { string: 'Type', default: 'base' },
    ),
  },
});

/** The model access rows the emulator enforces (orm/access.ts), readable as Odoo lists them. */
export const irModelAccess = defineModel({
  name: 'ir.model.access',
  description: 'Model Access',
  order: 'model_id,group_id,name,id',
  fields: {
    name: fields.char({ string: 'Name', required: true, index: true }),
    active: fields.boolean({ string: 'Active', default: true }),
    model_id: fields.many2one('ir.model', { string: 'Model', required: true, index: true, ondelete: 'cascade' }),
    group_id: fields.many2one('res.groups', { string: 'Group', index: true, ondelete: 'restrict' }),
    perm_read: fields.boolean({ string: 'Read Access', default: false }),
    perm_write: fields.boolean({ string: 'Write Access', default: false }),
    perm_create: fields.boolean({ string: 'Create Access', default: false }),
    perm_unlink: fields.boolean({ string: 'Delete Access', default: false }),
  },
  // Editing these rows would not change what the emulator enforces, so refuse it rather than mislead.
  readonlyOverRpc: true,
});

/** One ir.model.access row per rule the modules declare, for the models installed. */
export function seedModelAccess(env: Env): void {
  const models = new Map<string, number>();
  for (const id of env.model('ir.model').allIds()) models.set(String(env.model('ir.model').get(id, 'model')), id);
  const groups = new Map<string, number>();
  for (const id of env.model('ir.model.data').search([['model', '=', 'res.groups']])) {
    const row = env.model('ir.model.data').row(id)!;
    groups.set(`${String(row.module)}.${String(row.name)}`, row.res_id as number);
  }
  const access = env.model('ir.model.access');
  for (const [model, rules] of env.db.registry.modelAccess) {
    const modelId = models.get(model);
    if (modelId === undefined) continue;
    for (const rule of rules) {
      access.create({
        name: `access_${model.replace(/\./g, '_')}_${rule.group?.split('.')[1] ?? 'all'}`,
        model_id: modelId,
        group_id: rule.group === null ? false : (groups.get(rule.group) ?? false),
        perm_read: rule.perms[0] !== '-',
        perm_write: rule.perms[1] !== '-',
        perm_create: rule.perms[2] !== '-',
        perm_unlink: rule.perms[3] !== '-',
      });
    }
  }
}

/** Names a seeded record the way Odoo's data files do (`base.main_company`). */
export function xmlId(env: Env, complete: string, model: string, resId: number): void {
  const [module, name] = complete.split('.') as [string, string];
  env.model('ir.model.data').create({ module, name, model, res_id: resId, noupdate: true });
}

/** One ir.model row per installed model. */
export function seedModels(env: Env): void {
  const models = env.model('ir.model');
  for (const compiled of env.db.registry.models.values()) {
    models.create({ name: compiled.description, model: compiled.name, transient: compiled.transient });
  }
}
