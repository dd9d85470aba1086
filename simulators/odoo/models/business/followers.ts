import type { Env } from '../../orm/env.ts';
import { idList } from './company.ts';

/**
 * Odoo's message_subscribe, reduced to what matters over RPC: whether a partner
 * already follows a document. The first concurrent confirm or validate of a
 * record inserts the same follower twice, and the unique index on
 * mail_followers faults the loser at once (real-odoo17-concurrency.md b, c).
 */
export function addFollower(env: Env, model: string, id: number, partnerId: number | false): boolean {
  if (partnerId === false) return false;
  const handle = env.model(model);
  const followers = idList(handle.get(id, 'message_partner_ids'));
  if (followers.includes(partnerId)) return false;
  handle.write([id], { message_partner_ids: [[4, partnerId, 0]] });
  return true;
}

export function isFollower(env: Env, model: string, id: number, partnerId: number | false): boolean {
  if (partnerId === false) return false;
  return idList(env.model(model).get(id, 'message_partner_ids')).includes(partnerId);
}
