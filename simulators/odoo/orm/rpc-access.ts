import { type AccessMode, asOneTerm as asTerm, bypassesAccess, checkAccessRightsMethod, checkModelAccess, recordRuleError, ruleDomain } from './access.ts';
import type { Env } from './env.ts';
import type { Args, MethodSpec } from './model.ts';
import type { CompiledModel } from './registry.ts';

/**
 * Where Odoo's ORM checks access for a method called over RPC. The emulator
 * checks once, at the call's entry, for the model called: model code then runs
 * as if it had sudo (Odoo's business methods mostly sudo their side effects
 * anyway, e.g. stock moves from a confirmed order).
 */
const MODES: Readonly<Record<string, readonly AccessMode[]>> = {
  create: ['create'],
  name_create: ['create'],
  copy: ['read', 'create'],
  write: ['write'],
  action_archive: ['write'],
  action_unarchive: ['write'],
  unlink: ['unlink'],
  read: ['read'],
  search: ['read'],
  search_read: ['read'],
  search_count: ['read'],
  name_search: ['read'],
  name_get: ['read'],
  read_group: ['read'],
  web_search_read: ['read'],
  web_read: ['read'],
};

/** Methods that check nothing in Odoo (metadata, or checks of their own). */
const UNCHECKED = new Set(['fields_get', 'default_get', 'exists', 'check_access_rights', 'context_get', 'onchange', 'check_object_reference']);

/** The parameter that holds a search method's domain. */
const DOMAIN_PARAM: Readonly<Record<string, string>> = {
  search: 'domain',
  search_read: 'domain',
  search_count: 'domain',
  read_group: 'domain',
  name_search: 'args',
};

/** Checks model access and record rules for one RPC call; narrows search domains by record rules. */
export function enforceRpcAccess(env: Env, model: CompiledModel, method: string, spec: MethodSpec, ids: readonly number[], args: Args): void {
  if (method === 'check_access_rights') return;
  if (bypassesAccess(env) || model.name === 'faultline.access.log' || UNCHECKED.has(method)) return;
  if (model.name === 'res.users' && method === 'read' && readsOwnSafeFields(env, ids, args.fields)) return;
  // A business method (action_confirm, button_validate, ...) writes the records it runs on; an @api.model one checks its own.
  const modes = MODES[method] ?? (spec.model === true ? [] : ['write']);
  for (const mode of modes) checkModelAccess(env, model.name, mode);
  const domainParam = DOMAIN_PARAM[method];
  if (domainParam !== undefined) {
    const rule = ruleDomain(env, model.name, 'read');
    if (rule !== undefined && rule.length > 0) {
      const given = args[domainParam];
      const user = Array.isArray(given) ? given : [];
      args[domainParam] = user.length === 0 ? rule : ['&', ...asTerm(rule), ...asTerm(user)];
    }
    return;
  }
  if (ids.length === 0 || spec.model === true) return;
  // Odoo reads a record before it writes it or runs a method on it, so a record
  // outside the user's rules fails with the 'read' text (checked on a real 17.0).
  const mode: AccessMode = method === 'unlink' ? 'unlink' : 'read';
  const rule = ruleDomain(env, model.name, mode);
  if (rule === undefined || rule.length === 0) return;
  const handle = env.sudo().model(model.name);
  const existing = handle.exists(ids);
  const allowed = new Set(handle.search(['&', ['id', 'in', existing], ...asTerm(rule)]));
  if (existing.some((id) => !allowed.has(id))) throw recordRuleError(env, model.name, mode);
}

/** res.users SELF_READABLE_FIELDS: anyone may read these on their own user record (res.users.read sudoes). */
const SELF_READABLE = new Set([
  'signature',
  'company_id',
  'login',
  'email',
  'name',
  'image_1920',
  'image_1024',
  'image_512',
  'image_256',
  'image_128',
  'lang',
  'tz',
  'tz_offset',
  'groups_id',
  'partner_id',
  'write_date',
  'action_id',
  'avatar_1920',
  'avatar_1024',
  'avatar_512',
  'avatar_256',
  'avatar_128',
  'share',
]);

function readsOwnSafeFields(env: Env, ids: readonly number[], fields: unknown): boolean {
  if (ids.length !== 1 || ids[0] !== env.uid || !Array.isArray(fields) || fields.length === 0) return false;
  return fields.every((name) => typeof name === 'string' && (SELF_READABLE.has(name) || name.startsWith('context_')));
}

/** check_access_rights over RPC (base method), with Odoo's assertion on the mode. */
export function rpcCheckAccessRights(env: Env, model: string, args: Args): boolean {
  return checkAccessRightsMethod(env, model, args.operation, args.raise_exception ?? true);
}
