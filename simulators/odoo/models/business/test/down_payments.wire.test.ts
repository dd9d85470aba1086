import { describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../../../index.ts';
import { testContext } from '../../../test/context.ts';
import { kw, lastLine } from '../../../test/rpc.ts';
import type { MethodResponse } from '../../../../../harness/wire/xmlrpc.ts';
import { plain } from './database.ts';

function value(response: MethodResponse): unknown {
  if (response.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(response)}`);
  return plain(response.value);
}

describe('down payments over XML-RPC', () => {
  it('commits the down-payment invoice before the None payment term faults, then pays the rest on the final invoice', async () => {
    const odoo = createOdooEmulator(testContext());
    const partner = value(await kw(odoo, 'res.partner', 'create', [{ name: 'Wire Customer' }])) as number;
    const product = value(await kw(odoo, 'product.product', 'create', [{ name: 'Chair', type: 'consu', invoice_policy: 'order', list_price: 200 }])) as number;
    const order = value(
      await kw(odoo, 'sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] }]),
    ) as number;
    await kw(odoo, 'sale.order', 'action_confirm', [[order]]);
    const context = { active_model: 'sale.order', active_ids: [order] };
    const wizard = value(await kw(odoo, 'sale.advance.payment.inv', 'create', [{ advance_payment_method: 'fixed', fixed_amount: 100 }], { context })) as number;
    const trap = await kw(odoo, 'sale.advance.payment.inv', 'create_invoices', [[wizard]], { context });
    expect(lastLine(trap)).toBe('TypeError: cannot marshal None unless allow_none is enabled');

    const [deposit] = value(await kw(odoo, 'sale.order', 'read', [[order], ['invoice_ids', 'invoice_status']])) as Array<{
      invoice_ids: number[];
      invoice_status: string;
    }>;
    expect(deposit!.invoice_status).toBe('to invoice');
    const [depositInvoice] = value(await kw(odoo, 'account.move', 'read', [deposit!.invoice_ids, ['amount_total', 'state']])) as Array<Record<string, unknown>>;
    expect(depositInvoice).toMatchObject({ amount_total: 100, state: 'draft' });
    await kw(odoo, 'account.move', 'action_post', [deposit!.invoice_ids]);

    const regular = value(await kw(odoo, 'sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], { context })) as number;
    await kw(odoo, 'sale.advance.payment.inv', 'create_invoices', [[regular]], { context });
    const [after] = value(await kw(odoo, 'sale.order', 'read', [[order], ['invoice_ids', 'invoice_status']])) as Array<{
      invoice_ids: number[];
      invoice_status: string;
    }>;
    const final = Math.max(...after!.invoice_ids);
    const [finalInvoice] = value(await kw(odoo, 'account.move', 'read', [[final], ['amount_total']])) as Array<Record<string, unknown>>;
    expect(finalInvoice).toMatchObject({ amount_total: 130 });
    expect(after!.invoice_status).toBe('invoiced');
  });

  it('answers the module check a provisioning client makes', async () => {
    const odoo = createOdooEmulator(testContext());
    const rows = value(
      await kw(odoo, 'ir.module.module', 'search_read', [[['name', 'in', ['sale_management', 'stock', 'account']]]], { fields: ['name', 'state'] }),
    ) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.name, r.state]).sort()).toEqual([
      ['account', 'installed'],
      ['sale_management', 'installed'],
      ['stock', 'installed'],
    ]);
  });
});
