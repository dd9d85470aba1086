/**
 * The methods of Odoo's external API that never change data. Everything else
 * counts as a write: a model method nobody listed is safer counted than
 * missed. One list for the invariants (which calls changed Odoo), the sim
 * engine (which work changed the system of record) and the emulator (which
 * calls a serialization failure can strike).
 */
export const ODOO_READ_METHODS: ReadonlySet<string> = new Set([
  'read',
  'search',
  'search_read',
  'search_count',
  'name_search',
  'name_get',
  'read_group',
  'fields_get',
  'default_get',
  'check_access_rights',
  'check_access_rule',
  'exists',
  'get_views',
  'onchange',
  'web_read',
  'web_search_read',
  'authenticate',
  'login',
  'version',
]);

/** A call of a model method that may change data (`model` empty: a call that names no model, such as a login). */
export function isOdooWrite(call: { model: string; method: string }): boolean {
  return call.model !== '' && !ODOO_READ_METHODS.has(call.method);
}
