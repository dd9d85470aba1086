/**
 * The CRM's ledger as served on `GET /_faultline/ledger` (simulators/crm),
 * typed here like the other ledgers because invariants are its only reader.
 */
export interface CrmAccount {
  accountId: string;
  version: number;
  status: 'active' | 'merged' | 'deleted' | (string & {});
  mergedInto: string | null;
  duplicateOf?: string | null;
  updatedAt: string;
  name: string;
  email: string;
  street: string;
  city: string;
  zip: string;
  countryCode?: string;
  vat: string;
  paymentTerms: string;
  creditLimit: number;
}

export interface CrmAccountVersion {
  version: number;
  at: string;
  type: string;
  account: CrmAccount;
}

export interface CrmLedger {
  accounts: (CrmAccount & { versions: CrmAccountVersion[] })[];
  deliveries: { eventId: string; type: string; accountId: string; version: number; attempt: number; at: string; outcome: string; status: number | null; copy?: number }[];
  rateLimited?: number;
}
