/**
 * What Odoo booked, as rows for an analytics sink (simulators/analytics): one
 * row per confirmed sale order (on its order date), per posted customer
 * invoice or credit note (on its invoice date) and per posted customer payment
 * (on its payment date; money sent back counts negative), in its currency. The
 * reference designs differ in when and how they send them, not in what a row
 * says.
 */
import type { OdooClient } from '../../harness/odoo/client.ts';

export type BookedRowType = 'order' | 'invoice' | 'refund' | 'payment';

export interface BookedRow {
  /** The Odoo record, `model:id`: a document's identity across passes and restarts. */
  doc: string;
  type: BookedRowType;
  ref: string;
  day: string;
  currency: string;
  amount: number;
}

type Domain = ReadonlyArray<readonly [string, string, unknown]>;

/** Every booked document, orders first; `extraDomain` narrows each read (e.g. by `write_date`). */
export async function readBookedRows(client: OdooClient, extraDomain: Domain = []): Promise<BookedRow[]> {
  const [orders, moves, payments] = await Promise.all([
    client.searchRead('sale.order', [['state', 'in', ['sale', 'done']], ...extraDomain], {
      fields: ['name', 'date_order', 'amount_total', 'currency_id'],
      order: 'id',
    }),
    client.searchRead('account.move', [['move_type', 'in', ['out_invoice', 'out_refund']], ['state', '=', 'posted'], ...extraDomain], {
      fields: ['name', 'move_type', 'amount_total', 'invoice_date', 'currency_id'],
      order: 'id',
    }),
    client.searchRead('account.payment', [['partner_type', '=', 'customer'], ...extraDomain], {
      fields: ['name', 'payment_type', 'amount', 'date', 'currency_id', 'state'],
      order: 'id',
    }),
  ]);
  return [
    ...orders.map((r) => row('sale.order', r, 'order', dayOf(r.date_order), r.amount_total)),
    ...moves.map((r) => row('account.move', r, r.move_type === 'out_refund' ? 'refund' : 'invoice', dayOf(r.invoice_date), r.amount_total)),
    // `state` is related to the payment's journal entry, which Odoo does not search on: filtered here.
    ...payments
      .filter((r) => r.state === 'posted')
      .map((r) => row('account.payment', r, 'payment', dayOf(r.date), (r.payment_type === 'outbound' ? -1 : 1) * number(r.amount))),
  ];
}

function row(model: string, r: Record<string, unknown> & { id: number }, type: BookedRowType, day: string, amount: unknown): BookedRow {
  return {
    doc: `${model}:${r.id}`,
    type,
    ref: typeof r.name === 'string' ? r.name : String(r.id),
    day,
    currency: Array.isArray(r.currency_id) && typeof r.currency_id[1] === 'string' ? r.currency_id[1] : '',
    amount: number(amount),
  };
}

/** A date or datetime (`YYYY-MM-DD[ HH:MM:SS]`, UTC as Odoo stores it) → its day. */
function dayOf(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 10) : '';
}

function number(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** The sink's row for a booked document; `eventId` is the sender's choice, and its whole idempotency. */
export function sinkRow(row: BookedRow, eventId: string): Record<string, unknown> {
  return { eventId, type: row.type, ref: row.ref, day: row.day, currency: row.currency, amount: row.amount };
}
