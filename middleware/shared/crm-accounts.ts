/**
 * The CRM's account webhooks (simulators/crm) checked at the door, and how an
 * account becomes an Odoo partner: the account id as the partner's `ref`,
 * payment terms by Odoo's own name for them.
 */
import type { OdooClient } from '../../harness/odoo/client.ts';
import type { Parsed } from '../../harness/contracts/parsed.ts';

export const CRM_EVENT_TYPES = ['account.created', 'account.updated', 'account.merged', 'account.deleted'] as const;
export type CrmEventType = (typeof CRM_EVENT_TYPES)[number];

export interface CrmAccount {
  accountId: string;
  version: number;
  status: 'active' | 'merged' | 'deleted';
  mergedInto: string | null;
  name: string;
  email: string;
  street: string;
  city: string;
  zip: string;
  vat: string;
  paymentTerms: string;
  creditLimit: number;
}

export interface CrmEvent {
  id: string;
  type: CrmEventType;
  account: CrmAccount;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const TEXT_FIELDS = ['name', 'email', 'street', 'city', 'zip', 'vat', 'paymentTerms'] as const;

export function parseCrmAccount(value: unknown, where = 'account'): Parsed<CrmAccount> {
  if (!isObj(value) || typeof value.accountId !== 'string' || value.accountId === '') return { ok: false, error: `${where} must be an object with an accountId such as "acc_000001"` };
  const id = value.accountId;
  if (typeof value.version !== 'number' || !Number.isInteger(value.version) || value.version < 1) return { ok: false, error: `${where} ${id}: version must be a whole number from 1` };
  if (value.status !== 'active' && value.status !== 'merged' && value.status !== 'deleted') return { ok: false, error: `${where} ${id}: status must be active, merged or deleted` };
  for (const field of TEXT_FIELDS) {
    if (typeof value[field] !== 'string') return { ok: false, error: `${where} ${id}: ${field} must be a string` };
  }
  if (typeof value.creditLimit !== 'number' || !Number.isFinite(value.creditLimit) || value.creditLimit < 0) return { ok: false, error: `${where} ${id}: creditLimit must be a number, 0 or more` };
  const mergedInto = typeof value.mergedInto === 'string' && value.mergedInto !== '' ? value.mergedInto : null;
  if (value.status === 'merged' && mergedInto === null) return { ok: false, error: `${where} ${id}: a merged account names the account it was merged into (mergedInto)` };
  return {
    ok: true,
    value: {
      accountId: id,
      version: value.version,
      status: value.status,
      mergedInto,
      name: value.name as string,
      email: value.email as string,
      street: value.street as string,
      city: value.city as string,
      zip: value.zip as string,
      vat: value.vat as string,
      paymentTerms: value.paymentTerms as string,
      creditLimit: value.creditLimit,
    },
  };
}

export function parseCrmEvent(body: unknown): Parsed<CrmEvent> {
  if (!isObj(body) || typeof body.id !== 'string' || body.id === '') return { ok: false, error: 'CRM event must be a JSON object with an id such as "evt_crm_…"' };
  if (!(CRM_EVENT_TYPES as readonly unknown[]).includes(body.type)) return { ok: false, error: `CRM event ${body.id}: type must be one of ${CRM_EVENT_TYPES.join(', ')}` };
  const account = parseCrmAccount(body.account, `CRM event ${body.id}: account`);
  if (!account.ok) return account;
  return { ok: true, value: { id: body.id, type: body.type as CrmEventType, account: account.value } };
}

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
