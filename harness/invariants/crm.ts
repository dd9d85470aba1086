/**
 * The invariants of a run with a CRM. Not among the built-ins: a scenario
 * with a CRM names them beside the built-ins (`invariants: [...builtInInvariants, ...crmInvariants]`),
 * so runs without one are judged exactly as before.
 */
import { crmCustomerConverges } from './crm-customer-converges.ts';
import { crmOnePartnerPerCustomer } from './crm-one-partner-per-customer.ts';
import { postedInvoicesKeepFiscalData } from './posted-invoices-keep-fiscal-data.ts';
import type { Invariant } from './types.ts';

export const crmInvariants: readonly Invariant[] = [crmOnePartnerPerCustomer, postedInvoicesKeepFiscalData, crmCustomerConverges];
export { crmCustomerConverges, crmOnePartnerPerCustomer, postedInvoicesKeepFiscalData };
