/**
 * The naive design's CRM feed: each webhook goes straight to Odoo as it
 * arrives. Its failures come from these choices:
 *
 * - no look-up before a create: `account.created` makes a partner even when
 *   the storefront's orders already made one for the same customer, and a
 *   repeated webhook makes another;
 * - no version check: a late or repeated webhook puts an older version back;
 * - no state guard: a new VAT number or name is written onto a partner with
 *   posted invoices, rewriting the fiscal data of invoices already sent;
 * - a merge is just another update: the merged-away account's partner stays
 *   active beside the survivor's, two partners for one customer.
 */
import type { OdooClient } from '../../harness/odoo/client.ts';
import { json } from '../../harness/core/json-response.ts';
import { PaymentTerms, partnerValues } from '../shared/crm-accounts.ts';
import type { CrmEvent } from '../../harness/contracts/crm.ts';

export function createNaiveCrmFeed(odoo: OdooClient): (event: CrmEvent) => Promise<Response> {
  const terms = new PaymentTerms();
  return async (event) => {
    const account = event.account;
    const client = odoo.withCorrelationId(account.accountId);
    const values = partnerValues(account, await terms.id(client, account.paymentTerms));
    if (event.type === 'account.created') {
      const id = await client.create('res.partner', values);
      return json(200, { partnerId: id });
    }
    const [found] = await client.search('res.partner', [['ref', '=', account.accountId]], { limit: 1 });
    if (event.type === 'account.deleted') {
      if (found !== undefined) await client.executeKw('res.partner', 'unlink', [[found]], {});
      return json(200, { deleted: found ?? null });
    }
    if (found === undefined) return json(200, { partnerId: await client.create('res.partner', values) });
    await client.write('res.partner', [found], values);
    return json(200, { partnerId: found });
  };
}
