import { describe, expect, it } from 'vitest';
import { MSG } from '../messages.ts';
import { shop } from './fixtures.ts';

describe('sale orders', () => {
  it('accepts any number of orders with the same client_order_ref (Odoo does not de-duplicate)', () => {
    const s = shop();
    const orders = [1, 2, 3].map(() => s.order([[s.consumable, 1]], { client_order_ref: 'CAP-000001' }));
    expect(new Set(orders).size).toBe(3);
    expect(s.call('sale.order', 'search_count', [[['client_order_ref', '=', 'CAP-000001']]])).toBe(3);
  });

  it('consumes a sequence number on a failed create, leaving a gap in order names', () => {
    const s = shop();
    s.order([[s.consumable, 1]]);
    const refused = s.fault('sale.order', 'create', [{}]);
    expect(refused.faultCode).toBe(2);
    expect(refused.message).toContain('Field: Customer (partner_id)');
    const next = s.order([[s.consumable, 1]]);
    expect(s.read('sale.order', next, ['name'])).toMatchObject({ name: 'S00003' });
  });

  it('rounds price, quantity and amounts like Odoo and keeps stored totals when the rounding method changes', () => {
    const s = shop();
    const order = s.order([
      [s.consumable, 1, 1.005],
      [s.consumable, 1, 0.125],
      [s.consumable, 1, 2.675],
      ...Array.from({ length: 10 }, (): [number, number, number] => [s.consumable, 1, 0.05]),
    ]);
    expect(s.read('sale.order', order, ['amount_untaxed', 'amount_tax', 'amount_total'])).toMatchObject({
      amount_untaxed: 4.32,
      amount_tax: 0.67,
      amount_total: 4.99,
    });
    const company = (s.call('res.company', 'search', [[]], { limit: 1 }) as number[])[0]!;
    s.call('res.company', 'write', [[company], { tax_calculation_rounding_method: 'round_globally' }]);
    expect(s.read('sale.order', order, ['amount_tax'])).toMatchObject({ amount_tax: 0.67 });
    const global = s.order([
      [s.consumable, 1, 1.005],
      [s.consumable, 1, 0.125],
      [s.consumable, 1, 2.675],
      ...Array.from({ length: 10 }, (): [number, number, number] => [s.consumable, 1, 0.05]),
    ]);
    expect(s.read('sale.order', global, ['amount_tax', 'amount_total'])).toMatchObject({ amount_tax: 0.65, amount_total: 4.97 });
  });

  it('recomputes the totals when a line changes and re-prices it from the product unless the price is written too', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1, 10]]);
    const line = (s.read('sale.order', order, ['order_line']).order_line as number[])[0]!;
    s.call('sale.order.line', 'write', [[line], { product_uom_qty: 2 }]);
    expect(s.read('sale.order.line', line, ['price_unit', 'price_subtotal'])).toMatchObject({ price_unit: 25, price_subtotal: 50 });
    s.call('sale.order.line', 'write', [[line], { product_uom_qty: 3, price_unit: 10 }]);
    expect(s.read('sale.order', order, ['amount_untaxed', 'amount_total'])).toMatchObject({ amount_untaxed: 30, amount_total: 34.5 });
  });

  it('returns the cancel wizard instead of cancelling a confirmed order, unless disable_cancel_warning is set', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    s.confirm(order);
    const action = s.call('sale.order', 'action_cancel', [[order]]) as Record<string, unknown>;
    expect(action).toMatchObject({ res_model: 'sale.order.cancel', name: 'Cancel Sales Order', target: 'new' });
    expect(s.read('sale.order', order, ['state'])).toMatchObject({ state: 'sale' });
    expect(s.call('sale.order', 'action_cancel', [[order]], { context: { disable_cancel_warning: true } })).toBe(true);
    expect(s.read('sale.order', order, ['state', 'delivery_status'])).toMatchObject({ state: 'cancel', delivery_status: false });
    expect(s.read('stock.picking', s.picking(order), ['state'])).toMatchObject({ state: 'cancel' });
  });

  it('refuses to cancel a locked order, to confirm twice, and to delete a confirmed order', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    s.confirm(order);
    expect(s.fault('sale.order', 'action_confirm', [[order]]).message).toBe(MSG.notConfirmable('S00001'));
    expect(s.fault('sale.order', 'unlink', [[order]]).message).toBe(MSG.unlinkConfirmed);
    expect(s.call('sale.order', 'action_lock', [[order]])).toBeUndefined();
    expect(s.fault('sale.order', 'action_cancel', [[order]], { context: { disable_cancel_warning: true } }).message).toBe(MSG.cancelLocked);
    const line = (s.read('sale.order', order, ['order_line']).order_line as number[])[0]!;
    expect(s.fault('sale.order.line', 'write', [[line], { product_uom_qty: 3, price_unit: 1 }]).message).toBe(
      'It is forbidden to modify the following fields in a locked order:\nUnit Price\nQuantity',
    );
  });

  it('cancels draft invoices with the order but leaves posted ones alone', () => {
    const s = shop();
    const draftOrder = s.order([[s.consumable, 1]]);
    s.confirm(draftOrder);
    const draft = s.invoice(draftOrder);
    s.call('sale.order', 'action_cancel', [[draftOrder]], { context: { disable_cancel_warning: true } });
    expect(s.read('account.move', draft, ['state'])).toMatchObject({ state: 'cancel' });
    const postedOrder = s.order([[s.consumable, 1]]);
    s.confirm(postedOrder);
    const posted = s.invoice(postedOrder);
    s.post(posted);
    s.call('sale.order', 'action_cancel', [[postedOrder]], { context: { disable_cancel_warning: true } });
    expect(s.read('account.move', posted, ['state'])).toMatchObject({ state: 'posted' });
  });

  it('copies an order with its lines, as a new quotation without the customer reference', () => {
    const s = shop();
    const order = s.order([[s.consumable, 2]], { client_order_ref: 'CAP-1' });
    s.confirm(order);
    const copy = s.call('sale.order', 'copy', [[order]]) as number;
    expect(s.read('sale.order', copy, ['name', 'state', 'client_order_ref', 'amount_total'])).toMatchObject({
      name: 'S00002',
      state: 'draft',
      client_order_ref: false,
      amount_total: 57.5,
    });
    expect(s.read('sale.order', copy, ['order_line']).order_line).toHaveLength(1);
  });
});
