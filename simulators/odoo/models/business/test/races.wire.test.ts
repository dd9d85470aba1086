import { describe, expect, it } from 'vitest';
import { drainMicrotasks } from '../../../../../harness/core/scheduler.ts';
import { createOdooEmulator, type OdooEmulator } from '../../../index.ts';
import { testContext } from '../../../test/context.ts';
import { kw } from '../../../test/rpc.ts';
import type { MethodResponse } from '../../../../../harness/wire/xmlrpc.ts';
import { MSG } from '../messages.ts';

type Ctx = ReturnType<typeof testContext>;

/** Runs virtual time until every call settled; each result with its virtual settle time. */
async function settle(context: Ctx, calls: Promise<MethodResponse>[]): Promise<Array<{ value: MethodResponse; at: number }>> {
  const results: Array<{ value: MethodResponse; at: number } | undefined> = calls.map(() => undefined);
  calls.forEach((call, i) => void call.then((value) => (results[i] = { value, at: context.clock.now() })));
  for (let guard = 0; guard < 100_000 && results.some((r) => r === undefined); guard++) {
    await drainMicrotasks();
    if (results.every((r) => r !== undefined)) break;
    if (!context.scheduler.runNextInstant(Number.POSITIVE_INFINITY)) await drainMicrotasks();
  }
  return results.map((r) => {
    if (r === undefined) throw new Error('a call never finished');
    return r;
  });
}

async function one(context: Ctx, call: Promise<MethodResponse>): Promise<unknown> {
  const [done] = await settle(context, [call]);
  if (done!.value.kind !== 'value') throw new Error(`setup call failed: ${JSON.stringify(done!.value)}`);
  return done!.value.value;
}

/** A server with 3 workers on virtual time, as in the concurrency experiments; setup runs one call at a time. */
async function server(
  seed: number,
): Promise<{ context: Ctx; odoo: OdooEmulator; call: (model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) => Promise<unknown> }> {
  const context = testContext({ seed, epochMs: Date.UTC(2026, 10, 27, 3, 0, 0) });
  const odoo = createOdooEmulator(context, { capacity: { workers: 3 } });
  const call = (model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) => one(context, kw(odoo, model, method, args, kwargs));
  return { context, odoo, call };
}

const values = (done: Array<{ value: MethodResponse }>) => done.map((d) => d.value);

describe('concurrent calls through the capacity model', () => {
  it('confirms a fresh order once; the other confirm faults at once with the follower unique violation', async () => {
    const { context, call, odoo } = await server(1);
    const partner = (await call('res.partner', 'create', [{ name: 'Race' }])) as number;
    const product = (await call('product.product', 'create', [{ name: 'Thing', type: 'consu', list_price: 25 }])) as number;
    const order = (await call('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] }])) as number;
    const done = await settle(context, [kw(odoo, 'sale.order', 'action_confirm', [[order]]), kw(odoo, 'sale.order', 'action_confirm', [[order]])]);
    expect(values(done)).toContainEqual({ kind: 'value', value: true });
    expect(values(done)).toContainEqual({ kind: 'fault', faultCode: 2, faultString: MSG.uniqueViolation(MSG.followTwice) });
    const read = (await call('sale.order', 'read', [[order]], { fields: ['state', 'picking_ids'] })) as Array<{ state: string; picking_ids: number[] }>;
    expect(read[0]).toMatchObject({ state: 'sale' });
    expect(read[0]!.picking_ids).toHaveLength(1);
  });

  it('invoices a delivered order once; the other create_invoices finds nothing to invoice after a retry', async () => {
    const { context, call, odoo } = await server(2);
    const term = ((await call('account.payment.term', 'search', [[['name', '=', 'Immediate Payment']]])) as number[])[0]!;
    const partner = (await call('res.partner', 'create', [{ name: 'Race', property_payment_term_id: term }])) as number;
    const product = (await call('product.product', 'create', [{ name: 'Thing', type: 'consu', list_price: 25 }])) as number;
    const order = (await call('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] }])) as number;
    await call('sale.order', 'action_confirm', [[order]]);
    const ctx = { context: { active_model: 'sale.order', active_ids: [order] } };
    const w1 = await call('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], ctx);
    const w2 = await call('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], ctx);
    const start = context.clock.now();
    const done = await settle(context, [
      kw(odoo, 'sale.advance.payment.inv', 'create_invoices', [[w1]]),
      kw(odoo, 'sale.advance.payment.inv', 'create_invoices', [[w2]]),
    ]);
    const faults = values(done).filter((v) => v.kind === 'fault');
    expect(faults).toEqual([{ kind: 'fault', faultCode: 2, faultString: MSG.nothingToInvoice }]);
    expect(Math.max(...done.map((d) => d.at - start))).toBeGreaterThan(Math.min(...done.map((d) => d.at - start)));
    const read = (await call('sale.order', 'read', [[order]], { fields: ['invoice_ids'] })) as Array<{ invoice_ids: number[] }>;
    expect(read[0]!.invoice_ids).toHaveLength(1);
  });

  it('posts two full payments for two concurrent registrations: the invoice reads paid, one payment stays outstanding', async () => {
    const { context, call, odoo } = await server(3);
    const partner = (await call('res.partner', 'create', [{ name: 'Race' }])) as number;
    const product = (await call('product.product', 'create', [{ name: 'Thing', type: 'consu', list_price: 25 }])) as number;
    const invoiceFor = async (): Promise<number> => {
      const order = (await call('sale.order', 'create', [
        { partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] },
      ])) as number;
      await call('sale.order', 'action_confirm', [[order]]);
      const wizard = await call('sale.advance.payment.inv', 'create', [{}], { context: { active_model: 'sale.order', active_ids: [order] } });
      await settle(context, [kw(odoo, 'sale.advance.payment.inv', 'create_invoices', [[wizard]])]); // faults with the None, invoice committed
      const invoice = ((await call('sale.order', 'read', [[order]], { fields: ['invoice_ids'] })) as Array<{ invoice_ids: number[] }>)[0]!.invoice_ids[0]!;
      await call('account.move', 'action_post', [[invoice]]);
      return invoice;
    };
    const pay = { context: { active_model: 'account.move' } };
    // The journal's first payment number is its own race (a unique violation): take it first.
    const warm = await invoiceFor();
    await call('account.payment.register', 'action_create_payments', [
      [await call('account.payment.register', 'create', [{}], { context: { ...pay.context, active_ids: [warm] } })],
    ]);
    const invoice = await invoiceFor();
    const w1 = await call('account.payment.register', 'create', [{}], { context: { ...pay.context, active_ids: [invoice] } });
    const w2 = await call('account.payment.register', 'create', [{}], { context: { ...pay.context, active_ids: [invoice] } });
    const done = await settle(context, [
      kw(odoo, 'account.payment.register', 'action_create_payments', [[w1]]),
      kw(odoo, 'account.payment.register', 'action_create_payments', [[w2]]),
    ]);
    expect(values(done).every((v) => v.kind === 'value' && (v.value as Record<string, unknown>).res_model === 'account.payment')).toBe(true);
    const inv = (await call('account.move', 'read', [[invoice]], { fields: ['payment_state', 'amount_residual'] })) as Array<Record<string, unknown>>;
    expect([inv[0]!.payment_state, Number(inv[0]!.amount_residual)]).toEqual(['paid', 0]);
    const ids = values(done).map((v) => (v as { value: { res_id: number } }).value.res_id);
    const payments = (await call('account.payment', 'read', [ids], { fields: ['amount', 'state', 'is_reconciled'] })) as Array<Record<string, unknown>>;
    expect(payments.map((p) => p.is_reconciled).sort()).toEqual([false, true]);
    expect(payments.every((p) => p.state === 'posted' && Number(p.amount) === 57.5)).toBe(true);
  });

  it('delivers a fresh picking once; the other validation faults at once with the follower unique violation', async () => {
    const { context, call, odoo } = await server(6);
    const partner = (await call('res.partner', 'create', [{ name: 'Race' }])) as number;
    const product = (await call('product.product', 'create', [{ name: 'Thing', type: 'consu', list_price: 25 }])) as number;
    const order = (await call('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] }])) as number;
    await call('sale.order', 'action_confirm', [[order]]);
    const picking = ((await call('sale.order', 'read', [[order]], { fields: ['picking_ids'] })) as Array<{ picking_ids: number[] }>)[0]!.picking_ids[0]!;
    const done = await settle(context, [kw(odoo, 'stock.picking', 'button_validate', [[picking]]), kw(odoo, 'stock.picking', 'button_validate', [[picking]])]);
    expect(values(done)).toContainEqual({ kind: 'value', value: true });
    expect(values(done)).toContainEqual({ kind: 'fault', faultCode: 2, faultString: MSG.uniqueViolation(MSG.followTwice) });
    const line = ((await call('sale.order', 'read', [[order]], { fields: ['order_line'] })) as Array<{ order_line: number[] }>)[0]!.order_line[0]!;
    const read = (await call('sale.order.line', 'read', [[line]], { fields: ['qty_delivered'] })) as Array<Record<string, unknown>>;
    expect(Number(read[0]!.qty_delivered)).toBe(2);
  });

  it('posts an invoice once; the other post faults "must be in draft" after a retry', async () => {
    const { context, call, odoo } = await server(4);
    const partner = (await call('res.partner', 'create', [{ name: 'Race' }])) as number;
    const product = (await call('product.product', 'create', [{ name: 'Thing', type: 'consu', list_price: 25 }])) as number;
    const invoice = (await call('account.move', 'create', [
      { move_type: 'out_invoice', partner_id: partner, invoice_line_ids: [[0, 0, { product_id: product, quantity: 1 }]] },
    ])) as number;
    const done = await settle(context, [kw(odoo, 'account.move', 'action_post', [[invoice]]), kw(odoo, 'account.move', 'action_post', [[invoice]])]);
    expect(values(done)).toContainEqual({ kind: 'value', value: false });
    expect(values(done)).toContainEqual({ kind: 'fault', faultCode: 2, faultString: MSG.mustBeDraft('INV/2026/00001', invoice) });
  });

  it('numbers both drafts first when two orders are invoiced at once on a fresh year; the second post is refused until its name is reset', async () => {
    const { context, call, odoo } = await server(7);
    const term = ((await call('account.payment.term', 'search', [[['name', '=', 'Immediate Payment']]])) as number[])[0]!;
    const partner = (await call('res.partner', 'create', [{ name: 'Race', property_payment_term_id: term }])) as number;
    const product = (await call('product.product', 'create', [{ name: 'Thing', type: 'consu', list_price: 25 }])) as number;
    const wizards: unknown[] = [];
    const orders: number[] = [];
    for (let i = 0; i < 2; i++) {
      const order = (await call('sale.order', 'create', [
        { partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] },
      ])) as number;
      await call('sale.order', 'action_confirm', [[order]]);
      orders.push(order);
      wizards.push(
        await call('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], {
          context: { active_model: 'sale.order', active_ids: [order] },
        }),
      );
    }
    const created = await settle(
      context,
      wizards.map((w, i) =>
        kw(odoo, 'sale.advance.payment.inv', 'create_invoices', [[w]], { context: { active_model: 'sale.order', active_ids: [orders[i]] } }),
      ),
    );
    expect(values(created).every((v) => v.kind === 'value')).toBe(true);
    const invoices = (await call('account.move', 'search_read', [[['move_type', '=', 'out_invoice']]], {
      fields: ['name', 'sequence_number'],
      order: 'id',
    })) as Array<{ id: number; name: string }>;
    expect(invoices.map((i) => i.name)).toEqual(['INV/2026/00001', 'INV/2026/00001']);
    const [first, second] = invoices.map((i) => i.id) as [number, number];
    expect(await call('account.move', 'action_post', [[first]])).toBe(false);
    const refused = await settle(context, [kw(odoo, 'account.move', 'action_post', [[second]])]);
    expect(refused[0]!.value).toEqual({ kind: 'fault', faultCode: 2, faultString: MSG.uniqueViolation(MSG.sameEntryName) });
    await call('account.move', 'write', [[second], { name: '/' }]);
    expect(await call('account.move', 'action_post', [[second]])).toBe(false);
    const posted = (await call('account.move', 'read', [[second]], { fields: ['name', 'state'] })) as Array<Record<string, unknown>>;
    expect(posted[0]).toMatchObject({ name: 'INV/2026/00002', state: 'posted' });
  });

  it('numbers only the first of two invoices created one after the other', async () => {
    const { call } = await server(8);
    const partner = (await call('res.partner', 'create', [{ name: 'Calm' }])) as number;
    const product = (await call('product.product', 'create', [{ name: 'Thing', type: 'consu', list_price: 25 }])) as number;
    const vals = { move_type: 'out_invoice', partner_id: partner, invoice_line_ids: [[0, 0, { product_id: product, quantity: 1 }]] };
    await call('account.move', 'create', [vals]);
    await call('account.move', 'create', [vals]);
    const invoices = (await call('account.move', 'search_read', [[['move_type', '=', 'out_invoice']]], { fields: ['name'], order: 'id' })) as Array<{
      name: string;
    }>;
    expect(invoices.map((i) => i.name)).toEqual(['INV/2026/00001', '/']);
  });

  it('accepts every concurrent create with one client_order_ref', async () => {
    const { context, call, odoo } = await server(5);
    const partner = (await call('res.partner', 'create', [{ name: 'Race' }])) as number;
    const product = (await call('product.product', 'create', [{ name: 'Thing', type: 'consu', list_price: 25 }])) as number;
    const vals = { partner_id: partner, client_order_ref: 'DUP-1', order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] };
    const done = await settle(
      context,
      Array.from({ length: 4 }, () => kw(odoo, 'sale.order', 'create', [vals])),
    );
    expect(values(done).every((v) => v.kind === 'value')).toBe(true);
    expect(await call('sale.order', 'search_count', [[['client_order_ref', '=', 'DUP-1']]])).toBe(4);
  });
});
