import { describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../index.ts';
import { testContext } from './context.ts';

describe('journal items of a posted invoice and its payment', () => {
  it('balance: product and tax items opposite the receivable, and the payment clears the receivable', () => {
    const odoo = createOdooEmulator(testContext(), { db: 'odoo' });
    const call = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => odoo.execute(model, method, args, kwargs);
    const partner = call('res.partner', 'create', [{ name: 'Ledger Customer' }]) as number;
    const product = call('product.product', 'create', [{ name: 'Ledger Widget', type: 'consu', invoice_policy: 'order', list_price: 10 }]) as number;
    const order = call('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 3 }]] }]) as number;
    call('sale.order', 'action_confirm', [[order]]);
    const context = { active_model: 'sale.order', active_ids: [order], active_id: order };
    call(
      'sale.advance.payment.inv',
      'create_invoices',
      [[call('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], { context })]],
      { context },
    );
    const invoice = (call('sale.order', 'read', [[order]], { fields: ['invoice_ids'] }) as Array<{ invoice_ids: number[] }>)[0]!.invoice_ids[0]!;
    call('account.move', 'action_post', [[invoice]]);
    const items = call('account.move.line', 'search_read', [[['move_id', '=', invoice]]], {
      fields: ['display_type', 'debit', 'credit', 'balance', 'amount_residual', 'reconciled'],
      order: 'id',
    }) as Array<Record<string, unknown>>;
    expect(items.map(({ display_type, debit, credit }) => [display_type, Number(debit), Number(credit)])).toEqual([
      ['product', 0, 30],
      ['tax', 0, 4.5],
      ['payment_term', 34.5, 0],
    ]);
    expect(items.reduce((sum, item) => sum + Number(item.balance), 0)).toBeCloseTo(0, 9);
    // invoice_line_ids keeps only the product line, as Odoo's domain on it does.
    expect(
      (call('account.move', 'read', [[invoice]], { fields: ['invoice_line_ids', 'line_ids'] }) as Array<{ invoice_line_ids: number[]; line_ids: number[] }>)[0],
    ).toMatchObject({ invoice_line_ids: [items[0]!.id], line_ids: items.map((item) => item.id) });
    const paying = { active_model: 'account.move', active_ids: [invoice] };
    call('account.payment.register', 'action_create_payments', [[call('account.payment.register', 'create', [{}], { context: paying })]], { context: paying });
    const receivable = call(
      'account.move.line',
      'search_read',
      [
        [
          ['move_id', '=', invoice],
          ['display_type', '=', 'payment_term'],
        ],
      ],
      { fields: ['amount_residual', 'reconciled'] },
    ) as Array<Record<string, unknown>>;
    expect(receivable.map((item) => [Number(item.amount_residual), item.reconciled])).toEqual([[0, true]]);
  });
});
