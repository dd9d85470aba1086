/**
 * One job: archive the copy of a customer that a late partner create made.
 *
 * An order's customer is looked for by email before it is created, but a
 * create still on its way cannot be seen: the retry finds no partner, creates
 * one, and the late call lands after it. Odoo has no unique field a partner
 * could carry as a marker (unlike the sale order's tag, `create-once.ts`), so
 * once the order is quiet, reconciliation lists the customer's active partners
 * and archives those no order bills and no CRM links (a `ref`): the late copy
 * is one of them. Archived, it stays readable and new orders no longer find it.
 */
import { archivePartners, findCustomerPartners, partnersWithOrders } from '../shared/odoo-sales.ts';
import type { OrderView } from './order-view.ts';
import type { SyncDeps } from './sync-order.ts';

/** What one audit found: `clean` when Odoo holds no copy of the order's customer, or no longer does. */
export type PartnerAudit = 'clean' | 'unresolved';

/** The order's customer was found or made after a create whose answer never came. */
export function isPartnerAuditDue(view: OrderView): boolean {
  return view.partnerAuditFrom !== undefined && view.partnerId !== undefined && view.order !== undefined;
}

export async function auditPartners(deps: SyncDeps, view: OrderView): Promise<PartnerAudit> {
  const ref = view.ref;
  const client = deps.odoo.withCorrelationId(ref);
  const found = await findCustomerPartners(client, view.order!.customer.email);
  // A partner linked to a CRM account is the CRM sync's to keep or archive (`crm-sync.ts`).
  const copies = found.filter((p) => p.id !== view.partnerId && (p.ref === false || p.ref === '')).map((p) => p.id);
  if (copies.length === 0) return 'clean';
  const billed = await partnersWithOrders(client, copies);
  const unused = copies.filter((id) => !billed.has(id));
  if (unused.length > 0) {
    await archivePartners(client, unused);
    deps.event('partner.copy_archived', ref, { partnerIds: unused, kept: view.partnerId });
  }
  if (unused.length === copies.length) return 'clean';
  // Two orders of one customer each made a partner: moving documents between them is for a person.
  deps.event('partner.copy_unresolved', ref, { partnerIds: copies.filter((id) => billed.has(id)), kept: view.partnerId });
  return 'unresolved';
}
