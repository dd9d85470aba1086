import { describe, expect, expectTypeOf, it } from 'vitest';
import type { OdooClient } from '../odoo/client.ts';
import type { OdooReader } from './odoo-snapshot.ts';
import { odooTime, readOdooSnapshot } from './odoo-snapshot.ts';

type Rows = Record<string, Record<string, unknown>[]>;

/** Answers like Odoo's search_read: `false` for empty fields, many2one as [id, name]; refuses the fields it lacks. */
function fakeOdoo(rows: Rows, refuse: string[] = []) {
  const calls: { model: string; fields: readonly string[] }[] = [];
  const reader: OdooReader = {
    async searchRead(model, _domain, query) {
      const fields = query?.fields ?? [];
      calls.push({ model, fields });
      const missing = fields.find((f) => refuse.includes(`${model}.${f}`));
      if (missing !== undefined) throw new Error(`ValueError: Invalid field '${missing}' on model '${model}'`);
      return (rows[model] ?? []).map((row) => ({ id: row['id'], ...Object.fromEntries(fields.map((f) => [f, row[f] ?? false])) }));
    },
  };
  return { reader, calls };
}

const odoo: Rows = {
  'sale.order': [
    {
      id: 1,
      name: 'S00001',
      client_order_ref: 'CAP-000001',
      state: 'sale',
      amount_total: 2.31,
      amount_untaxed: 2.01,
      picking_ids: [11],
      invoice_ids: [21],
      create_uid: [7, 'Faultline Middleware'],
      write_uid: [7, 'Faultline Middleware'],
      create_date: '2026-01-05 09:00:01',
    },
  ],
  'stock.picking': [
    {
      id: 11,
      name: 'WH/OUT/00001',
      state: 'done',
      date_done: '2026-01-05 10:00:00',
      origin: 'S00001',
      sale_id: [1, 'S00001'],
      create_uid: [7, 'x'],
      write_uid: [7, 'x'],
    },
  ],
  'account.move': [
    {
      id: 21,
      name: 'INV/2026/00001',
      move_type: 'out_invoice',
      state: 'posted',
      payment_state: 'paid',
      amount_total: 2.31,
      amount_untaxed: 2.01,
      ref: 'CAP-000001',
      invoice_origin: 'S00001',
      invoice_date: '2026-01-05',
      create_date: '2026-01-05 10:00:01',
      create_uid: [7, 'x'],
      write_uid: [2, 'admin'],
    },
  ],
  'account.move.line': [{ id: 51, move_id: [21, 'INV/2026/00001'], product_id: [101, '[FL-CONSU-01] Packing tape'], quantity: 2 }],
  'account.payment': [
    {
      id: 31,
      name: 'PBNK1/2026/00001',
      amount: 2.31,
      payment_type: 'inbound',
      state: 'posted',
      ref: 'INV/2026/00001',
      is_reconciled: true,
      reconciled_invoice_ids: [21],
      create_uid: [7, 'x'],
      write_uid: [7, 'x'],
      create_date: '2026-01-05 10:00:02',
    },
  ],
  'product.product': [{ id: 101, default_code: 'FL-CONSU-01', invoice_policy: 'order' }],
  'res.users': [
    { id: 2, login: 'admin' },
    { id: 7, login: 'faultline-middleware' },
  ],
};

describe('readOdooSnapshot', () => {
  it("reads through the project's own Odoo client as it is", () => {
    expectTypeOf<OdooClient>().toExtend<OdooReader>();
  });

  it("reads what the invariants need into plain JSON, in Odoo's own terms made typed", async () => {
    const { reader } = fakeOdoo(odoo);
    const snapshot = await readOdooSnapshot(reader);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot.saleOrders[0]).toEqual({
      id: 1,
      name: 'S00001',
      clientOrderRef: 'CAP-000001',
      state: 'sale',
      amountTotal: 2.31,
      amountUntaxed: 2.01,
      pickingIds: [11],
      invoiceIds: [21],
      createUid: 7,
      writeUid: 7,
      createdAt: Date.UTC(2026, 0, 5, 9, 0, 1),
    });
    expect(snapshot.pickings[0]).toMatchObject({ saleId: 1, state: 'done', doneAt: Date.UTC(2026, 0, 5, 10) });
    expect(snapshot.invoices[0]).toMatchObject({ moveType: 'out_invoice', ref: 'CAP-000001', writeUid: 2, invoiceDate: '2026-01-05' });
    expect(snapshot.invoiceLines).toEqual([{ id: 51, moveId: 21, productId: 101, quantity: 2 }]);
    expect(snapshot.payments[0]).toMatchObject({ ref: 'INV/2026/00001', isReconciled: true, reconciledInvoiceIds: [21] });
    expect(snapshot.products).toEqual([{ id: 101, defaultCode: 'FL-CONSU-01', invoicePolicy: 'order' }]);
    expect(snapshot.users).toEqual([
      { id: 2, login: 'admin' },
      { id: 7, login: 'faultline-middleware' },
    ]);
    expect(snapshot.notes).toEqual([]);
  });

  it('reads each model once, and only what exists', async () => {
    const { reader, calls } = fakeOdoo(odoo);
    await readOdooSnapshot(reader);
    expect(calls.map((c) => c.model).sort()).toEqual([
      'account.move',
      'account.move.line',
      'account.payment',
      'product.product',
      'res.users',
      'sale.order',
      'stock.picking',
    ]);
  });

  it('turns empty fields into null rather than false', async () => {
    const { reader } = fakeOdoo({ 'sale.order': [{ id: 1, name: 'S00001', client_order_ref: false, state: 'draft' }] });
    const snapshot = await readOdooSnapshot(reader);
    expect(snapshot.saleOrders[0]).toMatchObject({ clientOrderRef: null, createUid: null, createdAt: null, pickingIds: [] });
  });

  it('reads payments without the optional fields an Odoo refuses, and notes it', async () => {
    const { reader } = fakeOdoo(odoo, ['account.payment.reconciled_invoice_ids']);
    const snapshot = await readOdooSnapshot(reader);
    expect(snapshot.payments[0]).toMatchObject({ amount: 2.31, reconciledInvoiceIds: null, isReconciled: null });
    expect(snapshot.notes[0]).toContain('account.payment');
  });

  it('reads Odoo datetimes and dates as UTC', () => {
    expect(odooTime('2026-01-05 09:00:01')).toBe(Date.UTC(2026, 0, 5, 9, 0, 1));
    expect(odooTime('2026-01-05')).toBe(Date.UTC(2026, 0, 5));
    expect(odooTime(false)).toBeNull();
  });
});

describe('readOdooSnapshot on an Odoo that lacks a field it needs', () => {
  it('fails naming the model and the fields, rather than judging on an empty model', async () => {
    const { reader } = fakeOdoo(odoo, ['stock.picking.date_done']);
    await expect(readOdooSnapshot(reader)).rejects.toThrow(/reading stock\.picking \(name, state, date_done.*Invalid field 'date_done'/);
  });
});
