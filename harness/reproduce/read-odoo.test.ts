import { describe, expect, it } from 'vitest';
import { createOdooClient } from '../odoo/client.ts';
import type { OdooClient } from '../odoo/client.ts';
import type { OdooConnection } from '../odoo/targets/types.ts';
import { createEmulatedTarget } from '../odoo/targets/emulated.ts';
import { createTimedFetch } from '../odoo/targets/timed-fetch.ts';
import { readOdoo } from './read-odoo.ts';
import { buildTimeline } from './timeline.ts';
import {
  createInvoices,
  postInvoice,
  readInvoices,
  recordCustomerPayment,
  registerPayment,
  validateOrderDeliveries,
} from '../../middleware/shared/odoo-sales.ts';

const WHOLE_TIME = { since: Date.parse('2000-01-01T00:00:00Z'), until: Date.parse('2100-01-01T00:00:00Z') };

/** An emulated Odoo with one customer, for the time of `use`: what a team's database holds, written through the API. */
async function withOdoo(
  use: (odoo: {
    connection: OdooConnection;
    fetch: ReturnType<typeof createTimedFetch>;
    admin: OdooClient;
    partner: number;
    product: (sku: string) => Promise<number>;
  }) => Promise<void>,
): Promise<void> {
  const target = createEmulatedTarget({ db: 'faultline' });
  const connection = await target.start();
  try {
    const fetch = createTimedFetch(10_000);
    const admin = createOdooClient({ ...connection, fetch });
    const partner = await admin.create('res.partner', { name: 'Customer 1' });
    const product = async (sku: string) => (await admin.search('product.product', [['default_code', '=', sku]]))[0]!;
    await use({ connection, fetch, admin, partner, product });
  } finally {
    await target.stop();
  }
}

describe('Odoo read over the wire', () => {
  it('reads two sale orders for one client_order_ref in the window, and the timeline shows them as one order in Odoo twice', async () => {
    await withOdoo(async ({ connection, fetch, admin, partner, product: productOf }) => {
      const product = await productOf('FL-CONSU-01');
      const order = (ref: string) =>
        admin.create('sale.order', { partner_id: partner, client_order_ref: ref, order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] });
      const first = await order('SHOP-1001');
      await order('SHOP-1001');
      await order('SHOP-1002');
      await admin.executeKw('sale.order', 'action_confirm', [[first]]);

      const result = await readOdoo({ ...connection, ...WHOLE_TIME, fetch });
      expect(result.format).toBe('odoo-wire');
      const created = result.events.filter((e) => e.kind === 'odoo.record' && e.model === 'sale.order');
      expect(created.map((e) => e.orderRef)).toEqual(['SHOP-1001', 'SHOP-1001', 'SHOP-1002']);
      expect(created[0]!.file).toMatch(/^odoo http:\/\/127\.0\.0\.1:\d+ faultline sale\.order$/);
      const gaps = buildTimeline(result.events).gaps;
      expect(gaps.map((g) => `${g.orderRef} ${g.kind}`)).toEqual(['SHOP-1001 two-odoo-orders']);
    });
  });

  it('reads an order to cash: the picking done at its date_done, the invoice posted at its tracked state change, the payment, all joined to the order', async () => {
    await withOdoo(async ({ connection, fetch, admin, partner, product: productOf }) => {
      const product = await productOf('FL-STOCK-01');
      const order = await admin.create('sale.order', {
        partner_id: partner,
        client_order_ref: 'SHOP-2001',
        order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]],
      });
      await admin.executeKw('sale.order', 'action_confirm', [[order]]);
      const [picking] = await validateOrderDeliveries(admin, order);
      const [invoice] = await createInvoices(admin, order, { kind: 'delivered' }, []);
      await postInvoice(admin, invoice!);
      const [posted] = await readInvoices(admin, [invoice!]);
      await registerPayment(admin, invoice!, posted!.amount_total, 'SHOP-2001');
      // Money received with no invoice, under a memo that names no order: read, but not joined.
      await recordCustomerPayment(admin, partner, 5, 'deposit');

      const result = await readOdoo({ ...connection, ...WHOLE_TIME, fetch });
      const events = result.events.filter((e) => e.kind === 'odoo.record');
      expect(events.map((e) => [e.model, e.change, e.orderRef, e.recordId])).toEqual([
        ['sale.order', 'created', 'SHOP-2001', order],
        ['stock.picking', 'done', 'SHOP-2001', picking],
        ['account.move', 'posted', 'SHOP-2001', invoice],
        ['account.payment', 'posted', 'SHOP-2001', expect.any(Number)],
      ]);
      const [done] = await admin.read('stock.picking', [picking!], ['date_done']);
      expect(events[1]!.at).toBe(Date.parse(`${String(done!.date_done).replace(' ', 'T')}Z`));
      // The posting time is Odoo's own record of the state change, not a later write (the payment writes the invoice again).
      const tracked = await admin.searchRead(
        'mail.message',
        [
          ['model', '=', 'account.move'],
          ['res_id', '=', invoice!],
          ['tracking_value_ids', '!=', false],
        ],
        { fields: ['date'], order: 'id' },
      );
      expect(events[2]!.at).toBe(Date.parse(`${String(tracked[0]!.date).replace(' ', 'T')}Z`));
      expect(result.notes).toEqual([]);
      expect(result.ignored.map((i) => `${i.file}:${i.line}: ${i.reason}`)).toEqual([
        expect.stringMatching(
          / account\.payment:\d+: \S+'s memo "deposit" is no order reference or invoice read in the window, and it is reconciled with no invoice of an order: it cannot be joined to an order$/,
        ),
      ]);
    });
  });
});

/**
 * An Odoo that answers the reader's calls with records as Odoo 17 serialises them (false for empty, many2one as
 * [id, name]), some of them partial or malformed, as a production database holds them.
 */
function recordedOdoo(tracking: 'readable' | 'forbidden') {
  const records: Record<string, Array<Record<string, unknown>>> = {
    'sale.order': [
      { id: 10, name: 'S00010', client_order_ref: 'SHOP-3001', create_date: '2026-11-27 14:02:00', state: 'sale' },
      { id: 11, name: 'S00011', client_order_ref: false, create_date: '2026-11-27 14:03:00', state: 'sale' },
      { id: 12, name: 'S00012', client_order_ref: 'SHOP-3002', create_date: false, state: 'draft' },
    ],
    'stock.picking': [
      { id: 20, name: 'WH/OUT/00020', origin: 'S00010', sale_id: [10, 'S00010'], date_done: '2026-11-27 15:00:00' },
      { id: 21, name: 'WH/OUT/00021', origin: false, sale_id: false, date_done: '2026-11-27 15:05:00' },
      { id: 22, name: 'WH/OUT/00022', origin: 'S00010', sale_id: [10, 'S00010'], date_done: 'yesterday' },
    ],
    'mail.message': [{ id: 30, model: 'account.move', res_id: 40, date: '2026-11-27 14:30:00', tracking_value_ids: [50, 51] }],
    'mail.tracking.value': [
      { id: 50, field_id: [7, 'Status'], new_value_char: 'Posted', mail_message_id: [30, 'Invoice posted'] },
      { id: 51, field_id: [8, 'Amount'], new_value_char: 'posted', mail_message_id: [30, 'Invoice posted'] },
    ],
    'account.move': [{ id: 40, name: 'INV/2026/00040', ref: false, invoice_origin: 'S00010', write_date: '2026-11-27 16:00:00', invoice_date: '2026-11-27' }],
    'account.payment': [
      { id: 60, name: 'PBNK1/2026/00060', ref: 'INV/2026/00040', create_date: '2026-11-27 16:05:00', amount: 10, reconciled_invoice_ids: [] },
      { id: 61, name: 'PBNK1/2026/00061', ref: false, create_date: '2026-11-27 16:06:00', amount: 5, reconciled_invoice_ids: [40] },
      { id: 62, name: 'PBNK1/2026/00062', ref: false, create_date: '2026-11-27 16:07:00', amount: 7, reconciled_invoice_ids: [99] },
    ],
  };
  // An invoice posted before the window, and its order.
  const older = { invoice: { id: 99, ref: false, invoice_origin: 'S00005' }, order: { id: 5, name: 'S00005', client_order_ref: 'SHOP-2999' } };
  const answer = (id: unknown, result: unknown) => Response.json({ jsonrpc: '2.0', id, result });
  const fetch = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const { id, params } = JSON.parse(String(init?.body)) as { id: number; params: { service: string; method: string; args: unknown[] } };
    if (params.service === 'common') return answer(id, 2);
    const [, , , model, method, args] = params.args as [string, number, string, string, string, unknown[]];
    if (model === 'mail.tracking.value' && tracking === 'forbidden') {
      return Response.json({
        jsonrpc: '2.0',
        id,
        error: {
          code: 200,
          message: 'Odoo Server Error',
          data: { name: 'odoo.exceptions.AccessError', message: 'You are not allowed to access Tracking Value (mail.tracking.value) records.' },
        },
      });
    }
    if (method === 'read' && model === 'account.move') return answer(id, [older.invoice]);
    if (method === 'read')
      return answer(
        id,
        records[model]!.filter((r) => (args[0] as number[]).includes(r.id as number)),
      );
    const domain = args[0] as Array<[string, string, unknown]>;
    if (model === 'sale.order' && domain[0]?.[0] === 'name') return answer(id, [older.order]);
    return answer(id, records[model] ?? []);
  };
  return { url: 'http://odoo.test', db: 'production', login: 'reader', password: 'secret', fetch, ...WHOLE_TIME };
}

describe('Odoo read over the wire, with partial and malformed records', () => {
  it('joins pickings, invoices and payments to their orders, takes the posting time from the tracked state change, and shows an invoice posted before its delivery', async () => {
    const result = await readOdoo(recordedOdoo('readable'));
    const events = result.events.filter((e) => e.kind === 'odoo.record');
    expect(events.map((e) => [e.model, e.recordName, e.change, e.orderRef, new Date(e.at).toISOString()])).toEqual([
      ['sale.order', 'S00010', 'created', 'SHOP-3001', '2026-11-27T14:02:00.000Z'],
      ['stock.picking', 'WH/OUT/00020', 'done', 'SHOP-3001', '2026-11-27T15:00:00.000Z'],
      // Tracked: posted at 14:30, not at its last write at 16:00 (a payment writes the invoice again).
      ['account.move', 'INV/2026/00040', 'posted', 'SHOP-3001', '2026-11-27T14:30:00.000Z'],
      // Joined by its memo (the invoice's name), by the invoice it is reconciled with, and through an invoice posted before the window.
      ['account.payment', 'PBNK1/2026/00060', 'posted', 'SHOP-3001', '2026-11-27T16:05:00.000Z'],
      ['account.payment', 'PBNK1/2026/00061', 'posted', 'SHOP-3001', '2026-11-27T16:06:00.000Z'],
      ['account.payment', 'PBNK1/2026/00062', 'posted', 'SHOP-2999', '2026-11-27T16:07:00.000Z'],
    ]);
    expect(result.ignored.map((i) => `${i.file.replace('odoo http://odoo.test production ', '')}:${i.line}: ${i.reason}`)).toEqual([
      'sale.order:11: S00011 names no order reference (client_order_ref / ref): it cannot be joined to an order',
      'sale.order:12: S00012 has no create_date, so no time for "created"',
      'stock.picking:21: WH/OUT/00021 names no order reference (client_order_ref / ref): it cannot be joined to an order',
      'stock.picking:22: WH/OUT/00022\'s date_done "yesterday" is not an Odoo datetime (YYYY-MM-DD HH:MM:SS, UTC), so no time for "done"',
    ]);
    expect(result.notes).toEqual([]);
    expect(buildTimeline(result.events).gaps.map((g) => `${g.orderRef} ${g.kind}`)).toContain('SHOP-3001 invoice-before-delivery');
  });

  it('says when the tracked state changes cannot be read, and falls back to the last write for the posting time', async () => {
    const result = await readOdoo(recordedOdoo('forbidden'));
    const invoice = result.events.find((e) => e.kind === 'odoo.record' && e.model === 'account.move')!;
    expect(new Date(invoice.at).toISOString()).toBe('2026-11-27T16:00:00.000Z');
    expect(result.notes).toEqual([
      expect.stringMatching(
        /^mail\.tracking\.value could not be read \(.*You are not allowed to access Tracking Value \(mail\.tracking\.value\) records\.\): invoice posting times are their last write$/,
      ),
      '1 posted invoices have no tracked state change: their posting time is their last write, which may be later',
    ]);
  });
});
