import { fields } from '../../orm/fields.ts';
import { ValidationError } from '../../orm/errors.ts';
import { defineModel, modelMethod } from '../../orm/model.ts';
import type { Env } from '../../orm/env.ts';
import { DEFAULT_USER_GROUPS } from './security/groups.ts';

function refuseDuplicateLogin(env: Env, login: unknown, exceptId?: number): void {
  if (typeof login !== 'string') return;
  const users = env.withContext({ active_test: false }).model('res.users');
  const clash = users.search([['login', '=', login]]).filter((id) => id !== exceptId);
  if (clash.length > 0) throw new ValidationError('The operation cannot be completed: You can not have two users with the same login!');
}

function groupId(env: Env, xmlid: string): number | undefined {
  const [module, name] = xmlid.split('.') as [string, string];
  const data = env.model('ir.model.data');
  const [row] = data.search(
    [
      ['module', '=', module],
      ['name', '=', name],
    ],
    { limit: 1 },
  );
  return row === undefined ? undefined : (data.get(row, 'res_id') as number);
}

function defaultGroups(env: Env): number[] {
  const template = defaultUserTemplate(env);
  if (template !== undefined) return [...((env.model('res.users').row(template)?.groups_id as readonly number[] | undefined) ?? [])];
  // Seeding the template itself: the groups a fresh database gives it.
  return DEFAULT_USER_GROUPS.map((xmlid) => groupId(env, xmlid)).filter((id): id is number => id !== undefined);
}

function defaultUserTemplate(env: Env): number | undefined {
  const data = env.model('ir.model.data');
  const [row] = data.search(
    [
      ['module', '=', 'base'],
      ['name', '=', 'default_user'],
    ],
    { limit: 1 },
  );
  return row === undefined ? undefined : (data.get(row, 'res_id') as number);
}

/**
 * res.users create/write (UsersImplied): a user's stored groups always hold the
 * groups theirs imply, transitively. They are kept in res.groups' order (name),
 * which is how Odoo reads a many2many back.
 */
function addImpliedGroups(env: Env, ids: readonly number[]): void {
  const users = env.model('res.users');
  const groups = env.model('res.groups');
  for (const id of ids) {
    const own = (users.row(id)?.groups_id as readonly number[] | undefined) ?? [];
    const closure = new Set(own);
    const todo = [...own];
    while (todo.length > 0) {
      for (const implied of (groups.row(todo.pop()!)?.implied_ids as readonly number[] | undefined) ?? []) {
        if (!closure.has(implied)) {
          closure.add(implied);
          todo.push(implied);
        }
      }
    }
    const name = (group: number): string => String(groups.row(group)?.name ?? '');
    const ordered = [...closure].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : a - b));
    if (ordered.length !== own.length || ordered.some((group, i) => group !== own[i])) users.setStored([id], { groups_id: ordered });
  }
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
    // Odoo stores it from the groups: a user outside Internal User is a portal/public ("share") user.
    share: fields.boolean({
      string: 'Share User',
      compute: (env, row) => !(row.groups_id as readonly number[]).includes(groupId(env, 'base.group_user') ?? -1),
    }),
    company_id: fields.many2one('res.company', { string: 'Company', required: true, default: (env) => env.companyId }),
    company_ids: fields.many2many('res.company', { string: 'Companies', default: (env) => [[6, 0, [env.companyId]]] }),
    login_date: fields.datetime('Latest authentication'),
    groups_id: fields.many2many('res.groups', {
      string: 'Groups',
      // res_users.py _default_groups: the Default User Template's groups (a fresh database gives it sales, inventory and billing rights).
      default: (env) => [[6, 0, defaultGroups(env)]],
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
    afterCreate(env, ids) {
      addImpliedGroups(env, ids);
    },
    beforeWrite(env, ids, vals) {
      if ('login' in vals) for (const id of ids) refuseDuplicateLogin(env, vals.login, id);
    },
    afterWrite(env, ids, vals) {
      if ('groups_id' in vals) addImpliedGroups(env, ids);
    },
  },
});
