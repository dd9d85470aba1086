/**
 * The CRM's account webhooks to a middleware (simulators/CONTRACTS.md, "CRM"),
 * with the validators a receiver checks them with. The CRM (simulators/crm)
 * sends the whole account; a receiver keeps only what it copies into Odoo.
 */
import { type Parsed, isObj } from './parsed.ts';

export const CRM_EVENT_TYPES = ['account.created', 'account.updated', 'account.merged', 'account.deleted'] as const;
export type CrmEventType = (typeof CRM_EVENT_TYPES)[number];

export type CrmAccountStatus = 'active' | 'merged' | 'deleted';

/** An account as a receiver may rely on it once parsed: what it needs to keep Odoo's partner right. */
export interface CrmAccount {
  accountId: string;
  /** Starts at 1 and grows with every change: the receiver keeps the highest. */
  version: number;
  status: CrmAccountStatus;
  /** The surviving account, for a merged one. */
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

/** An account as the CRM's API and webhooks show it: every field, some of which no receiver reads (the parser drops them). */
export interface CrmAccountRecord extends CrmAccount {
  countryCode: string;
  /** The account this one duplicates, as the rep entered it (the CRM knows once it is merged). */
  duplicateOf: string | null;
  updatedAt: string;
}

/** The body of `POST /webhooks/crm` as a receiver may rely on it once parsed. */
export interface CrmEvent {
  id: string;
  type: CrmEventType;
  account: CrmAccount;
}

/** The webhook as the simulated CRM sends it: the account's id and version are also on the envelope. */
export interface CrmWebhook {
  id: string;
  type: CrmEventType;
  accountId: string;
  version: number;
  occurredAt: string;
  account: CrmAccountRecord;
}

const TEXT_FIELDS = ['name', 'email', 'street', 'city', 'zip', 'vat', 'paymentTerms'] as const;

export function parseCrmAccount(value: unknown, where = 'account'): Parsed<CrmAccount> {
  if (!isObj(value) || typeof value.accountId !== 'string' || value.accountId === '')
    return { ok: false, error: `${where} must be an object with an accountId such as "acc_000001"` };
  const id = value.accountId;
  if (typeof value.version !== 'number' || !Number.isInteger(value.version) || value.version < 1)
    return { ok: false, error: `${where} ${id}: version must be a whole number from 1` };
  if (value.status !== 'active' && value.status !== 'merged' && value.status !== 'deleted')
    return { ok: false, error: `${where} ${id}: status must be active, merged or deleted` };
  for (const field of TEXT_FIELDS) {
    if (typeof value[field] !== 'string') return { ok: false, error: `${where} ${id}: ${field} must be a string` };
  }
  if (typeof value.creditLimit !== 'number' || !Number.isFinite(value.creditLimit) || value.creditLimit < 0)
    return { ok: false, error: `${where} ${id}: creditLimit must be a number, 0 or more` };
  const mergedInto = typeof value.mergedInto === 'string' && value.mergedInto !== '' ? value.mergedInto : null;
  if (value.status === 'merged' && mergedInto === null)
    return { ok: false, error: `${where} ${id}: a merged account names the account it was merged into (mergedInto)` };
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
  if (!isObj(body) || typeof body.id !== 'string' || body.id === '')
    return { ok: false, error: 'CRM event must be a JSON object with an id such as "evt_crm_…"' };
  if (!(CRM_EVENT_TYPES as readonly unknown[]).includes(body.type))
    return { ok: false, error: `CRM event ${body.id}: type must be one of ${CRM_EVENT_TYPES.join(', ')}` };
  const account = parseCrmAccount(body.account, `CRM event ${body.id}: account`);
  if (!account.ok) return account;
  return { ok: true, value: { id: body.id, type: body.type as CrmEventType, account: account.value } };
}
