import { describe, expect, it } from 'vitest';
import { MSG } from '../messages.ts';
import { shop } from './fixtures.ts';

type Row = Record<string, unknown>;

function downPayment(s: ReturnType<typeof shop>, order: number, vals: Row): number {
  const wizard = s.call('sale.advance.payment.inv', 'create', [vals], { context: { active_model: 'sale.order', active_ids: [order] } });
  try {
    s.call('sale.advance.payment.inv', 'create_invoices', [[wizard]]);
  } catch {
    // No payment term: the action holds a None, the invoice exists anyway.
  }
  // invoice_ids follows the order lines, so the newest invoice is the highest id.
  return Math.max(...(s.read('sale.order', order, ['invoice_ids']).invoice_ids as number[]));
}

function orderLines(s: ReturnType<typeof shop>, order: number): Row[] {
  const ids = s.read('sale.order', order, ['order_line']).order_line as number[];
  return s.call('sale.order.line', 'read', [ids], {
    fields: [
      'name',
      'display_type',
      'is_downpayment',
      'product_uom_qty',
      'price_unit',
      'qty_invoiced',
      'qty_to_invoice',
      'invoice_status',
      'tax_id',
      'sequence',
    ],
  }) as Row[];
}

function invoiceLines(s: ReturnType<typeof shop>, invoice: number): Row[] {
  const ids = s.read('account.move', invoice, ['invoice_line_ids']).invoice_line_ids as number[];
  return s.call('account.move.line', 'read', [ids], {
    fields: ['name', 'display_type', 'quantity', 'price_unit', 'price_subtotal', 'is_downpayment'],
  }) as Row[];
}

describe('down payments', () => {
  it('invoices a percentage of the untaxed amount, taxed, and adds a down-payment section and line to the order', () => {
    const s = shop();
    const order = s.order([[s.consumable, 4]]); // 100.00 + 15% = 115.00
    s.confirm(order);
    const invoice = downPayment(s, order, { advance_payment_method: 'percentage', amount: 30 });
    expect(s.read('account.move', invoice, ['state', 'move_type', 'amount_untaxed', 'amount_tax', 'amount_total', 'invoice_origin'])).toMatchObject({
      state: 'draft',
      move_type: 'out_invoice',
      amount_untaxed: 30,
      amount_tax: 4.5,
      amount_total: 34.5,
      invoice_origin: 'S00001',
    });
    expect(invoiceLines(s, invoice)).toMatchObject([
      { name: 'Down payment of 30.0%', display_type: 'product', quantity: 1, price_unit: 30, is_downpayment: true },
    ]);
    const [, section, line] = orderLines(s, order);
    expect(section).toMatchObject({ name: 'Down Payments', display_type: 'line_section', is_downpayment: true, sequence: 11 });
    expect(line).toMatchObject({
      name: 'Down Payment: 11/27/2026 (Draft)',
      is_downpayment: true,
      product_uom_qty: 0,
      price_unit: 30,
      qty_invoiced: 1,
      qty_to_invoice: -1,
      invoice_status: 'invoiced',
      sequence: 12,
    });
    expect(s.read('sale.order', order, ['invoice_status', 'amount_total', 'invoice_count'])).toMatchObject({
      invoice_status: 'to invoice',
      amount_total: 115,
      invoice_count: 1,
    });
  });

  it('creates the down-payment product once and keeps it on the company', () => {
    const s = shop();
    const first = s.order([[s.consumable, 4]]);
    s.confirm(first);
    downPayment(s, first, { advance_payment_method: 'percentage', amount: 10 });
    const company = s.call('res.company', 'read', [[1]], { fields: ['sale_down_payment_product_id'] }) as Row[];
    const product = (company[0]!.sale_down_payment_product_id as [number, string])[0];
    expect(s.read('product.product', product, ['name', 'type', 'invoice_policy', 'taxes_id'])).toMatchObject({
      name: 'Down payment',
      type: 'service',
      invoice_policy: 'order',
      taxes_id: [],
    });
    const second = s.order([[s.consumable, 1]]);
    s.confirm(second);
    downPayment(s, second, { advance_payment_method: 'fixed', fixed_amount: 10 });
    expect(s.call('product.product', 'search_count', [[['name', '=', 'Down payment']]])).toBe(1);
  });

  it('makes a fixed down payment total exactly the amount asked, taxes included', () => {
    const s = shop();
    const order = s.order([[s.consumable, 4]]);
    s.confirm(order);
    const invoice = downPayment(s, order, { advance_payment_method: 'fixed', fixed_amount: 50 });
    expect(s.read('account.move', invoice, ['amount_untaxed', 'amount_tax', 'amount_total'])).toMatchObject({
      amount_untaxed: 43.48,
      amount_tax: 6.52,
      amount_total: 50,
    });
    expect(invoiceLines(s, invoice)).toMatchObject([{ name: 'Down Payment', quantity: 1, price_unit: 43.48 }]);
  });

  it('deducts a posted down payment on the final invoice, under a Down Payments section', () => {
    const s = shop();
    const order = s.order([[s.consumable, 4]]);
    s.confirm(order);
    const deposit = downPayment(s, order, { advance_payment_method: 'percentage', amount: 30 });
    s.post(deposit);
    const dpLine = orderLines(s, order)[2]!;
    expect(dpLine).toMatchObject({ name: 'Down Payment (ref: INV/2026/00001 on 11/27/2026)', invoice_status: 'to invoice', qty_to_invoice: -1 });
    s.pay(s.payWizard(deposit));
    expect(s.read('account.move', deposit, ['payment_state'])).toMatchObject({ payment_state: 'paid' });

    const final = downPayment(s, order, { advance_payment_method: 'delivered' });
    expect(final).not.toBe(deposit);
    expect(invoiceLines(s, final)).toMatchObject([
      { display_type: 'product', quantity: 4, price_unit: 25, is_downpayment: false },
      { display_type: 'line_section', name: 'Down Payments' },
      { display_type: 'product', quantity: -1, price_unit: 30, price_subtotal: -30, is_downpayment: true },
    ]);
    expect(s.read('account.move', final, ['amount_untaxed', 'amount_tax', 'amount_total'])).toMatchObject({
      amount_untaxed: 70,
      amount_tax: 10.5,
      amount_total: 80.5,
    });
    s.post(final);
    expect(orderLines(s, order)[2]).toMatchObject({ qty_invoiced: 0, qty_to_invoice: 0, invoice_status: 'invoiced', price_unit: 30 });
    expect(s.read('sale.order', order, ['invoice_status', 'invoice_count'])).toMatchObject({ invoice_status: 'invoiced', invoice_count: 2 });
    s.pay(s.payWizard(final));
    expect(s.read('account.move', final, ['payment_state', 'amount_residual'])).toMatchObject({ payment_state: 'paid', amount_residual: 0 });
  });

  it('leaves the down payment out of the regular invoice when deduct_down_payments is off', () => {
    const s = shop();
    const order = s.order([[s.consumable, 4]]);
    s.confirm(order);
    s.post(downPayment(s, order, { advance_payment_method: 'percentage', amount: 30 }));
    const regular = downPayment(s, order, { advance_payment_method: 'delivered', deduct_down_payments: false });
    expect(s.read('account.move', regular, ['amount_total'])).toMatchObject({ amount_total: 115 });
    expect(s.read('sale.order', order, ['invoice_status'])).toMatchObject({ invoice_status: 'invoiced' });
    expect(orderLines(s, order)[2]).toMatchObject({ qty_to_invoice: -1, invoice_status: 'to invoice' });
  });

  it('adds a second down payment under the same section', () => {
    const s = shop();
    const order = s.order([[s.consumable, 4]]);
    s.confirm(order);
    downPayment(s, order, { advance_payment_method: 'percentage', amount: 10 });
    downPayment(s, order, { advance_payment_method: 'percentage', amount: 20 });
    const lines = orderLines(s, order);
    expect(lines.filter((l) => l.display_type === 'line_section')).toHaveLength(1);
    expect(lines.filter((l) => l.is_downpayment === true && l.display_type === false).map((l) => l.price_unit)).toEqual([10, 20]);
    expect(s.read('sale.order', order, ['invoice_count'])).toMatchObject({ invoice_count: 2 });
  });

  it('refuses a down payment that is not positive', () => {
    const s = shop();
    const order = s.order([[s.consumable, 4]]);
    s.confirm(order);
    const fault = s.fault('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'percentage', amount: 0 }], {
      context: { active_model: 'sale.order', active_ids: [order] },
    });
    expect([fault.faultCode, fault.message]).toEqual([2, MSG.downPaymentNotPositive]);
    expect(s.fault('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'fixed', fixed_amount: -5 }]).message).toBe(MSG.downPaymentNotPositive);
  });

  it('names a cancelled down payment and removes the line with a deleted draft down-payment invoice', () => {
    const s = shop();
    const order = s.order([[s.consumable, 4]]);
    s.confirm(order);
    const cancelled = downPayment(s, order, { advance_payment_method: 'percentage', amount: 10 });
    s.call('account.move', 'button_cancel', [[cancelled]]);
    expect(orderLines(s, order)[2]).toMatchObject({ name: 'Down Payment (Cancelled)', qty_invoiced: 0 });
    const deleted = downPayment(s, order, { advance_payment_method: 'percentage', amount: 20 });
    expect(orderLines(s, order)).toHaveLength(4);
    expect(s.call('account.move', 'unlink', [[deleted]])).toBe(true);
    expect(orderLines(s, order)).toHaveLength(3);
  });

  it('does not copy down payments with the order', () => {
    const s = shop();
    const order = s.order([[s.consumable, 4]]);
    s.confirm(order);
    downPayment(s, order, { advance_payment_method: 'percentage', amount: 10 });
    const copy = s.call('sale.order', 'copy', [[order]]) as number;
    expect(orderLines(s, copy)).toHaveLength(1);
  });

  it('turns a final invoice that deducts more than it bills into a credit note', () => {
    const s = shop();
    const order = s.order([[s.consumable, 4]]);
    s.confirm(order);
    s.post(downPayment(s, order, { advance_payment_method: 'percentage', amount: 100 }));
    const line = orderLines(s, order)[0]!;
    s.call('sale.order.line', 'write', [[line.id], { product_uom_qty: 2 }]);
    const refund = downPayment(s, order, { advance_payment_method: 'delivered' });
    expect(s.read('account.move', refund, ['move_type', 'name', 'amount_untaxed', 'amount_total'])).toMatchObject({
      move_type: 'out_refund',
      name: 'RINV/2026/00001',
      amount_untaxed: 50,
      amount_total: 57.5,
    });
    expect(
      invoiceLines(s, refund)
        .filter((l) => l.display_type === 'product')
        .map((l) => l.quantity),
    ).toEqual([-2, 1]);
    expect(orderLines(s, order)).toMatchObject([{ qty_invoiced: 2, qty_to_invoice: 0 }, {}, { qty_invoiced: 0, qty_to_invoice: 0 }]);
    expect(s.read('sale.order', order, ['invoice_status'])).toMatchObject({ invoice_status: 'invoiced' });
  });

  it('switches a draft invoice to a credit note on request, and refuses for one posted before', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    s.confirm(order);
    const invoice = s.invoice(order);
    s.call('account.move', 'action_switch_move_type', [[invoice]]);
    expect(s.read('account.move', invoice, ['move_type', 'name', 'amount_total'])).toMatchObject({
      move_type: 'out_refund',
      name: 'RINV/2026/00001',
      amount_total: 28.75,
    });
    s.post(invoice);
    s.call('account.move', 'button_draft', [[invoice]]);
    expect(s.fault('account.move', 'action_switch_move_type', [[invoice]]).message).toBe(MSG.switchPosted);
  });
});
