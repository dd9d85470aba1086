/**
 * Odoo's final state as the invariants need it, read over the external API
 * like any integration would, so the same checks work against the emulator,
 * a container or a customer's Odoo. The snapshot is plain JSON: it is stored
 * with a run and lets invariants be re-checked without Odoo.
 */

import type { BookedInvoiceRow, BookedSaleRow } from './booked-snapshot.ts';
import type { PartnerSnapshot } from './partner-snapshot.ts';

/** An Odoo search domain, as the project's Odoo client types it. */
export type Domain = ReadonlyArray<readonly [string, string, unknown] | '&' | '|' | '!'>;

/**
 * The one call the snapshot needs, shaped like `OdooClient.searchRead`
 * (harness/odoo/client.ts) so the client is a reader as it is; test fakes are too.
 */
export interface OdooReader {
  searchRead(
    model: string,
    domain: Domain,
    query?: { fields?: readonly string[]; limit?: number; order?: string; context?: Record<string, unknown> },
  ): Promise<Record<string, unknown>[]>;
}

export interface SaleOrderRow {
  id: number;
  name: string;
  clientOrderRef: string | null;
  state: string;
  amountTotal: number;
  amountUntaxed: number;
  pickingIds: number[];
  invoiceIds: number[];
  createUid: number | null;
  writeUid: number | null;
  /** Epoch ms, second precision (Odoo stores datetimes to the second). */
  createdAt: number | null;
}

export interface PickingRow {
  id: number;
  name: string;
  state: string;
  /** Epoch ms of `date_done`, second precision; null while not done. */
  doneAt: number | null;
  origin: string | null;
  saleId: number | null;
  createUid: number | null;
  writeUid: number | null;
}

export interface InvoiceRow {
  id: number;
  name: string;
  moveType: 'out_invoice' | 'out_refund';
  state: string;
  paymentState: string | null;
  amountTotal: number;
  amountUntaxed: number;
  ref: string | null;
  invoiceOrigin: string | null;
  /** `YYYY-MM-DD`: Odoo keeps no posting time, only this date. */
  invoiceDate: string | null;
  createdAt: number | null;
  createUid: number | null;
  writeUid: number | null;
}

export interface InvoiceLineRow {
  id: number;
  moveId: number;
  productId: number | null;
  quantity: number;
}

export interface PaymentRow {
  id: number;
  name: string;
  amount: number;
  paymentType: string | null;
  state: string;
  ref: string | null;
  isReconciled: boolean | null;
  reconciledInvoiceIds: number[] | null;
  createUid: number | null;
  writeUid: number | null;
  createdAt: number | null;
}

export interface ProductRow {
  id: number;
  defaultCode: string | null;
  invoicePolicy: string | null;
}

export interface UserRow {
  id: number;
  login: string;
}

export interface OdooSnapshot {
  saleOrders: SaleOrderRow[];
  pickings: PickingRow[];
  /** Customer invoices and credit notes. */
  invoices: InvoiceRow[];
  /** Product lines of those invoices; null when this Odoo would not serve them. */
  invoiceLines: InvoiceLineRow[] | null;
  payments: PaymentRow[];
  products: ProductRow[];
  users: UserRow[];
  /** What could not be read, so a verdict built on a partial snapshot can say so. */
  notes: string[];
  /** Customers, and who posted invoices bill when a CRM takes part (partner-snapshot.ts); absent in runs stored before every run read them. */
  partners?: PartnerSnapshot;
  /** Posted customer invoices and credit notes with date and currency, read only when an analytics sink takes part (booked-snapshot.ts). */
  booked?: BookedInvoiceRow[];
  /** Confirmed sale orders and posted customer payments with day and currency, read with `booked` (booked-snapshot.ts). */
  bookedSales?: BookedSaleRow[];
}

export interface SnapshotOptions {
  /** Odoo datetime (`YYYY-MM-DD HH:MM:SS`, UTC): ignore documents created earlier, for a shared Odoo. */
  createdSince?: string;
}

export function emptySnapshot(): OdooSnapshot {
  return { saleOrders: [], pickings: [], invoices: [], invoiceLines: [], payments: [], products: [], users: [], notes: [] };
}

const ALL_RECORDS = { context: { active_test: false } };

export async function readOdooSnapshot(reader: OdooReader, options: SnapshotOptions = {}): Promise<OdooSnapshot> {
  const notes: string[] = [];
  const since: Domain = options.createdSince === undefined ? [] : [['create_date', '>=', options.createdSince]];

  const required = readRequired(reader);
  const [orderRows, pickingRows, invoiceRows, paymentRows, userRows] = await Promise.all([
    required('sale.order', since, {
      fields: ['name', 'client_order_ref', 'state', 'amount_total', 'amount_untaxed', 'picking_ids', 'invoice_ids', 'create_uid', 'write_uid', 'create_date'],
      order: 'id',
    }),
    required('stock.picking', [['sale_id', '!=', false], ...since], {
      fields: ['name', 'state', 'date_done', 'origin', 'sale_id', 'create_uid', 'write_uid'],
      order: 'id',
    }),
    required('account.move', [['move_type', 'in', ['out_invoice', 'out_refund']], ...since], {
      fields: [
        'name',
        'move_type',
        'state',
        'payment_state',
        'amount_total',
        'amount_untaxed',
        'ref',
        'invoice_origin',
        'invoice_date',
        'create_date',
        'create_uid',
        'write_uid',
      ],
      order: 'id',
    }),
    readTolerant(
      reader,
      'account.payment',
      since,
      ['name', 'amount', 'payment_type', 'state', 'ref', 'create_uid', 'write_uid', 'create_date'],
      ['is_reconciled', 'reconciled_invoice_ids'],
      notes,
    ),
    required('res.users', [], { fields: ['login'], order: 'id', ...ALL_RECORDS }),
  ]);

  const invoices = invoiceRows.map(toInvoice);
  let invoiceLines: InvoiceLineRow[] | null = null;
  if (invoices.length > 0) {
    try {
      const lineRows = await reader.searchRead(
        'account.move.line',
        [
          ['move_id', 'in', invoices.map((i) => i.id)],
          ['display_type', '=', 'product'],
        ],
        { fields: ['move_id', 'product_id', 'quantity'], order: 'id' },
      );
      invoiceLines = lineRows.map(toInvoiceLine);
    } catch (error) {
      notes.push(`account.move.line unreadable (${errorText(error)}); invoice contents taken from the capture ledger`);
    }
  } else {
    invoiceLines = [];
  }

  const productIds = [...new Set((invoiceLines ?? []).flatMap((l) => (l.productId === null ? [] : [l.productId])))].sort((a, b) => a - b);
  const productRows =
    productIds.length === 0
      ? []
      : await readTolerant(reader, 'product.product', [['id', 'in', productIds]], ['default_code'], ['invoice_policy'], notes, ALL_RECORDS);

  return {
    saleOrders: orderRows.map(toSaleOrder),
    pickings: pickingRows.map(toPicking),
    invoices,
    invoiceLines,
    payments: paymentRows.map(toPayment),
    products: productRows.map((r) => ({ id: num(r['id']), defaultCode: text(r['default_code']), invoicePolicy: text(r['invoice_policy']) })),
    users: userRows.map((r) => ({ id: num(r['id']), login: text(r['login']) ?? '' })),
    notes,
  };
}

/**
 * A read every verdict depends on: failing it fails the snapshot, since an
 * empty model would make invariants pass on nothing. The error names the model.
 */
function readRequired(reader: OdooReader): OdooReader['searchRead'] {
  return async (model, domain, query) => {
    try {
      return await reader.searchRead(model, domain, query);
    } catch (error) {
      throw new Error(`reading ${model} (${(query?.fields ?? []).join(', ')}) for the invariants failed: ${errorText(error)}`, { cause: error });
    }
  };
}

/**
 * Asks for the optional fields too, and without them when Odoo refuses one:
 * they sharpen a verdict but their absence (another Odoo version, a partial
 * emulator) must not cost the whole snapshot.
 */
async function readTolerant(
  reader: OdooReader,
  model: string,
  domain: Domain,
  fields: string[],
  optional: string[],
  notes: string[],
  options: { context?: Record<string, unknown> } = {},
): Promise<Record<string, unknown>[]> {
  try {
    return await reader.searchRead(model, domain, { fields: [...fields, ...optional], order: 'id', ...options });
  } catch (error) {
    notes.push(`${model}: ${optional.join(', ')} unreadable (${errorText(error)}); read without them`);
    return reader.searchRead(model, domain, { fields, order: 'id', ...options });
  }
}

function toSaleOrder(r: Record<string, unknown>): SaleOrderRow {
  return {
    id: num(r['id']),
    name: text(r['name']) ?? '',
    clientOrderRef: text(r['client_order_ref']),
    state: text(r['state']) ?? '',
    amountTotal: num(r['amount_total']),
    amountUntaxed: num(r['amount_untaxed']),
    pickingIds: idList(r['picking_ids']) ?? [],
    invoiceIds: idList(r['invoice_ids']) ?? [],
    createUid: many2oneId(r['create_uid']),
    writeUid: many2oneId(r['write_uid']),
    createdAt: odooTime(r['create_date']),
  };
}

function toPicking(r: Record<string, unknown>): PickingRow {
  return {
    id: num(r['id']),
    name: text(r['name']) ?? '',
    state: text(r['state']) ?? '',
    doneAt: odooTime(r['date_done']),
    origin: text(r['origin']),
    saleId: many2oneId(r['sale_id']),
    createUid: many2oneId(r['create_uid']),
    writeUid: many2oneId(r['write_uid']),
  };
}

function toInvoice(r: Record<string, unknown>): InvoiceRow {
  return {
    id: num(r['id']),
    name: text(r['name']) ?? '',
    moveType: r['move_type'] === 'out_refund' ? 'out_refund' : 'out_invoice',
    state: text(r['state']) ?? '',
    paymentState: text(r['payment_state']),
    amountTotal: num(r['amount_total']),
    amountUntaxed: num(r['amount_untaxed']),
    ref: text(r['ref']),
    invoiceOrigin: text(r['invoice_origin']),
    invoiceDate: text(r['invoice_date']),
    createdAt: odooTime(r['create_date']),
    createUid: many2oneId(r['create_uid']),
    writeUid: many2oneId(r['write_uid']),
  };
}

function toInvoiceLine(r: Record<string, unknown>): InvoiceLineRow {
  return { id: num(r['id']), moveId: many2oneId(r['move_id']) ?? 0, productId: many2oneId(r['product_id']), quantity: num(r['quantity']) };
}

function toPayment(r: Record<string, unknown>): PaymentRow {
  return {
    id: num(r['id']),
    name: text(r['name']) ?? '',
    amount: num(r['amount']),
    paymentType: text(r['payment_type']),
    state: text(r['state']) ?? '',
    ref: text(r['ref']) ?? text(r['memo']),
    isReconciled: typeof r['is_reconciled'] === 'boolean' ? r['is_reconciled'] : null,
    reconciledInvoiceIds: idList(r['reconciled_invoice_ids']),
    createUid: many2oneId(r['create_uid']),
    writeUid: many2oneId(r['write_uid']),
    createdAt: odooTime(r['create_date']),
  };
}

// Odoo answers `false` for every empty field, whatever its type.

export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

export function many2oneId(value: unknown): number | null {
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
  return typeof value === 'number' ? value : null;
}

/** The display name of a many2one as Odoo reads it (`[id, name]`), or null when unset. */
export function many2oneName(value: unknown): string | null {
  return Array.isArray(value) && typeof value[1] === 'string' ? value[1] : null;
}

function idList(value: unknown): number[] | null {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : null;
}

/** `YYYY-MM-DD HH:MM:SS` (UTC) or `YYYY-MM-DD` to epoch ms. */
export function odooTime(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null;
  const iso = value.length === 10 ? `${value}T00:00:00Z` : `${value.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}
