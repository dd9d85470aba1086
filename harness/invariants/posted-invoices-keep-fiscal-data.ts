import { crmJudgement, describePartner } from './crm-customers.ts';
import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import type { Invariant } from './types.ts';

const NAME = 'posted-invoices-keep-fiscal-data';

/** The fields Odoo 17 itself stops users editing once a partner has issued invoices (`can_edit_vat`, `_can_edit_name`). */
const FISCAL = ['vat', 'name'] as const;

/**
 * A posted invoice keeps the fiscal data it was posted with. Odoo's form locks
 * a partner's VAT and name once it has issued invoices, but its API does not:
 * an integration that copies a CRM edit straight onto the partner rewrites
 * every invoice already sent. Judged without Odoo's value history: the
 * partner of a posted invoice must not carry a VAT or name the CRM first gave
 * the customer after that invoice was posted.
 */
export const postedInvoicesKeepFiscalData: Invariant = {
  name: NAME,
  description: 'No posted customer invoice bills a partner whose VAT or name the CRM only gave the customer after the invoice was posted.',
  check(input, history) {
    const judgement = crmJudgement(NAME, input);
    if ('verdict' in judgement) return judgement;
    const { partners, customers } = judgement;
    if (partners.postedInvoices === undefined) return unknownVerdict(NAME, "Odoo's posted invoices were not read with its partners");
    const log = new ViolationLog();
    let judged = 0;
    for (const invoice of partners.postedInvoices) {
      const partnerId = invoice.commercialPartnerId ?? invoice.partnerId;
      const partner = partnerId === null ? undefined : customers.partner(partnerId);
      const account = partner === undefined ? undefined : customers.accountOf(partner);
      if (partner === undefined || account === undefined) continue;
      const post = history.writesOn('account.move', invoice.id).find((e) => e.method === 'action_post' && e.outcome === 'ok');
      if (post === undefined) continue;
      judged++;
      for (const field of FISCAL) {
        const now = partner[field];
        if (now === null) continue;
        const known = account.versions.filter((v) => Date.parse(v.at) <= post.t).some((v) => v.account[field] === now);
        const later = account.versions.find((v) => Date.parse(v.at) > post.t && v.account[field] === now);
        if (known || later === undefined) continue;
        const rewrites = history
          .writesOn('res.partner', partner.id)
          .filter((e) => e.method === 'write' && e.outcome === 'ok' && e.t > post.t)
          .map((e) => e.seq);
        log.add({
          orderRef: account.accountId,
          message: `${invoice.name} posted at ${new Date(post.t).toISOString()} bills ${describePartner(partner)}, whose ${field} is now ${JSON.stringify(now)}, a value the CRM gave the customer only at ${later.at} (version ${later.version})`,
          events: [post.seq, ...rewrites.slice(0, 3)],
          records: [
            { model: 'account.move', id: invoice.id },
            { model: 'res.partner', id: partner.id },
          ],
        });
      }
    }
    return log.verdict(NAME, {
      pass: `${plural(judged, 'posted invoice')} of CRM customers keep their fiscal data`,
      fail: `${plural(log.count, 'fiscal field')} of posted invoices rewritten after posting`,
    });
  },
};
