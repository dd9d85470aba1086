/**
 * The CRM's ledger as served on `GET /_faultline/ledger` (simulators/crm), as
 * its readers may rely on it: like the other ledgers (ledgers.ts), looser than
 * what the simulator writes, so an older ledger still parses.
 */
export interface CrmLedgerAccount {
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

export interface CrmLedgerAccountVersion {
  version: number;
  at: string;
  type: string;
  account: CrmLedgerAccount;
}

export interface CrmLedger {
  accounts: (CrmLedgerAccount & { versions: CrmLedgerAccountVersion[] })[];
  deliveries: {
    eventId: string;
    type: string;
    accountId: string;
    version: number;
    attempt: number;
    at: string;
    outcome: string;
    status: number | null;
    copy?: number;
  }[];
  rateLimited?: number;
}
