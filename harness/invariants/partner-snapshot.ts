/**
 * Odoo's customers: partners with their customer data (archived ones too: a
 * merge or a deletion archives), read over the wire like the rest of the
 * snapshot for every run (`one-partner-per-customer`), and, when a CRM takes
 * part, the partner each posted customer invoice bills.
 */
import { many2oneId, many2oneName, text } from './odoo-snapshot.ts';
import type { OdooReader } from './odoo-snapshot.ts';

export interface PartnerRow {
  id: number;
  name: string;
  email: string | null;
  ref: string | null;
  vat: string | null;
  street: string | null;
  city: string | null;
  zip: string | null;
  creditLimit: number | null;
  paymentTerms: string | null;
  active: boolean;
  parentId: number | null;
}

export interface PostedInvoiceRow {
  id: number;
  name: string;
  partnerId: number | null;
  commercialPartnerId: number | null;
}

export interface PartnerSnapshot {
  partners: PartnerRow[];
  /** Read only when a CRM takes part: only its invariants judge who an invoice bills. */
  postedInvoices?: PostedInvoiceRow[];
}

export interface PartnerReadOptions {
  postedInvoices: boolean;
  /**
   * Only the partners carrying one of these emails (the run's customers): an
   * Odoo shared with other work may hold many thousands of others. Absent:
   * every partner with an email, as the CRM's invariants judge by ref too.
   */
  emails?: readonly string[];
}

export async function readPartnerSnapshot(reader: OdooReader, options: PartnerReadOptions): Promise<PartnerSnapshot> {
  const domain = options.emails === undefined ? [['email', '!=', false] as const] : [['email', 'in', [...options.emails]] as const];
  const [partnerRows, invoiceRows] = await Promise.all([
    reader.searchRead('res.partner', domain, {
      fields: ['name', 'email', 'ref', 'vat', 'street', 'city', 'zip', 'credit_limit', 'property_payment_term_id', 'active', 'parent_id'],
      order: 'id',
      context: { active_test: false },
    }),
    options.postedInvoices
      ? reader.searchRead(
          'account.move',
          [
            ['move_type', 'in', ['out_invoice', 'out_refund']],
            ['state', '=', 'posted'],
          ],
          {
            fields: ['name', 'partner_id', 'commercial_partner_id'],
            order: 'id',
          },
        )
      : undefined,
  ]);
  return {
    partners: partnerRows.map((r) => ({
      id: r['id'] as number,
      name: text(r['name']) ?? '',
      email: text(r['email']),
      ref: text(r['ref']),
      vat: text(r['vat']),
      street: text(r['street']),
      city: text(r['city']),
      zip: text(r['zip']),
      creditLimit: typeof r['credit_limit'] === 'number' ? r['credit_limit'] : null,
      paymentTerms: many2oneName(r['property_payment_term_id']),
      active: r['active'] !== false,
      parentId: many2oneId(r['parent_id']),
    })),
    ...(invoiceRows !== undefined && {
      postedInvoices: invoiceRows.map((r) => ({
        id: r['id'] as number,
        name: text(r['name']) ?? '',
        partnerId: many2oneId(r['partner_id']),
        commercialPartnerId: many2oneId(r['commercial_partner_id']),
      })),
    }),
  };
}
