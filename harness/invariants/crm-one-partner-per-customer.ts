import { crmJudgement, describePartner } from './crm-customers.ts';
import { plural, ViolationLog } from './evidence.ts';
import type { Invariant } from './types.ts';

const NAME = 'crm-one-partner-per-customer';

/**
 * One customer in the CRM is one commercial partner in Odoo: not two after a
 * retried create or a feed that raced the storefront's orders, and none left
 * active for an account the CRM merged away or deleted.
 */
export const crmOnePartnerPerCustomer: Invariant = {
  name: NAME,
  description: 'Each live CRM account has at most one active commercial partner in Odoo (by ref or email); merged and deleted accounts have none.',
  check(input, history) {
    const judgement = crmJudgement(NAME, input);
    if ('verdict' in judgement) return judgement;
    const { ledger, customers } = judgement;
    const log = new ViolationLog();
    for (const account of ledger.accounts) {
      const active = customers.activePartnersOf(account);
      const creates = active.flatMap((p) =>
        history
          .writesOn('res.partner', p.id)
          .filter((e) => e.method === 'create' && e.outcome === 'ok')
          .map((e) => e.seq),
      );
      const records = active.map((p) => ({ model: 'res.partner', id: p.id }));
      if (account.status === 'active' && active.length > 1) {
        log.add({
          orderRef: account.accountId,
          message: `${active.length} active partners for one customer: ${active.map(describePartner).join(', ')}`,
          events: creates,
          records,
        });
      } else if (account.status !== 'active' && active.length > 0) {
        const why = account.status === 'merged' ? `merged into ${account.mergedInto ?? '?'}` : account.status;
        log.add({
          orderRef: account.accountId,
          message: `${why} in the CRM, yet still active in Odoo: ${active.map(describePartner).join(', ')}`,
          events: creates,
          records,
        });
      }
    }
    return log.verdict(NAME, {
      pass: `${plural(ledger.accounts.length, 'CRM account')} checked, each one partner at most`,
      fail: `${plural(log.count, 'CRM account')} of ${ledger.accounts.length} with a partner too many in Odoo`,
    });
  },
};
