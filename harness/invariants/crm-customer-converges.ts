import type { CrmLedgerAccount } from '../contracts/crm-ledger.ts';
import { crmJudgement, describePartner } from './crm-customers.ts';
import { plural, ViolationLog } from './evidence.ts';
import type { PartnerRow } from './partner-snapshot.ts';
import type { Invariant } from './types.ts';

const NAME = 'crm-customer-converges';

/** The CRM's fields and what Odoo keeps them in; a missing Odoo value reads as empty. */
const FIELDS: readonly { crm: keyof CrmLedgerAccount; odoo: (p: PartnerRow) => string | number | null }[] = [
  { crm: 'name', odoo: (p) => p.name },
  { crm: 'street', odoo: (p) => p.street },
  { crm: 'city', odoo: (p) => p.city },
  { crm: 'zip', odoo: (p) => p.zip },
  { crm: 'vat', odoo: (p) => p.vat },
  { crm: 'paymentTerms', odoo: (p) => p.paymentTerms },
  { crm: 'creditLimit', odoo: (p) => p.creditLimit },
];

/**
 * Once the run is quiet, every live customer's partner in Odoo holds the CRM's
 * last write: not an older version a reordered or repeated webhook put back,
 * not nothing because a dropped one was never fetched again.
 */
export const crmCustomerConverges: Invariant = {
  name: NAME,
  description:
    "Once the run is quiet, each live CRM account exists in Odoo and its active partner holds the CRM's last write (name, address, VAT, payment terms, credit limit).",
  check(input, history) {
    const judgement = crmJudgement(NAME, input);
    if ('verdict' in judgement) return judgement;
    const { ledger, customers } = judgement;
    const log = new ViolationLog();
    const live = ledger.accounts.filter((a) => a.status === 'active');
    for (const account of live) {
      const active = customers.activePartnersOf(account);
      if (active.length === 0) {
        log.add({ orderRef: account.accountId, message: `no active partner in Odoo for ${account.name} <${account.email}> (version ${account.version})` });
        continue;
      }
      for (const partner of active) {
        const stale = FIELDS.filter((f) => !same(account[f.crm], f.odoo(partner)));
        if (stale.length === 0) continue;
        const writes = history
          .writesOn('res.partner', partner.id)
          .filter((e) => e.outcome === 'ok')
          .map((e) => e.seq);
        log.add({
          orderRef: account.accountId,
          message: `${describePartner(partner)} differs from the CRM's version ${account.version}: ${stale.map((f) => `${f.crm} ${JSON.stringify(f.odoo(partner))} ≠ ${JSON.stringify(account[f.crm])}`).join(', ')}`,
          events: writes.slice(-3),
          records: [{ model: 'res.partner', id: partner.id }],
        });
      }
    }
    return log.verdict(NAME, {
      pass: `${plural(live.length, 'live CRM account')} in Odoo as last written`,
      fail: `${plural(log.count, 'partner')} missing or behind the CRM's last write`,
    });
  },
};

function same(crm: unknown, odoo: string | number | null): boolean {
  if (typeof crm === 'number') return typeof odoo === 'number' && Math.abs(crm - odoo) < 0.005;
  return (crm ?? '') === (odoo ?? '');
}
