import { describePartner } from './crm-customers.ts';
import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import type { PartnerRow } from './partner-snapshot.ts';
import type { Invariant } from './types.ts';

const NAME = 'one-partner-per-customer';

/**
 * A customer who ordered is one commercial partner in Odoo. A create whose
 * answer was lost, retried while the first call was still on its way, leaves
 * a second partner beside the one the orders use: statements, credit and
 * dunning then split one customer in two, and nothing else in the run notices.
 * Customers are known by the email the storefront took (how the orders find
 * them); only customers of this run's orders are judged, so partners an
 * Odoo held before the run do not count against it.
 */
export const onePartnerPerCustomer: Invariant = {
  name: NAME,
  description: 'Each customer the capture platform took orders from has at most one active commercial partner in Odoo (by email).',
  check(input, history) {
    const capture = input.ledgers.capture;
    if (capture === undefined) return unknownVerdict(NAME, 'the capture ledger was not read, so its customers are unknown');
    const partners = input.odoo?.partners?.partners;
    if (partners === undefined) return unknownVerdict(NAME, "Odoo's partners were not read");
    const byEmail = activeCommercialByEmail(partners);
    // Each customer is named by the first order that carried its email.
    const firstRef = new Map<string, string>();
    for (const order of capture.orders) {
      const email = order.customer?.['email'];
      if (typeof email === 'string' && !firstRef.has(normalEmail(email))) firstRef.set(normalEmail(email), order.ref);
    }
    if (firstRef.size === 0 && capture.orders.length > 0) return unknownVerdict(NAME, "the capture ledger's orders carry no customer email");
    const emails = [...firstRef.keys()];
    const log = new ViolationLog();
    for (const email of emails) {
      const active = byEmail.get(email) ?? [];
      if (active.length <= 1) continue;
      const creates = active.flatMap((p) =>
        history
          .writesOn('res.partner', p.id)
          .filter((e) => e.method === 'create')
          .map((e) => e.seq),
      );
      log.add({
        orderRef: firstRef.get(email)!,
        message: `${active.length} active partners for customer ${email}: ${active.map(describePartner).join(', ')}`,
        events: creates,
        records: active.map((p) => ({ model: 'res.partner', id: p.id })),
      });
    }
    return log.verdict(NAME, {
      pass: `${plural(emails.length, 'customer')} checked, each one partner at most`,
      fail: `${plural(log.count, 'customer')} of ${emails.length} with more than one partner in Odoo`,
    });
  },
};

function activeCommercialByEmail(partners: readonly PartnerRow[]): Map<string, PartnerRow[]> {
  const byEmail = new Map<string, PartnerRow[]>();
  for (const partner of partners) {
    if (!partner.active || partner.parentId !== null || partner.email === null) continue;
    const email = normalEmail(partner.email);
    const same = byEmail.get(email);
    if (same === undefined) byEmail.set(email, [partner]);
    else same.push(partner);
  }
  return byEmail;
}

function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}
