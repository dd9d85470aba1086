/**
 * Which Odoo partners stand for which CRM customer, shared by the CRM
 * invariants. A partner is the customer's when it carries the account id as
 * its `ref` (how an integration links them) or the account's email (how the
 * storefront's orders find their customer): a copy made either way counts.
 */
import type { CrmLedger, CrmLedgerAccount } from '../contracts/crm-ledger.ts';
import { unknownVerdict } from './evidence.ts';
import type { PartnerRow, PartnerSnapshot } from './partner-snapshot.ts';
import type { InvariantInput, Verdict } from './types.ts';

export interface CrmJudgement {
  ledger: CrmLedger;
  partners: PartnerSnapshot;
  customers: CustomerIndex;
}

/** What every CRM invariant reads, or the `unknown` verdict it gives when some of it is missing. */
export function crmJudgement(name: string, input: InvariantInput): CrmJudgement | Verdict {
  const ledger = input.ledgers.crm;
  if (ledger === undefined) return unknownVerdict(name, 'the CRM ledger was not read, so its customers are unknown');
  const partners = input.odoo?.partners;
  if (partners === undefined) return unknownVerdict(name, "Odoo's partners and posted invoices were not read");
  return { ledger, partners, customers: indexCustomers(ledger, partners.partners) };
}

export interface CustomerIndex {
  /** Active commercial partners (contacts of a company are not customers of their own). */
  activePartnersOf(account: CrmLedgerAccount): PartnerRow[];
  partner(id: number): PartnerRow | undefined;
  /** The CRM account a partner stands for, by ref first, then by email. */
  accountOf(partner: PartnerRow): CrmLedger['accounts'][number] | undefined;
}

export function indexCustomers(ledger: CrmLedger, partners: readonly PartnerRow[]): CustomerIndex {
  const byId = new Map(partners.map((p) => [p.id, p]));
  const byRef = new Map<string, PartnerRow[]>();
  const byEmail = new Map<string, PartnerRow[]>();
  for (const partner of partners) {
    if (!partner.active || partner.parentId !== null) continue;
    if (partner.ref !== null) push(byRef, partner.ref, partner);
    if (partner.email !== null) push(byEmail, partner.email.toLowerCase(), partner);
  }
  const accountsById = new Map(ledger.accounts.map((a) => [a.accountId, a]));
  const accountsByEmail = new Map(ledger.accounts.map((a) => [a.email.toLowerCase(), a]));
  return {
    activePartnersOf(account) {
      const found = new Map<number, PartnerRow>();
      for (const p of byRef.get(account.accountId) ?? []) found.set(p.id, p);
      for (const p of byEmail.get(account.email.toLowerCase()) ?? []) found.set(p.id, p);
      return [...found.values()].sort((a, b) => a.id - b.id);
    },
    partner: (id) => byId.get(id),
    accountOf(partner) {
      if (partner.ref !== null && accountsById.has(partner.ref)) return accountsById.get(partner.ref);
      return partner.email === null ? undefined : accountsByEmail.get(partner.email.toLowerCase());
    },
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export function describePartner(p: PartnerRow): string {
  return `partner ${p.id} "${p.name}"${p.ref !== null ? ` (ref ${p.ref})` : ''}`;
}
