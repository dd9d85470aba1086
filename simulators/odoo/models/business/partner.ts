import type { Env } from '../../orm/env.ts';
import { m2oId } from './company.ts';

/** The customer payment term of a partner (`property_payment_term_id`), or false. */
export function partnerPaymentTerm(env: Env, partnerId: number): number | false {
  if (env.db.registry.model('res.partner')?.field('property_payment_term_id') === undefined) return false;
  return m2oId(env.model('res.partner').get(partnerId, 'property_payment_term_id'));
}
