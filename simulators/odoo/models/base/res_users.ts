import { fields } from '../../orm/fields.ts';
import { ValidationError } from '../../orm/errors.ts';
import { defineModel, modelMethod } from '../../orm/model.ts';
import type { Env } from '../../orm/env.ts';

function refuseDuplicateLogin(env: Env, login: unknown, exceptId?: number): void {
  if (typeof login !== 'string') return;
  const users = env.withContext({ active_test: false }).model('res.users');
  const clash = users.search([['login', '=', login]]).filter((id) => id !== exceptId);
  if (clash.length > 0) throw new ValidationError('The operation cannot be completed: You can not have two users with the same login!');
}

/** Users log in over RPC; their partner carries the name (Odoo's _inherits). */
export const resUsers = defineModel({
  name: 'res.users',
  description: 'User',
  order: 'name, login',
  inherits: { 'res.partner': 'partner_id' },
  displayName: (env, row) => String(env.model('res.partner').row(row.partner_id as number)?.name ?? ''),
  fields: {
    partner_id: fields.many2one('res.partner', { string: 'Related Partner', required: true, ondelete: 'restrict' }),
    login: fields.char({ string: 'Login', required: true }),
    password: fields.char({ string: 'Password', secret: true, copy: false }),
    active: fields.boolean({ string: 'Active', default: true }),
    share: fields.boolean({ string: 'Share User', default: false }),
    company_id: fields.many2one('res.company', { string: 'Company', required: true, default: (env) => env.companyId }),
    company_ids: fields.many2many('res.company', { string: 'Companies', default: (env) => [[6, 0, [env.companyId]]] }),
    login_date: fields.datetime('Latest authentication'),
    groups_id: fields.many2many('res.groups', {
      string: 'Groups',
      // Odoo gives new users the default user template's groups: at least Internal User.
      default: (env) => {
        const internal = env.model('ir.model.data').search([['module', '=', 'base'], ['name', '=', 'group_user']], { limit: 1 });
        const group = internal.length > 0 ? env.model('ir.model.data').get(internal[0]!, 'res_id') : undefined;
        return typeof group === 'number' && group > 0 ? [[6, 0, [group]]] : [];
      },
    }),
  },
  methods: {
    // What clients such as odoorpc ask right after logging in.
    context_get: modelMethod([], ({ env }) => {
      const user = env.model('res.users').row(env.uid);
      const partner = user === undefined ? undefined : env.model('res.partner').row(user.partner_id as number);
      return { lang: partner?.lang ?? 'en_US', tz: partner?.tz ?? false, uid: env.uid };
    }),
  },
  hooks: {
    beforeCreate(env, vals) {
      refuseDuplicateLogin(env, vals.login);
    },
    beforeWrite(env, ids, vals) {
      if ('login' in vals) for (const id of ids) refuseDuplicateLogin(env, vals.login, id);
    },
  },
});
