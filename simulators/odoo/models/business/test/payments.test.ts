import { describe, expect, it } from 'vitest';
import { MSG } from '../messages.ts';
import { shop } from './fixtures.ts';

describe('registering payments', () => {
  it('marks the invoice paid straight away (Community has no in_payment) and reconciles the payment', () => {
    const s = shop();
    const order = s.order([[s.consumable, 2]]);
    s.confirm(order);
    const invoice = s.invoice(order);
    s.post(invoice);
    const payment = s.pay(s.payWizard(invoice));
    expect(s.read('account.move', invoice, ['payment_state', 'amount_residual'])).toMatchObject({ payment_state: 'paid', amount_residual: 0 });
    expect(s.read('account.payment', payment, ['name', 'state', 'amount', 'is_reconciled', 'reconciled_invoice_ids', 'ref'])).toMatchObject({
      name: 'PBNK1/2026/00001',
      state: 'posted',
      amount: 57.5,
      is_reconciled: true,
      reconciled_invoice_ids: [invoice],
      ref: 'INV/2026/00001',
    });
  });

  it('posts a second full payment from a stale wizard and leaves it outstanding (the double-payment race)', () => {
    const s = shop();
    const order = s.order([[s.consumable, 2]]);
    s.confirm(order);
    const invoice = s.invoice(order);
    s.post(invoice);
    const first = s.payWizard(invoice);
    const second = s.payWizard(invoice);
    const paid = s.pay(first);
    const doubled = s.pay(second);
    expect(doubled).not.toBe(paid);
    expect(s.read('account.move', invoice, ['payment_state', 'amount_residual'])).toMatchObject({ payment_state: 'paid', amount_residual: 0 });
    expect(s.read('account.payment', doubled, ['name', 'state', 'amount', 'is_reconciled', 'reconciled_invoice_ids'])).toMatchObject({
      name: 'PBNK1/2026/00002',
      state: 'posted',
      amount: 57.5,
      is_reconciled: false,
      reconciled_invoice_ids: [],
    });
    expect(s.call('account.payment', 'search_count', [[['partner_id', '=', s.customer]]])).toBe(2);
    expect(s.read('res.partner', s.customer, ['credit'])).toMatchObject({ credit: -57.5 });
  });

  it('refuses a new wizard once nothing is left to pay, and on a draft invoice', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    s.confirm(order);
    const invoice = s.invoice(order);
    expect(s.fault('account.payment.register', 'create', [{}], { context: { active_model: 'account.move', active_ids: [invoice] } }).message).toBe(
      MSG.registerOnlyPosted,
    );
    s.post(invoice);
    s.pay(s.payWizard(invoice));
    const refused = s.fault('account.payment.register', 'create', [{}], { context: { active_model: 'account.move', active_ids: [invoice] } });
    expect([refused.faultCode, refused.message]).toEqual([2, MSG.nothingLeftToPay]);
  });

  it('keeps the excess of an overpayment as an outstanding credit', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    s.confirm(order);
    const invoice = s.invoice(order);
    s.post(invoice);
    const wizard = s.call('account.payment.register', 'create', [{ amount: 50 }], {
      context: { active_model: 'account.move', active_ids: [invoice] },
    }) as number;
    expect(s.read('account.payment.register', wizard, ['payment_difference'])).toMatchObject({ payment_difference: -21.25 });
    const payment = s.pay(wizard);
    expect(s.read('account.move', invoice, ['payment_state'])).toMatchObject({ payment_state: 'paid' });
    expect(s.read('account.payment', payment, ['is_reconciled'])).toMatchObject({ is_reconciled: false });
  });

  it('unreconciles the payment when a paid invoice is cancelled, and lets it be reset and posted again', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    s.confirm(order);
    const invoice = s.invoice(order);
    s.post(invoice);
    const payment = s.pay(s.payWizard(invoice));
    expect(s.call('account.move', 'button_cancel', [[invoice]])).toBeUndefined();
    expect(s.read('account.move', invoice, ['state', 'payment_state', 'amount_residual'])).toMatchObject({
      state: 'cancel',
      payment_state: 'not_paid',
      amount_residual: 28.75,
    });
    expect(s.read('account.payment', payment, ['state', 'is_reconciled', 'reconciled_invoice_ids'])).toMatchObject({
      state: 'posted',
      is_reconciled: false,
      reconciled_invoice_ids: [],
    });
    expect(s.read('sale.order', order, ['invoice_status'])).toMatchObject({ invoice_status: 'to invoice' });
    s.call('account.move', 'button_draft', [[invoice]]);
    s.post(invoice);
    expect(s.read('account.move', invoice, ['name', 'state', 'payment_state'])).toMatchObject({
      name: 'INV/2026/00001',
      state: 'posted',
      payment_state: 'not_paid',
    });
  });

  it('closes the invoice when an underpayment is marked as fully paid', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    s.confirm(order);
    const invoice = s.invoice(order);
    s.post(invoice);
    const wizard = s.call('account.payment.register', 'create', [{ amount: 28, payment_difference_handling: 'reconcile' }], {
      context: { active_model: 'account.move', active_ids: [invoice] },
    }) as number;
    const payment = s.pay(wizard);
    expect(s.read('account.move', invoice, ['payment_state', 'amount_residual'])).toMatchObject({ payment_state: 'paid', amount_residual: 0 });
    expect(s.read('account.payment', payment, ['amount', 'is_reconciled'])).toMatchObject({ amount: 28, is_reconciled: true });
  });
});
