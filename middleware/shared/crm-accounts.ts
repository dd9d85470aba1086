/**
 * How a CRM account (harness/contracts/crm.ts) becomes an Odoo partner: the
 * account id as the partner's `ref`, payment terms by Odoo's own name for them.
 */
import type { CrmAccount } from '../../harness/contracts/crm.ts';
import type { OdooClient } from '../../harness/odoo/client.ts';

/** The partner fields an account sets; `ref` links the partner back to the account. */
export function partnerValues(account: CrmAccount, paymentTermId: number | false): Record<string, unknown> {
  return {
    name: account.name,
    email: account.email,
    ref: account.accountId,
    street: account.street,
    city: account.city,
    zip: account.zip,
    vat: account.vat === '' ? false : account.vat,
    credit_limit: account.creditLimit,
    property_payment_term_id: paymentTermId,
  };
}

/** Odoo's payment terms by name, looked up once per name a run meets. */
export class PaymentTerms {
  readonly #ids = new Map<string, number | false>();

  async id(client: OdooClient, name: string): Promise<number | false> {
    if (name === '') return false;
    const known = this.#ids.get(name);
    if (known !== undefined) return known;
    const [id] = await client.search('account.payment.term', [['name', '=', name]], { limit: 1 });
    if (id === undefined) throw new UnknownPaymentTermError(name);
    this.#ids.set(name, id);
    return id;
  }
}

export class UnknownPaymentTermError extends Error {
  constructor(name: string) {
    super(`Odoo has no payment term named ${JSON.stringify(name)}; create it in Odoo or map the CRM's term to one it has`);
    this.name = 'UnknownPaymentTermError';
  }
}
