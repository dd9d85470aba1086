/**
 * The invariant of a run with an analytics sink. Not a built-in, for the same
 * reason as the CRM's (crm.ts): a scenario with the sink names it.
 */
import { analyticsAgreesWithOdoo } from './analytics-agrees-with-odoo.ts';
import type { Invariant } from './types.ts';

export const analyticsInvariants: readonly Invariant[] = [analyticsAgreesWithOdoo];
export { analyticsAgreesWithOdoo };
