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
  const rows = await reader.searchRead(
    'account.move',
    [
      ['move_type', 'in', ['out_invoice', 'out_refund']],
      ['state', '=', 'posted'],
    ],
    {
      fields: ['name', 'move_type', 'amount_total', 'invoice_date', 'currency_id'],
      order: 'id',
    },
  );
  return rows.map((r) => ({
    id: many2oneId(r['id']) ?? 0,
    name: text(r['name']) ?? '',
    moveType: r['move_type'] === 'out_refund' ? 'out_refund' : 'out_invoice',
    amountTotal: typeof r['amount_total'] === 'number' ? r['amount_total'] : 0,
    invoiceDate: text(r['invoice_date']),
    currency: many2oneName(r['currency_id']),
  }));
}

/** A confirmed sale order (on its order date) or a posted customer payment (on its date; money sent back negative). */
export interface BookedSaleRow {
  kind: 'order' | 'payment';
  id: number;
  name: string;
  amount: number;
  /** `YYYY-MM-DD`. */
  day: string | null;
  currency: string | null;
}

/** The orders and payments the analytics invariant compares with the sink's order and payment rows. */
export async function readBookedSales(reader: OdooReader): Promise<BookedSaleRow[]> {
  const [orders, payments] = await Promise.all([
    reader.searchRead('sale.order', [['state', 'in', ['sale', 'done']]], { fields: ['name', 'date_order', 'amount_total', 'currency_id'], order: 'id' }),
    reader.searchRead('account.payment', [['partner_type', '=', 'customer']], {
      fields: ['name', 'payment_type', 'amount', 'date', 'currency_id', 'state'],
      order: 'id',
    }),
  ]);
  const common = (r: Record<string, unknown>) => ({
    id: many2oneId(r['id']) ?? 0,
    name: text(r['name']) ?? '',
    currency: Array.isArray(r['currency_id']) && typeof r['currency_id'][1] === 'string' ? r['currency_id'][1] : null,
  });
  const amount = (value: unknown): number => (typeof value === 'number' ? value : 0);
  return [
    ...orders.map((r): BookedSaleRow => ({ kind: 'order', ...common(r), amount: amount(r['amount_total']), day: text(r['date_order'])?.slice(0, 10) ?? null })),
    ...payments
      .filter((r) => r['state'] === 'posted')
      .map(
        (r): BookedSaleRow => ({
          kind: 'payment',
          ...common(r),
          amount: (r['payment_type'] === 'outbound' ? -1 : 1) * amount(r['amount']),
          day: text(r['date']),
        }),
      ),
  ];
}
