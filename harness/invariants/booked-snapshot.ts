/**
 * What Odoo booked, as the analytics invariant needs it: every posted
 * customer invoice and credit note with its invoice date and currency. Read
 * over the wire, only when an analytics sink takes part in the run.
 */
import { many2oneId, many2oneName, text } from './odoo-snapshot.ts';
import type { OdooReader } from './odoo-snapshot.ts';

export interface BookedInvoiceRow {
  id: number;
  name: string;
  moveType: 'out_invoice' | 'out_refund';
  amountTotal: number;
  /** `YYYY-MM-DD`. */
  invoiceDate: string | null;
  currency: string | null;
}

export async function readBookedSnapshot(reader: OdooReader): Promise<BookedInvoiceRow[]> {
  const rows = await reader.searchRead('account.move', [['move_type', 'in', ['out_invoice', 'out_refund']], ['state', '=', 'posted']], {
    fields: ['name', 'move_type', 'amount_total', 'invoice_date', 'currency_id'],
    order: 'id',
  });
  return rows.map((r) => ({
    id: many2oneId(r['id']) ?? 0,
    name: text(r['name']) ?? '',
    moveType: r['move_type'] === 'out_refund' ? 'out_refund' : 'out_invoice',
    amountTotal: typeof r['amount_total'] === 'number' ? r['amount_total'] : 0,
    invoiceDate: text(r['invoice_date']),
    currency: many2oneName(r['currency_id']),
  }));
}
