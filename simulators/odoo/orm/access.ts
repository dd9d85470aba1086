import type { Domain } from './domain.ts';
import type { Env } from './env.ts';
import { AccessError, PythonError } from './errors.ts';

/**
 * Odoo's access control as the ORM applies it to a non-superuser: model access
 * (ir.model.access, by group) and record rules (ir.rule, by group or global).
 * The rules themselves are data that modules declare; this file only judges.
 */
export type AccessMode = 'read' | 'write' | 'create' | 'unlink';

const PERM_INDEX: Readonly<Record<AccessMode, number>> = { read: 0, write: 1, create: 2, unlink: 3 };

/** One ir.model.access row. `perms` is 'rwcu' with '-' for a right not given; `group` null is everyone. */
export interface ModelAccessRule {
  readonly model: string;
  readonly group: string | null;
  readonly perms: string;
}

/** What a record rule's domain may use about the user (Odoo's `user` in domain_force). */
export interface RuleUser {
  readonly id: number;
  readonly partnerId: number | false;
}

/** One ir.rule: global when `groups` is empty (ANDed), else ORed with the other group rules that apply. */
export interface RecordRule {
  readonly model: string;
  readonly name: string;
  readonly groups: readonly string[];
  readonly perms: string;
  readonly domain: (user: RuleUser) => Domain;
}

/** A group as access errors name it: `Category/Name`, or the bare name without a category. */
export interface GroupLabel {
  readonly xmlid: string;
  readonly label: string;
  readonly category: string | false;
  readonly name: string;
}

/** The uids that bypass access rules: the superuser (1) and the admin (2), whom a fresh database gives every group that matters. */
export function bypassesAccess(env: Env): boolean {
  return env.su || env.uid <= 2;
}

/** The external ids of the user's groups (stored groups already hold the implied ones). */
export function userGroups(env: Env): ReadonlySet<string> {
  const user = env.db.table('res.users').rows.get(env.uid);
  const ids = (user?.groups_id as readonly number[] | undefined) ?? [];
  const names = groupXmlIds(env);
  const out = new Set<string>();
  for (const id of ids) {
    const xmlid = names.get(id);
    if (xmlid !== undefined) out.add(xmlid);
  }
  return out;
}

/** res.groups id → external id, read from ir.model.data (a handful of rows). */
function groupXmlIds(env: Env): ReadonlyMap<number, string> {
  const out = new Map<number, string>();
  for (const row of env.db.table('ir.model.data').rows.values()) {
    if (row.model === 'res.groups') out.set(row.res_id as number, `${String(row.module)}.${String(row.name)}`);
  }
  return out;
}

export function hasModelAccess(env: Env, model: string, mode: AccessMode): boolean {
  if (bypassesAccess(env)) return true;
  const rules = env.db.registry.modelAccess.get(model);
  if (rules === undefined) return false;
  const groups = userGroups(env);
  const at = PERM_INDEX[mode];
  return rules.some((rule) => rule.perms[at] !== '-' && (rule.group === null || groups.has(rule.group)));
}

const HEADS: Readonly<Record<AccessMode, string>> = {
  read: 'You are not allowed to access',
  write: 'You are not allowed to modify',
  create: 'You are not allowed to create',
  unlink: 'You are not allowed to delete',
};

/** ir.model.access.check: AccessError with Odoo's text, listing the groups that have the right. */
export function checkModelAccess(env: Env, model: string, mode: AccessMode, description = env.db.registry.models.get(model)?.description ?? model): void {
  if (hasModelAccess(env, model, mode)) return;
  const groups = groupsWithAccess(env, model, mode);
  const groupInfo =
    groups.length > 0
      ? `This operation is allowed for the following groups:\n${groups.map((label) => `\t- ${label}`).join('\n')}`
      : 'No group currently allows this operation.';
  throw new AccessError(`${HEADS[mode]} '${description}' (${model}) records.\n\n${groupInfo}\n\nContact your administrator to request access if necessary.`);
}

/** group_names_with_access: one label per granting row, ordered by category then name (C collation, categories without a name last). */
function groupsWithAccess(env: Env, model: string, mode: AccessMode): string[] {
  const at = PERM_INDEX[mode];
  const labels = env.db.registry.groupLabels;
  const granting = (env.db.registry.modelAccess.get(model) ?? [])
    .filter((rule) => rule.group !== null && rule.perms[at] !== '-')
    .map((rule) => labels.get(rule.group!))
    .filter((label): label is GroupLabel => label !== undefined);
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  granting.sort((a, b) => {
    if (a.category !== b.category) {
      if (a.category === false) return 1;
      if (b.category === false) return -1;
      return cmp(a.category, b.category);
    }
    return cmp(a.name, b.name);
  });
  return granting.map((group) => group.label);
}

/** check_access_rights(operation, raise_exception): Odoo asserts the mode first. */
export function checkAccessRightsMethod(env: Env, model: string, operation: unknown, raiseException: unknown): boolean {
  if (operation !== 'read' && operation !== 'write' && operation !== 'create' && operation !== 'unlink') {
    throw new PythonError('AssertionError', 'Invalid access mode');
  }
  if (raiseException === false || raiseException === 0) return hasModelAccess(env, model, operation);
  checkModelAccess(env, model, operation);
  return true;
}

/**
 * The domain record rules add for this user and mode (ir.rule._compute_domain):
 * global rules ANDed, then the OR of the rules of the user's groups. Undefined
 * when no rule restricts the user.
 */
export function ruleDomain(env: Env, model: string, mode: AccessMode): Domain | undefined {
  if (bypassesAccess(env)) return undefined;
  const rules = env.db.registry.recordRules.get(model);
  if (rules === undefined) return undefined;
  const at = PERM_INDEX[mode];
  const applicable = rules.filter((rule) => rule.perms[at] !== '-');
  if (applicable.length === 0) return undefined;
  const user = ruleUser(env);
  const groups = userGroups(env);
  const global = applicable.filter((rule) => rule.groups.length === 0).map((rule) => rule.domain(user));
  const grouped = applicable.filter((rule) => rule.groups.some((group) => groups.has(group))).map((rule) => rule.domain(user));
  const parts: Domain[] = [...global];
  if (grouped.length > 0) parts.push(orDomains(grouped));
  if (parts.length === 0) return undefined;
  return andDomains(parts);
}

function ruleUser(env: Env): RuleUser {
  const row = env.db.table('res.users').rows.get(env.uid);
  return { id: env.uid, partnerId: (row?.partner_id as number | false | undefined) ?? false };
}

function andDomains(domains: readonly Domain[]): Domain {
  const nonEmpty = domains.filter((domain) => domain.length > 0);
  return [...Array<string>(Math.max(0, nonEmpty.length - 1)).fill('&'), ...nonEmpty.flatMap((domain) => asOneTerm(domain))] as Domain;
}

function orDomains(domains: readonly Domain[]): Domain {
  // An empty domain is TRUE, and TRUE OR anything is TRUE.
  if (domains.some((domain) => domain.length === 0)) return [];
  return [...Array<string>(domains.length - 1).fill('|'), ...domains.flatMap((domain) => asOneTerm(domain))] as Domain;
}

/** A domain as one prefix-notation term (its implicit top-level ANDs made explicit), so it can sit under '|'. */
export function asOneTerm(domain: Domain): Domain {
  let leaves = 0;
  let binary = 0;
  for (const item of domain) {
    if (item === '&' || item === '|') binary += 1;
    else if (item !== '!') leaves += 1;
  }
  return [...Array<string>(Math.max(0, leaves - binary - 1)).fill('&'), ...domain] as Domain;
}

/**
 * ir.rule._make_access_error as an RPC caller sees it (not in debug mode, so
 * without the list of records and rules).
 */
export function recordRuleError(env: Env, model: string, mode: AccessMode): AccessError {
  const description = env.db.registry.models.get(model)?.description ?? model;
  const user = env.db.table('res.users').rows.get(env.uid);
  const partner = user === undefined ? undefined : env.db.table('res.partner').rows.get(user.partner_id as number);
  const name = String(partner?.name ?? '');
  return new AccessError(
    `Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, ${name} (id=${env.uid}) doesn't have '${mode}' access to:\n- ${description} (${model})\n\n` +
      'If you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.',
  );
}
