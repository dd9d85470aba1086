/**
 * Odoo itself, read over the wire for a time window with the project's one
 * Odoo client: sale orders by `client_order_ref`, pickings done, customer
 * invoices posted, payments, and the `state` changes `mail.tracking.value`
 * recorded. Odoo keeps no posting time on an invoice, only its date; the
 * tracked state change to posted is the posting time, when Odoo tracked it.
 */
import type { SystemFetch } from '../core/system.ts';
import { createOdooClient } from '../odoo/client.ts';
import type { OdooRecord } from '../odoo/client.ts';
import { ReaderLog } from './evidence.ts';
import type { ReaderResult } from './evidence.ts';

export interface OdooEvidenceSource {
  url: string;
  db: string;
  login: string;
  password: string;
  /** The window, ms since the epoch: records created (or changed) within it. */
  since: number;
  until: number;
  fetch: SystemFetch;
}

/** Odoo's datetimes are UTC without a zone: `2026-11-27 14:02:00`. */
const odooTime = (value: unknown): number | undefined => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value)) return undefined;
  const at = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(at) ? undefined : at;
};
const odooText = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const many2oneId = (value: unknown): number | undefined =>
  Array.isArray(value) && typeof value[0] === 'number' ? value[0] : typeof value === 'number' ? value : undefined;
const ids = (value: unknown): number[] => (Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export async function readOdoo(source: OdooEvidenceSource): Promise<ReaderResult> {
  const where = `odoo ${source.url} ${source.db}`;
  const log = new ReaderLog(where);
  const client = createOdooClient({ url: source.url, db: source.db, login: source.login, password: source.password, fetch: source.fetch });
  const window = (field: string) =>
    [
      [field, '>=', odooText(source.since)],
      [field, '<=', odooText(source.until)],
    ] as const;
  // The "line" of an Odoo record is its id: that is what a person looks up in Odoo.
  /** One record's change at the time in `field` (or the tracked time, when Odoo recorded one). */
  const push = (model: string, record: OdooRecord, change: string, field: string, orderRef: string | undefined, name: string, trackedAt?: number): void => {
    const at = trackedAt ?? odooTime(record[field]);
    log.line(record.id, () => {
      if (at === undefined) {
        const raw = record[field];
        const reason =
          raw === false || raw === undefined || raw === null || raw === ''
            ? `${name} has no ${field}, so no time for "${change}"`
            : `${name}'s ${field} ${JSON.stringify(raw)} is not an Odoo datetime (YYYY-MM-DD HH:MM:SS, UTC), so no time for "${change}"`;
        log.ignored.push({ file: `${where} ${model}`, line: record.id, reason });
        return;
      }
      if (orderRef === undefined) {
        log.ignored.push({
          file: `${where} ${model}`,
          line: record.id,
          reason: `${name} names no order reference (client_order_ref / ref): it cannot be joined to an order`,
        });
        return;
      }
      log.events.push({
        kind: 'odoo.record',
        system: 'odoo',
        file: `${where} ${model}`,
        line: record.id,
        at,
        orderRef,
        model,
        change,
        recordName: name,
        recordId: record.id,
      });
    });
  };

  const orders = await client.searchRead('sale.order', [...window('create_date')], {
    fields: ['name', 'client_order_ref', 'create_date', 'state'],
    order: 'id',
  });
  const refBySale = new Map<number, string | undefined>(orders.map((o) => [o.id, text(o.client_order_ref)]));
  const refBySaleName = new Map<string, string | undefined>(orders.map((o) => [String(o.name), text(o.client_order_ref)]));
  for (const o of orders) push('sale.order', o, 'created', 'create_date', text(o.client_order_ref), String(o.name));

  const pickings = await client.searchRead('stock.picking', [['state', '=', 'done'], ...window('date_done')], {
    fields: ['name', 'origin', 'sale_id', 'date_done'],
    order: 'id',
  });
  for (const p of pickings) {
    const ref = refBySale.get(many2oneId(p.sale_id) ?? -1) ?? refBySaleName.get(String(p.origin));
    push('stock.picking', p, 'done', 'date_done', ref, String(p.name));
  }

  // When Odoo tracked the state change, that is when each record reached each state.
  const tracked = new Map<string, number>();
  try {
    const messages = await client.searchRead('mail.message', [['model', 'in', ['sale.order', 'stock.picking', 'account.move']], ...window('date')], {
      fields: ['model', 'res_id', 'date', 'tracking_value_ids'],
      order: 'id',
    });
    const trackingIds = messages.flatMap((m) => (Array.isArray(m.tracking_value_ids) ? (m.tracking_value_ids as number[]) : []));
    const values = trackingIds.length === 0 ? [] : await client.read('mail.tracking.value', trackingIds, ['field_id', 'new_value_char', 'mail_message_id']);
    const messageById = new Map(messages.map((m) => [m.id, m]));
    for (const v of values) {
      const message = messageById.get(many2oneId(v.mail_message_id) ?? -1);
      const field = Array.isArray(v.field_id) ? String(v.field_id[1]) : '';
      if (message === undefined || !/status|state/i.test(field)) continue;
      const at = odooTime(message.date);
      if (at !== undefined) tracked.set(`${String(message.model)}:${String(message.res_id)}:${String(v.new_value_char).toLowerCase()}`, at);
    }
  } catch (error) {
    log.notes.push(`mail.tracking.value could not be read (${(error as Error).message}): invoice posting times are their last write`);
  }

  const invoices = await client.searchRead('account.move', [['move_type', '=', 'out_invoice'], ['state', '=', 'posted'], ...window('write_date')], {
    fields: ['name', 'ref', 'invoice_origin', 'write_date', 'invoice_date'],
    order: 'id',
  });
  let untracked = 0;
  for (const i of invoices) {
    const posted = tracked.get(`account.move:${i.id}:posted`);
    if (posted === undefined) untracked++;
    push('account.move', i, 'posted', 'write_date', text(i.ref) ?? refBySaleName.get(String(i.invoice_origin)), String(i.name), posted);
  }
  if (untracked > 0) log.notes.push(`${untracked} posted invoices have no tracked state change: their posting time is their last write, which may be later`);

  // A payment's memo is free text ("deposit", the invoice's name, the order's reference): it is joined to an order
  // only through what it names that is one, or through the invoices it is reconciled with.
  const refByInvoice = new Map<number, string | undefined>(invoices.map((i) => [i.id, text(i.ref) ?? refBySaleName.get(String(i.invoice_origin))]));
  const refByInvoiceName = new Map<string, string | undefined>(invoices.map((i) => [String(i.name), refByInvoice.get(i.id)]));
  const orderRefs = new Set([...refBySale.values()].filter((r): r is string => r !== undefined));
  const payments = await client.searchRead('account.payment', [['state', '=', 'posted'], ...window('create_date')], {
    fields: ['name', 'ref', 'create_date', 'amount', 'reconciled_invoice_ids'],
    order: 'id',
  });
  const outside = [...new Set(payments.flatMap((p) => ids(p.reconciled_invoice_ids)).filter((id) => !refByInvoice.has(id)))];
  if (outside.length > 0) {
    // Invoices posted before the window: their order, through their origin.
    const older = await client.read('account.move', outside, ['ref', 'invoice_origin']);
    const origins = [...new Set(older.map((i) => String(i.invoice_origin)).filter((o) => !refBySaleName.has(o)))];
    const sales = origins.length === 0 ? [] : await client.searchRead('sale.order', [['name', 'in', origins]], { fields: ['name', 'client_order_ref'] });
    for (const o of sales) refBySaleName.set(String(o.name), text(o.client_order_ref));
    for (const i of older) refByInvoice.set(i.id, text(i.ref) ?? refBySaleName.get(String(i.invoice_origin)));
  }
  for (const p of payments) {
    const memo = text(p.ref);
    const ref =
      (memo !== undefined && orderRefs.has(memo) ? memo : undefined) ??
      (memo !== undefined ? refByInvoiceName.get(memo) : undefined) ??
      ids(p.reconciled_invoice_ids)
        .map((id) => refByInvoice.get(id))
        .find((r) => r !== undefined);
    if (ref === undefined && memo !== undefined) {
      log.ignored.push({
        file: `${where} account.payment`,
        line: p.id,
        reason: `${String(p.name)}'s memo "${memo}" is no order reference or invoice read in the window, and it is reconciled with no invoice of an order: it cannot be joined to an order`,
      });
      continue;
    }
    push('account.payment', p, 'posted', 'create_date', ref, String(p.name));
  }
  return log.result('odoo-wire');
}
