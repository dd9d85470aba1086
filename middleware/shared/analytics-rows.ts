/**
 * What Odoo booked, as rows for an analytics sink (simulators/analytics): one
 * row per posted customer invoice or credit note, on its invoice date, in its
 * currency. The reference designs differ in when and how they send them, not
 * in what a row says.
 */
import type { OdooClient } from '../../harness/odoo/client.ts';

export interface BookedRow {
  moveId: number;
  type: 'invoice' | 'refund';
  ref: string;
  day: string;
  currency: string;
  amount: number;
}

export async function readBookedRows(client: OdooClient, extraDomain: ReadonlyArray<readonly [string, string, unknown]> = []): Promise<BookedRow[]> {
  const rows = await client.searchRead(
    'account.move',
    [['move_type', 'in', ['out_invoice', 'out_refund']], ['state', '=', 'posted'], ...extraDomain],
    { fields: ['name', 'move_type', 'amount_total', 'invoice_date', 'currency_id'], order: 'id' },
  );
  return rows.map((r) => ({
    moveId: r.id,
    type: r.move_type === 'out_refund' ? 'refund' : 'invoice',
    ref: typeof r.name === 'string' ? r.name : String(r.id),
    day: typeof r.invoice_date === 'string' ? r.invoice_date : '',
    currency: Array.isArray(r.currency_id) && typeof r.currency_id[1] === 'string' ? r.currency_id[1] : '',
    amount: typeof r.amount_total === 'number' ? r.amount_total : 0,
  }));
}

/** The sink's row for a booked document; `eventId` is the sender's choice, and its whole idempotency. */
export function sinkRow(row: BookedRow, eventId: string): Record<string, unknown> {
  return { eventId, type: row.type, ref: row.ref, day: row.day, currency: row.currency, amount: row.amount };
}
