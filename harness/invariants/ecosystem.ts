/**
 * The invariants of the systems a scenario opts into (CRM, analytics sink),
 * for a party that judges a stored run without its scenario (`recheck`): a
 * run whose observations hold their ledgers is judged by them too.
 */
import { analyticsInvariants } from './analytics.ts';
import { crmInvariants } from './crm.ts';
import type { Invariant, InvariantInput } from './types.ts';

export const ecosystemInvariants: readonly Invariant[] = [...crmInvariants, ...analyticsInvariants];

export function ecosystemInvariantsFor(ledgers: InvariantInput['ledgers']): Invariant[] {
  return [...(ledgers.crm !== undefined ? crmInvariants : []), ...(ledgers.analytics !== undefined ? analyticsInvariants : [])];
}
